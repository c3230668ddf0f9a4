// "error.*" messages in Simplified Chinese.
export const errorZhCN = {
  "error.title": "出错了",
  "error.unexpected": "系统发生意外错误，请稍后重试。",
  "error.not_found": "页面不存在。",
  "error.home": "返回首页",
} as const;
