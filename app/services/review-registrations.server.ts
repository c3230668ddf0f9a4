import { getDb } from "~db/client";
import { lockRegistrations } from "~db/queries/locks";
import { reviewRefusal, type ReviewDecision } from "~/domain/candidate-management";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "~/utils/auth.server";
import { resolveSelection, type BulkOutcome, type Selection } from "./candidate-selection.server";
import { applyReview } from "./review-registration.server";
import { requireSite } from "~/utils/permissions.server";

/**
 * MGT-4 bulk review: the rule of the single review for each selected candidate; the ones it does
 * not apply to (pass a registration that is not pending, …) are reported, the rest are reviewed.
 */
export async function reviewRegistrations(
  ctx: AdminContext,
  sel: Selection,
  decision: ReviewDecision,
  now = new Date(),
): Promise<BulkOutcome> {
  requireSite(ctx);
  if (!decision.pass && !decision.reason.trim()) throw new AppError("review.reason_required");
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const ids = await resolveSelection(trx, ctx, sel);
      const regs = await lockRegistrations(trx, ids);
      const out: BulkOutcome = { done: 0, skipped: [] };
      const eligible = regs.filter((r) => {
        const refusal = reviewRefusal(r.review_status, decision);
        if (refusal) out.skipped.push({ id: r.id, name: r.name, reason: refusal });
        return !refusal;
      });
      await applyReview(trx, ctx.actor, eligible, decision, now);
      out.done = eligible.length;
      return out;
    });
}
