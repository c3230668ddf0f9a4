// "reg.*" messages in Simplified Chinese.
export const regZhCN = {
  "reg.none": "您还没有报名，请先选择考点并填写个人信息。",
  "reg.window_closed": "当前不在该考点的考生网上报名时间内，不能修改报名信息。",
  "reg.group_view_only": "您是集体报名的考生，只能查看、缴费和打印准考证；报名信息由考点通过集体报名修改。",
  "reg.locked":
    "报名信息已锁定（已提交审核或已发起支付），个人信息、考点和照片不能修改；如需修改，请联系考点解锁。报考科目在缴费前仍可修改。",
  "reg.photo_missing": "请先上传照片。",
  "reg.id_taken": "该证件号码在本考次已报名。如不是您本人报名，请联系考点。",
  "reg.site_change_entries": "更换考点前请先取消在原考点已选的报考科目。",
  "reg.site_not_open": "该考点当前不接受网上报名。",
  "reg.changed_meanwhile": "报名信息刚刚发生了变化，请刷新页面后重试。",
} as const;
