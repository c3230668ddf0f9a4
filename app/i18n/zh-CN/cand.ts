// "cand.*" messages in Simplified Chinese.
export const candZhCN = {
  "cand.nav.label": "报名步骤",
  "cand.nav.status": "报名状态",
  "cand.nav.site": "选择考点",
  "cand.nav.details": "个人信息",
  "cand.nav.photo": "照片",
  "cand.nav.entries": "报考科目",
  "cand.nav.pay": "缴费",
} as const;
