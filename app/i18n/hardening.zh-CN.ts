// Issue 12 hardening: login throttling (decision 0021) and the demo-payment notice (CAN-7).
export const hardeningZhCN = {
  "auth.throttled_seconds": "尝试次数过多，请 {seconds} 秒后再试。",
  "auth.throttled_minutes": "尝试次数过多，请 {minutes} 分钟后再试。",
  "pay.demo_notice": "演示支付，不会真实扣款",
  "pay.demo_notice_detail": "本站使用模拟支付网关（PAYMENT_PROVIDER=simulated），仅用于开发和演示。",
} as const;
