import { getDb } from "~db/client";
import { findPendingPayment } from "~db/queries/registrations";
import { AppError } from "~/domain/errors";
import type { CandidateContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { reconcilePayment } from "./reconcile-payments.server";

/**
 * The payer gave up at the gateway: the order is closed on our side so entries can change again.
 * If the provider says it was paid after all, that wins.
 */
export async function abandonMyPayment(ctx: CandidateContext, now = new Date()) {
  const db = getDb();
  const reg = await db
    .selectFrom("registration")
    .select(["id", "org_id"])
    .where("sitting_id", "=", ctx.sitting.id)
    .where("account_id", "=", ctx.accountId)
    .executeTakeFirst();
  if (!reg) throw new AppError("reg.none", {}, 409);
  const pending = await findPendingPayment(db, reg.id, now);
  if (!pending) return;
  const status = await reconcilePayment(pending.id, now);
  if (status !== "pending") return;
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("payment")
      .set({ status: "failed", note: "abandoned_by_payer", finished_at: now })
      .where("id", "=", pending.id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) {
      await recordAudit(
        trx,
        { ...ctx.actor, orgId: reg.org_id },
        { action: "payment.abandon", entityType: "payment", entityId: pending.id, after: { status: "failed" } },
      );
    }
  });
}
