import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { getPaymentProvider } from "~/payments/index.server";
import type { CandidateContext } from "~/utils/auth.server";
import { applyPaymentNotice } from "./apply-payment-notice.server";

// CAN-7: asking the provider about payments whose notification has not come (one payment, a
// registration's, the candidate's refresh button, and the scheduled sweep).

/**
 * CAN-7 reconciliation: ask the provider about a payment whose notification has not come, and
 * apply its answer; an order still open past its expiry is marked expired.
 */
export async function reconcilePayment(paymentId: string, now = new Date()) {
  const db = getDb();
  const payment = await db.selectFrom("payment").selectAll().where("id", "=", paymentId).executeTakeFirst();
  if (!payment || payment.status !== "pending") return payment?.status ?? null;
  const provider = getPaymentProvider(payment.provider);
  const state = await provider.queryPayment(payment.id);
  if (state.status === "paid" || state.status === "failed") {
    await applyPaymentNotice(
      payment.provider,
      { orderId: payment.id, providerTxnId: state.providerTxnId, status: state.status, amountFen: state.amountFen },
      now,
    );
  } else if (payment.expires_at <= now) {
    await db
      .updateTable("payment")
      .set({ status: "expired", finished_at: now })
      .where("id", "=", payment.id)
      .where("status", "=", "pending")
      .execute();
  }
  return (await db.selectFrom("payment").select("status").where("id", "=", payment.id).executeTakeFirstOrThrow())
    .status;
}

/** The candidate's "I have paid, refresh" button: reconciles their latest pending payment. */
export async function refreshMyPayment(ctx: CandidateContext, now = new Date()) {
  const db = getDb();
  const reg = await db
    .selectFrom("registration")
    .select("id")
    .where("sitting_id", "=", ctx.sitting.id)
    .where("account_id", "=", ctx.accountId)
    .executeTakeFirst();
  if (!reg) throw new AppError("reg.none", {}, 409);
  await reconcileRegistrationPayments(reg.id, now);
}

/** Asks the provider about every order of a registration still open on our side; the number asked. */
export async function reconcileRegistrationPayments(registrationId: number, now = new Date()) {
  const pending = await getDb()
    .selectFrom("payment")
    .select("id")
    .where("registration_id", "=", registrationId)
    .where("status", "=", "pending")
    .execute();
  for (const p of pending) await reconcilePayment(p.id, now);
  return pending.length;
}

/** CAN-7 sweep: every pending payment older than a minute is reconciled (lost notifications). */
export async function reconcilePendingPayments(now = new Date(), limit = 200) {
  const rows = await getDb()
    .selectFrom("payment")
    .select("id")
    .where("status", "=", "pending")
    .where("created_at", "<", new Date(now.getTime() - 60_000))
    .orderBy("created_at")
    .limit(limit)
    .execute();
  let settled = 0;
  for (const r of rows) if ((await reconcilePayment(r.id, now)) !== "pending") settled++;
  return { checked: rows.length, settled };
}
