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
  findOwnBatch,
  refuse,
  reconcileBatch,
} from "./payment-batch-shared.server";

/**
 * GRP-6 "pay": a payment of the batch's amount through the provider; returns the gateway URL. A
 * payment still open at the gateway is reused; earlier ones are reconciled first, so a batch already
 * paid is never paid again.
 */
export async function payBatch(
  ctx: AdminContext,
  batchId: number,
  now = new Date(),
): Promise<{ paymentId: string; redirectUrl: string }> {
  requireSite(ctx, "grouppay.site_only");
  const db = getDb();
  const env = getEnv();
  const provider = getPaymentProvider();
  await requireEnabled(db, ctx);
  refuse((await findOwnBatch(db, ctx, batchId)).status, "pay");
  await reconcileBatch(batchId, now);
  const made = await db.transaction().execute(async (trx) => {
    const batch = await findOwnBatch(trx, ctx, batchId, true);
    refuse(batch.status, "pay");
    const open = await trx
      .selectFrom("payment")
      .select(["id", "redirect_url"])
      .where("batch_id", "=", batch.id)
      .where("status", "=", "pending")
      .where("expires_at", ">", now)
      .where("redirect_url", "is not", null)
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    if (open?.redirect_url) return { kind: "reused" as const, id: open.id, url: open.redirect_url };
    const entries = await trx
      .selectFrom("entry")
      .select(["id", "subject_code"])
      .where("batch_id", "=", batch.id)
      .orderBy("id")
      .execute();
    if (entries.length === 0 || batch.amount_fen <= 0) throw new AppError("grouppay.nothing_payable", {}, 409);
    const id = newPaymentId(now);
    await trx
      .insertInto("payment")
      .values({
        id,
        sitting_id: batch.sitting_id,
        org_id: batch.org_id,
        registration_id: null,
        account_id: ctx.accountId,
        provider: provider.name,
        batch_id: batch.id,
        amount_fen: batch.amount_fen,
        per_person_fen: batch.per_person_fen,
        entry_ids: entries.map((e) => e.id),
        subject_codes: entries.map((e) => e.subject_code),
        expires_at: new Date(now.getTime() + env.PAYMENT_TIMEOUT_MINUTES * 60_000),
      })
      .execute();
    await recordAudit(trx, ctx.actor, {
      action: "group_payment.pay",
      entityType: "payment_batch",
      entityId: batch.id,
      after: { payment: id, amount_fen: batch.amount_fen, entries: entries.length },
    });
    return {
      kind: "new" as const,
      id,
      amount: batch.amount_fen,
      label: `${ctx.sitting.name} ${ctx.org.code} #${batch.id} (${batch.subject_codes.join(",")})`,
    };
  });
  if (made.kind === "reused") return { paymentId: made.id, redirectUrl: made.url };
  return openAtProvider(made.id, made.amount, made.label, GROUP_PAYMENT_PATH);
}
