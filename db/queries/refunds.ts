import type { Transaction } from "kysely";
import type { DB } from "../schema";
import type { RefundReason } from "~/domain/refunds";

/**
 * Issue 20 item 3: a refund owed on a payment, recorded where the money became owed (a late payment,
 * a per-person fee paid twice, a paid registration cancelled). Once per payment and reason: a
 * repeated notification or a retried step records nothing more.
 */
export async function recordRefundDue(
  trx: Transaction<DB>,
  p: {
    id: string;
    sitting_id: number;
    org_id: number;
    registration_id: number | null;
    account_id: string | null;
  },
  reason: RefundReason,
  amountFen: number,
) {
  if (amountFen <= 0) return;
  await trx
    .insertInto("refund")
    .values({
      sitting_id: p.sitting_id,
      org_id: p.org_id,
      payment_id: p.id,
      registration_id: p.registration_id,
      account_id: p.account_id,
      reason,
      amount_fen: amountFen,
    })
    .onConflict((oc) => oc.constraint("refund_one_per_reason").doNothing())
    .execute();
}
