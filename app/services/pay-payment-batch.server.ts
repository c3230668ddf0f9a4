import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { getPaymentProvider } from "~/payments/index.server";
import type { AdminContext } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import { recordAudit } from "./audit.server";
import { newPaymentId, openAtProvider } from "./open-payment.server";
import { requireSite } from "~/utils/permissions.server";
import {
  GROUP_PAYMENT_PATH,
  requireEnabled,
  findOwnPaymentBatch,
  refuse,
  reconcilePaymentBatch,
} from "./payment-batch-shared.server";

/**
 * GRP-6 "pay": a payment of the payment batch's amount through the provider; returns the gateway URL. A
 * payment still open at the gateway is reused; earlier ones are reconciled first, so a payment batch already
 * paid is never paid again.
 */
export async function payPaymentBatch(
  ctx: AdminContext,
  paymentBatchId: number,
  now = new Date(),
): Promise<{ paymentId: string; redirectUrl: string }> {
  requireSite(ctx, "grouppay.site_only");
  const db = getDb();
  const env = getEnv();
  const provider = getPaymentProvider();
  await requireEnabled(db, ctx);
  refuse((await findOwnPaymentBatch(db, ctx, paymentBatchId)).status, "pay");
  await reconcilePaymentBatch(paymentBatchId, now);
  const made = await db.transaction().execute(async (trx) => {
    const paymentBatch = await findOwnPaymentBatch(trx, ctx, paymentBatchId, true);
    refuse(paymentBatch.status, "pay");
    const open = await trx
      .selectFrom("payment")
      .select(["id", "redirect_url"])
      .where("payment_batch_id", "=", paymentBatch.id)
      .where("status", "=", "pending")
      .where("expires_at", ">", now)
      .where("redirect_url", "is not", null)
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    if (open?.redirect_url) return { kind: "reused" as const, id: open.id, url: open.redirect_url };
    const entries = await trx
      .selectFrom("entry")
      .select(["id", "subject_code"])
      .where("payment_batch_id", "=", paymentBatch.id)
      .orderBy("id")
      .execute();
    if (entries.length === 0 || paymentBatch.amount_fen <= 0) throw new AppError("grouppay.nothing_payable", {}, 409);
    const id = newPaymentId(now);
    await trx
      .insertInto("payment")
      .values({
        id,
        sitting_id: paymentBatch.sitting_id,
        org_id: paymentBatch.org_id,
        registration_id: null,
        account_id: ctx.accountId,
        provider: provider.name,
        payment_batch_id: paymentBatch.id,
        amount_fen: paymentBatch.amount_fen,
        per_person_fen: paymentBatch.per_person_fen,
        entry_ids: entries.map((e) => e.id),
        subject_codes: entries.map((e) => e.subject_code),
        expires_at: new Date(now.getTime() + env.PAYMENT_TIMEOUT_MINUTES * 60_000),
      })
      .execute();
    await recordAudit(trx, ctx.actor, {
      action: "group_payment.pay",
      entityType: "payment_batch",
      entityId: paymentBatch.id,
      after: { payment: id, amount_fen: paymentBatch.amount_fen, entries: entries.length },
    });
    return {
      kind: "new" as const,
      id,
      amount: paymentBatch.amount_fen,
      label: `${ctx.sitting.name} ${ctx.org.code} #${paymentBatch.id} (${paymentBatch.subject_codes.join(",")})`,
    };
  });
  if (made.kind === "reused") return { paymentId: made.id, redirectUrl: made.url };
  return openAtProvider(made.id, made.amount, made.label, GROUP_PAYMENT_PATH);
}
