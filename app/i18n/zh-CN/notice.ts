// "notice.*" messages in Simplified Chinese.
export const noticeZhCN = {
  "notice.title": "报名通告设置",
  "notice.province": "省报名通告（{name}）",
  "notice.site_current": "当前考点报名通告",
  "notice.province_current": "当前省报名通告",
  "notice.new": "新通告",
  "notice.hint": "保存后新通告替换当前通告，并显示在考生报名页面；保存空白即取消通告。",
  "notice.updated_at": "更新于 {at}",
  "notice.wrong_level": "只有省级和考点可以设置报名通告。",
  "notice.too_long": "通告不能超过 {max} 个字符。",
} as const;
