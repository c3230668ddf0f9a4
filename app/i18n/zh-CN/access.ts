// "access.*" messages in Simplified Chinese.
export const accessZhCN = {
  "access.denied":
    "您的角色无权查看此内容：财务人员只能查看缴费、统计和考次设置，不能查看考生个人信息、审计日志或用户。",
  "access.not_found": "文件或任务不存在，或您无权查看。",
} as const;
