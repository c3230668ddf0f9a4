// "capacity.*" messages in Simplified Chinese.
export const capacityZhCN = {
  "capacity.total": "总科次（总容量）",
  "capacity.remaining": "剩余",
  "capacity.unlimited": "不限",
  "capacity.not_offered": "不开考",
  "capacity.change": "修改人数",
  "capacity.hint": "总科次不少于 100；科目容量为 0 即不开考；99999 为不限；容量不能小于已报考的人数。",
  "capacity.site_closed": "本考点设置为不开考，容量设置无效。",
  "capacity.total_range": "总科次必须是 100 至 99999 之间的整数。",
  "capacity.subject_range": "科目 {subject} 的容量必须是 0 至 99999 之间的整数。",
  "capacity.below_taken": "容量不能小于已报考的人数（{taken}）。",
  "capacity.quotas_exceed": "新的总科次与已设置的意向考试日期人数冲突（{date}），请先调整意向日期人数。",
} as const;
