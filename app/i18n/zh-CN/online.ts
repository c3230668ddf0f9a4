// "online.*" messages in Simplified Chinese.
export const onlineZhCN = {
  "online.dates_required": "开启个人网报时必须填写开始和截止时间。",
  "online.end_before_start": "截止时间必须晚于开始时间。",
  "online.bounds_not_set": "上级尚未设置考生网上报名时间范围。",
  "online.outside_bounds": "考生网上报名时间必须在上级给定的范围内（{from} 至 {to}）。",
} as const;
