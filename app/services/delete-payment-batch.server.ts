import { sql } from "kysely";
import { getDb } from "~db/client";
import type { PaymentBatch } from "~db/schema";
import { AppError } from "~/domain/errors";
import { deleteReasonRefusal } from "~/domain/group-payment";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { holdMinutes } from "./load-registration.server";
import { requireSite } from "~/utils/permissions.server";
import { findOwnPaymentBatch, refuse, reconcilePaymentBatch } from "./payment-batch-shared.server";

/**
 * GRP-6 "delete" (manual tip 5): a reason is required; the payment batch is refreshed first, and a payment batch that
 * turns out paid stays. Otherwise it is deleted for good: its entries are free again (their unpaid
 * holds restart, CAN-8) and its pending payment is closed (a payment completed at the gateway after
 * this is due a refund).
 */
export async function deletePaymentBatch(
  ctx: AdminContext,
  paymentBatchId: number,
  reason: string,
  now = new Date(),
): Promise<{ deleted: boolean; status: PaymentBatch["status"] }> {
  requireSite(ctx, "grouppay.site_only");
  const bad = deleteReasonRefusal(reason);
  if (bad) throw new AppError(bad.key, bad.params, 400);
  const db = getDb();
  refuse((await findOwnPaymentBatch(db, ctx, paymentBatchId)).status, "delete");
  const refreshed = await reconcilePaymentBatch(paymentBatchId, now);
  if (refreshed === "paid") {
    await recordAudit(db, ctx.actor, {
      action: "group_payment.refresh",
      entityType: "payment_batch",
      entityId: paymentBatchId,
      before: { status: "open" },
      after: { status: "paid" },
    });
    return { deleted: false, status: "paid" };
  }
  return db.transaction().execute(async (trx) => {
    const paymentBatch = await findOwnPaymentBatch(trx, ctx, paymentBatchId, true);
    if (paymentBatch.status === "paid") return { deleted: false, status: "paid" as const };
    refuse(paymentBatch.status, "delete");
    const hold = new Date(now.getTime() + holdMinutes() * 60_000);
    await trx
      .updateTable("payment_batch")
      .set({ status: "deleted", delete_reason: reason.trim(), finished_at: now })
      .where("id", "=", paymentBatch.id)
      .execute();
    const released = await trx
      .updateTable("entry")
      .set({
        payment_batch_id: null,
        hold_until: sql`case when hold_until is null then null else greatest(hold_until, ${hold}) end`,
      })
      .where("payment_batch_id", "=", paymentBatch.id)
      .where("paid", "=", false)
      .executeTakeFirst();
    const closed = await trx
      .updateTable("payment")
      .set({ status: "failed", note: "payment_batch_deleted", finished_at: now })
      .where("payment_batch_id", "=", paymentBatch.id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    await recordAudit(trx, ctx.actor, {
      action: "group_payment.delete",
      entityType: "payment_batch",
      entityId: paymentBatch.id,
      before: { status: paymentBatch.status },
      after: {
        status: "deleted",
        reason: reason.trim(),
        entries_released: Number(released.numUpdatedRows),
        payments_closed: Number(closed.numUpdatedRows),
      },
    });
    return { deleted: true, status: "deleted" as const };
  });
}
