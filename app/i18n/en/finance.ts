import type { financeZhCN } from "../zh-CN/finance";

// "finance.*" messages in English.
export const financeEn: Record<keyof typeof financeZhCN, string> = {
  "finance.title": "Finance",
  "finance.payments_title": "Payments and reconciliation",
  "finance.refunds_title": "Refunds",
};
