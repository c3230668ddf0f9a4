// "details.*" messages in Simplified Chinese.
export const detailsZhCN = {
  "details.title": "填写个人信息",
  "details.province_notice": "省报名通告",
  "details.site_notice": "考点报名通告",
  "details.prefilled": "已根据考点学籍库中的信息自动填写，请核对；如有不同可以修改。",
  "details.save": "保存个人信息",
} as const;
