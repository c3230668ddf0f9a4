import { getDb } from "~db/client";
import { setUnpaidEntryHolds } from "~db/queries/entries";
import { lockRegistrations } from "~db/queries/locks";
import type { Registration } from "~db/schema";
import { lockRefusal, reviewAfterUnlock, unlockRefusal } from "~/domain/candidate-management";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudits, type AuditInput } from "./audit.server";
import { resolveSelection, type BulkOutcome, type Selection } from "./candidate-selection.server";
import { holdMinutes } from "./load-registration.server";
import { requireSite } from "~/utils/permissions.server";

/**
 * MGT-2 lock / unlock. Unlocking gives the candidate back personal data, site and photo (CAN-5);
 * one waiting for review goes back to "not submitted", and its unpaid hold starts again (CAN-8).
 */
export async function setRegistrationLock(
  ctx: AdminContext,
  sel: Selection,
  locked: boolean,
  now = new Date(),
): Promise<BulkOutcome> {
  requireSite(ctx);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const ids = await resolveSelection(trx, ctx, sel);
      const regs = await lockRegistrations(trx, ids);
      const out: BulkOutcome = { done: 0, skipped: [] };
      const audits: AuditInput[] = [];
      const hold = new Date(now.getTime() + holdMinutes() * 60_000);
      const changed: number[] = [];
      const withdrawn: Registration[] = [];
      for (const r of regs) {
        const refusal = locked ? lockRefusal({ locked: r.locked, has_photo: r.photo_id !== null }) : unlockRefusal(r);
        if (refusal) {
          out.skipped.push({ id: r.id, name: r.name, reason: refusal });
          continue;
        }
        const review = locked ? r.review_status : reviewAfterUnlock(r.review_status);
        if (review !== r.review_status) withdrawn.push(r);
        changed.push(r.id);
        audits.push({
          action: locked ? "registration.lock" : "registration.unlock",
          entityType: "registration",
          entityId: r.id,
          orgId: r.org_id,
          before: { locked: r.locked, review_status: r.review_status },
          after: { locked, review_status: review },
        });
      }
      // A few statements whatever the number: the lock, then the withdrawn reviews with their holds restarted.
      if (changed.length)
        await trx.updateTable("registration").set({ locked, updated_at: now }).where("id", "in", changed).execute();
      if (withdrawn.length) {
        const withdrawnIds = withdrawn.map((r) => r.id);
        await trx
          .updateTable("registration")
          .set({ review_status: reviewAfterUnlock("pending") })
          .where("id", "in", withdrawnIds)
          .execute();
        const unpaid = withdrawn.filter((r) => !r.person_fee_paid).map((r) => r.id);
        if (unpaid.length)
          await trx.updateTable("registration").set({ hold_until: hold }).where("id", "in", unpaid).execute();
        await setUnpaidEntryHolds(trx, withdrawnIds, hold);
      }
      out.done = changed.length;
      await recordAudits(trx, ctx.actor, audits);
      return out;
    });
}
