// "review.*" messages in Simplified Chinese.
export const reviewZhCN = {
  "review.submit": "提交审核",
  "review.submit_hint": "提交后报名信息将被锁定，等待考点审核；审核通过后才能缴费。",
  "review.submitted": "已提交审核，请等待考点审核结果。",
  "review.not_required": "本考点不需要审核，可直接缴费。",
  "review.already_pending": "报名信息已在审核中。",
  "review.already_passed": "报名信息已审核通过。",
  "review.new_photo_needed": "照片审核未通过，请先重新上传照片再提交审核。",
  "review.pass_pending_only": "只能对待审核的报名设置审核通过。",
  "review.fail_pending_or_passed": "只能对待审核或已通过的报名设置审核不通过。",
  "review.reason_required": "请填写不通过的原因。",
  "review.type.photo": "照片有问题",
  "review.type.personal": "基本信息有问题",
  "review.type.other": "其他问题",
} as const;
