// "subject.*" messages in Simplified Chinese.
export const subjectZhCN = {
  "subject.unknown": "科目 {code} 不存在或已停考。",
  "subject.not_offered_above": "科目 {code} 未由上级开考，不能添加。",
  "subject.range_order": "考试日期不正确：结束日期不能早于开始日期。",
  "subject.range_outside": "科目 {code} 的考试日期必须在上级范围内（{from} 至 {to}）。",
  "subject.already_offered": "科目 {code} 已开考；如需修改日期，请先删除再添加。",
  "subject.not_offered": "科目 {code} 未开考。",
  "subject.used_below": "下级机构已开考科目 {code}，不能删除。",
  "subject.has_capacity": "科目 {code} 已设置容量，不能删除；请先在容量设置中将其设为 0。",
  "subject.has_entries": "科目 {code} 已有考生报考，不能删除。",
} as const;
