// "fees.*" messages in English.
import type { feesZhCN } from "../zh-CN/fees";

export const feesEn: Record<keyof typeof feesZhCN, string> = {
  "fees.hint":
    'Fees are set by the province; sites view them. "Not set" must be fixed by the province before registration can open.',
  "fees.item": "Item",
  "fees.amount": "Amount (yuan)",
  "fees.per_person": "Per-person fee (once per candidate)",
  "fees.offered_by_site": "Offered by the site",
  "fees.bad_amount": "Not a valid amount: {value} (at most two decimals)",
};
