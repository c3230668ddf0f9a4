import { getDb } from "~db/client";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { reconcilePayment } from "./reconcile-payments.server";
import { requireSite, isSite } from "~/utils/permissions.server";
import { findOwnPaymentBatch, refuse, reconcilePaymentBatch } from "./payment-batch-shared.server";

/** GRP-6 "refresh" (manual tip 4): reconcile the payment batch's pending payments; a deleted payment batch cannot be refreshed. */
export async function refreshPaymentBatch(ctx: AdminContext, paymentBatchId: number, now = new Date()) {
  requireSite(ctx, "grouppay.site_only");
  const db = getDb();
  const before = await findOwnPaymentBatch(db, ctx, paymentBatchId);
  refuse(before.status, "refresh");
  const status = await reconcilePaymentBatch(paymentBatchId, now);
  await recordAudit(db, ctx.actor, {
    action: "group_payment.refresh",
    entityType: "payment_batch",
    entityId: paymentBatchId,
    before: { status: before.status },
    after: { status },
  });
  return status;
}

/** Back from the gateway (`?order=`): a pending payment of this site's payment batch is reconciled at once. */
export async function reconcileReturn(ctx: AdminContext, orderId: string, now = new Date()) {
  if (!isSite(ctx) || !orderId) return null;
  const p = await getDb()
    .selectFrom("payment")
    .select(["id", "status"])
    .where("id", "=", orderId)
    .where("org_id", "=", ctx.org.id)
    .where("payment_batch_id", "is not", null)
    .executeTakeFirst();
  if (!p) return null;
  return p.status === "pending" ? reconcilePayment(p.id, now) : p.status;
}
