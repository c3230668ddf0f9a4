// "role.*" messages in Simplified Chinese.
export const roleZhCN = {
  "role.admin": "管理员",
  "role.finance": "财务人员",
  "role.invigilator": "监考员",
  "role.admin.centre": "考试中心管理员",
  "role.admin.province": "省级管理员",
  "role.admin.city": "地市管理员",
  "role.admin.site": "考点管理员",
  "role.admin_only": "财务人员只能管理分账账户和查看支付统计，不能进行此操作。",
  "role.centre_only": "只有考试中心管理员可以进行此操作。",
} as const;
