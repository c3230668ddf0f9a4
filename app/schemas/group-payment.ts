import { z } from "zod";

/** GRP-6: the group payment page's forms: lock a payment batch by a filter; pay, refresh or delete one. */
export const PAYMENT_BATCH_INTENT = { lock: "lock", pay: "pay", refresh: "refresh", delete: "delete" } as const;

const paymentBatchId = z.coerce.number().int().positive();
// The filter's values are judged by parsePaymentBatchFilter (unknown values mean "all", as in the query string).
const filterField = z.string().default("");

export const PaymentBatchActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal(PAYMENT_BATCH_INTENT.lock),
      channel: filterField,
      subject: filterField,
      className: filterField,
    }),
    z.object({ intent: z.literal(PAYMENT_BATCH_INTENT.pay), paymentBatchId }),
    z.object({ intent: z.literal(PAYMENT_BATCH_INTENT.refresh), paymentBatchId }),
    z.object({ intent: z.literal(PAYMENT_BATCH_INTENT.delete), paymentBatchId, reason: z.string().default("") }),
  ],
  { errorMap: () => ({ message: "form.invalid" }) },
);
