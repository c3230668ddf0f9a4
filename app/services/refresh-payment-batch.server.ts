import { getDb } from "~db/client";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { reconcilePayment } from "./reconcile-payments.server";
import { requireSite, isSite } from "~/utils/permissions.server";
import { findOwnBatch, refuse, reconcileBatch } from "./payment-batch-shared.server";

/** GRP-6 "refresh" (manual tip 4): reconcile the batch's pending payments; a deleted batch cannot be refreshed. */
export async function refreshBatch(ctx: AdminContext, batchId: number, now = new Date()) {
  requireSite(ctx, "grouppay.site_only");
  const db = getDb();
  const before = await findOwnBatch(db, ctx, batchId);
  refuse(before.status, "refresh");
  const status = await reconcileBatch(batchId, now);
  await recordAudit(db, ctx.actor, {
    action: "group_payment.refresh",
    entityType: "payment_batch",
    entityId: batchId,
    before: { status: before.status },
    after: { status },
  });
  return status;
}

/** Back from the gateway (`?order=`): a pending payment of this site's batch is reconciled at once. */
export async function reconcileReturn(ctx: AdminContext, orderId: string, now = new Date()) {
  if (!isSite(ctx) || !orderId) return null;
  const p = await getDb()
    .selectFrom("payment")
    .select(["id", "status"])
    .where("id", "=", orderId)
    .where("org_id", "=", ctx.org.id)
    .where("batch_id", "is not", null)
    .executeTakeFirst();
  if (!p) return null;
  return p.status === "pending" ? reconcilePayment(p.id, now) : p.status;
}
