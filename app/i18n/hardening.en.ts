import type { hardeningZhCN } from "./hardening.zh-CN";

export const hardeningEn: Record<keyof typeof hardeningZhCN, string> = {
  "auth.throttled_seconds": "Too many attempts: try again in {seconds} s.",
  "auth.throttled_minutes": "Too many attempts: try again in {minutes} min.",
  "pay.demo_notice": "Demo payment: no money moves",
  "pay.demo_notice_detail": "This portal uses the simulated payment gateway (PAYMENT_PROVIDER=simulated), for development and demos only.",
};
