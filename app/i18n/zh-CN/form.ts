// "form.*" messages in Simplified Chinese.
export const formZhCN = {
  "form.invalid": "提交的内容不完整或格式不正确。",
} as const;
