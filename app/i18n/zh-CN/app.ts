// "app.*" messages in Simplified Chinese.
export const appZhCN = {
  "app.name": "考务管理系统",
} as const;
