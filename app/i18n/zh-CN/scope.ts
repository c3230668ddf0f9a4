// "scope.*" messages in Simplified Chinese.
export const scopeZhCN = {
  "scope.denied": "无权访问该机构的数据。",
} as const;
