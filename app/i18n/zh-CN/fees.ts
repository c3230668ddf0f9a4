// "fees.*" messages in Simplified Chinese.
export const feesZhCN = {
  "fees.hint": "考点费用由省级设置，考点只能查看；显示“未设置”时须先请省里设置，否则不能开放报名。",
  "fees.item": "项目",
  "fees.amount": "金额（元）",
  "fees.per_person": "人次费（每人一次）",
  "fees.offered_by_site": "考点已开考",
  "fees.bad_amount": "金额格式不正确：{value}（最多两位小数）",
} as const;
