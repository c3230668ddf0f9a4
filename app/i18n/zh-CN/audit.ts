// "audit.*" messages in Simplified Chinese.
export const auditZhCN = {
  "audit.title": "操作日志",
  "audit.col.at": "时间",
  "audit.col.actor": "操作人",
  "audit.col.org": "机构",
  "audit.col.action": "操作",
  "audit.col.entity": "对象",
  "audit.col.changes": "修改内容（前 → 后）",
  "audit.from": "开始日期",
  "audit.to": "结束日期",
  "audit.export": "导出查询结果（{count} 条）",
  "audit.export_file": "操作日志",
} as const;
