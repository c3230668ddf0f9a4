// "readiness.*" messages in Simplified Chinese.
export const readinessZhCN = {
  "readiness.reg.title": "报名阶段待办",
  "readiness.reg.open_items": "待处理",
  "readiness.reg.unpaid_entries": "{count} 个报考科目未缴费（{candidates} 人）",
  "readiness.reg.pending_review": "{count} 人的报名信息待审核",
  "readiness.reg.missing_photos": "{count} 人没有照片",
  "readiness.title": "开放报名前还缺少",
  "readiness.ready": "已就绪：报名前设置已完成。",
  "readiness.not_open": "本考点本考次不开考。",
  "readiness.rollup": "{ready} / {total} 个考点已就绪。",
  "readiness.missing": "缺少",
  "readiness.item.fees_not_set": "考点费用未设置",
  "readiness.item.no_subject": "未添加开考科目",
  "readiness.item.capacity_not_set": "容量未设置",
  "readiness.item.address_missing": "考点地址未填写",
  "readiness.item.online_window_not_set": "考生网上报名时间未设置",
  "readiness.subjects_closed": "（科目 {codes} 暂不开放报名）",
} as const;
