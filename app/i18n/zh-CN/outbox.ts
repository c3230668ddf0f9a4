// "outbox.*" messages in Simplified Chinese.
export const outboxZhCN = {
  "outbox.title": "演示发件箱",
  "outbox.banner": "演示发件箱：消息未真正发送 / Demo outbox: no message was really sent",
  "outbox.note":
    "系统设置为 MESSAGE_PROVIDER=outbox：验证码和通知只保存在这里，不会发到邮箱或手机。正式部署请设置 MESSAGE_PROVIDER=smtp。",
  "outbox.recipient": "收件人",
  "outbox.filter": "筛选",
  "outbox.at": "时间",
  "outbox.subject": "主题",
  "outbox.body": "内容",
  "outbox.empty": "还没有消息。",
} as const;
