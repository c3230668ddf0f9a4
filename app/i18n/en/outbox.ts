// "outbox.*" messages in English.
import type { outboxZhCN } from "../zh-CN/outbox";

export const outboxEn: Record<keyof typeof outboxZhCN, string> = {
  "outbox.title": "Demo outbox",
  "outbox.banner": "演示发件箱：消息未真正发送 / Demo outbox: no message was really sent",
  "outbox.note":
    "This portal runs with MESSAGE_PROVIDER=outbox: codes and notices are kept here and never reach a mailbox or phone. A deployment sets MESSAGE_PROVIDER=smtp.",
  "outbox.recipient": "Recipient",
  "outbox.filter": "Filter",
  "outbox.at": "Time",
  "outbox.subject": "Subject",
  "outbox.body": "Message",
  "outbox.empty": "No messages yet.",
};
