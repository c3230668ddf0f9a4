// "audit.*" messages in English.
import type { auditZhCN } from "../zh-CN/audit";

export const auditEn: Record<keyof typeof auditZhCN, string> = {
  "audit.title": "Audit log",
  "audit.col.at": "Time",
  "audit.col.actor": "By",
  "audit.col.org": "Organisation",
  "audit.col.action": "Action",
  "audit.col.entity": "Object",
  "audit.col.changes": "Changes (before → after)",
  "audit.from": "From",
  "audit.to": "To",
  "audit.export": "Export results ({count})",
  "audit.export_file": "audit-log",
};
