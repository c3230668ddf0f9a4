import { getDb } from "~db/client";
import { findOrgSitting } from "~db/queries/orgs";
import { AppError } from "~/domain/errors";
import type { ReviewState } from "~db/schema";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireSuperiorOf } from "~/utils/permissions.server";

/**
 * ORG-4: a superior enables or disables a subordinate for the current sitting (a disabled
 * organisation's users cannot enter the admin area). ORG-5: a superior sets the info review state.
 * ORG-2/ORG-4: only a strict superior (checked here).
 */
export async function setOrgState(
  ctx: AdminContext,
  orgId: number,
  change: { enabled?: boolean; review_state?: ReviewState },
) {
  await requireSuperiorOf(ctx, orgId);
  const db = getDb();
  const state = await findOrgSitting(db, orgId, ctx.sitting.id);
  if (!state) throw new AppError("scope.denied", {}, 403);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("org_sitting")
      .set(change)
      .where("org_id", "=", orgId)
      .where("sitting_id", "=", ctx.sitting.id)
      .execute();
    const before: Record<string, unknown> = {};
    for (const k of Object.keys(change) as (keyof typeof change)[]) before[k] = state[k];
    await recordAudit(trx, ctx.actor, {
      action: "org.set_state",
      entityType: "org",
      entityId: orgId,
      orgId,
      before,
      after: change,
    });
  });
}
