// "site.*" messages in Simplified Chinese.
export const siteZhCN = {
  "site.title": "选择报名考点",
  "site.id_hint": "先填写证件号码：能否在某个考点报名取决于您的学籍信息。",
  "site.find": "查找可报名的考点",
  "site.province": "省份",
  "site.all_provinces": "全部省份",
  "site.search": "考点名称、代码或城市",
  "site.count": "正在网上报名的考点：{count} 个",
  "site.until": "网报截止 {to}",
  "site.max": "每人最多 {max} 科",
  "site.review": "需审核",
  "site.choose": "在此考点报名",
  "site.current": "当前报名考点",
  "site.more": "仅显示前 {shown} 个，请输入名称缩小范围。",
} as const;
