import { getDb } from "~db/client";
import { listManagedEntries } from "~db/queries/candidate-search";
import { lockRegistrations } from "~db/queries/locks";
import { releasePreferredDate, releaseSeats } from "~db/queries/seats";
import { deletionPlan } from "~/domain/candidate-management";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudits, type AuditInput } from "./audit.server";
import { resolveSelection, type BulkOutcome, type Selection } from "./candidate-selection.server";
import { requireSite } from "~/utils/permissions.server";

/**
 * MGT-2 delete: group registrations only. With a subject in the search only that entry goes;
 * without, all unpaid entries outside a payment batch go; a registration goes with its last entry. The photo
 * stays (PHO-6).
 */
export async function deleteGroupRegistrations(
  ctx: AdminContext,
  sel: Selection,
  subject: string | undefined,
): Promise<BulkOutcome & { entries: number; registrations: number }> {
  requireSite(ctx);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const ids = await resolveSelection(trx, ctx, sel);
      const regs = await lockRegistrations(trx, ids);
      const entries = await listManagedEntries(
        trx,
        regs.map((r) => r.id),
      );
      const out = { done: 0, skipped: [] as BulkOutcome["skipped"], entries: 0, registrations: 0 };
      const audits: AuditInput[] = [];
      // requireSite: every registration is of the admin's own site.
      const released: string[] = [];
      for (const r of regs) {
        const plan = deletionPlan(r.channel, entries.get(r.id) ?? [], subject);
        if (plan.refusal) {
          out.skipped.push({ id: r.id, name: r.name, reason: plan.refusal });
          continue;
        }
        if (plan.entryIds.length) await trx.deleteFrom("entry").where("id", "in", plan.entryIds).execute();
        released.push(...plan.subjectCodes);
        if (plan.deleteRegistration) {
          await releasePreferredDate(trx, r.sitting_id, r.org_id, r.preferred_date);
          await trx.deleteFrom("registration").where("id", "=", r.id).execute();
          out.registrations++;
        }
        out.entries += plan.entryIds.length;
        audits.push({
          action: plan.deleteRegistration ? "registration.delete" : "entry.delete",
          entityType: "registration",
          entityId: r.id,
          orgId: r.org_id,
          before: {
            name: r.name,
            id_number: plan.deleteRegistration ? r.id_number : undefined,
            entries: plan.subjectCodes.join(","),
          },
          after: { entries: "" },
        });
        out.done++;
      }
      await releaseSeats(trx, ctx.sitting.id, ctx.org.id, released);
      await recordAudits(trx, ctx.actor, audits);
      return out;
    });
}
