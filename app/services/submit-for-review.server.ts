import { getDb } from "~db/client";
import { listEntries, lockRegistrationByAccount } from "~db/queries/registrations";
import { AppError } from "~/domain/errors";
import { submitRefusal } from "~/domain/registration";
import type { CandidateContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { loadSiteRules, registrationState } from "./load-registration.server";

/**
 * CAN-5: submitting for review locks the registration; CAN-6: after a photo failure a new photo
 * comes first. Nothing expires while the site reviews (CAN-8): the candidate cannot pay yet.
 */
export async function submitForReview(ctx: CandidateContext, now = new Date()) {
  await getDb().transaction().execute(async (trx) => {
    const reg = await lockRegistrationByAccount(trx, ctx.sitting.id, ctx.accountId);
    if (!reg) throw new AppError("reg.none", {}, 409);
    const rules = await loadSiteRules(trx, ctx.sitting.id, reg.org_id);
    if (reg.channel === "group") throw new AppError("reg.group_view_only", {}, 403);
    const entries = await listEntries(trx, reg.id, now);
    const refusal = submitRefusal(rules, await registrationState(trx, reg), entries.length, now);
    if (refusal) throw new AppError(refusal, {}, 409);
    await trx.updateTable("registration").set({ locked: true, review_status: "pending", hold_until: null, updated_at: now }).where("id", "=", reg.id).execute();
    await trx.updateTable("entry").set({ hold_until: null }).where("registration_id", "=", reg.id).where("paid", "=", false).execute();
    await recordAudit(trx, { ...ctx.actor, orgId: reg.org_id }, {
      action: "registration.submit", entityType: "registration", entityId: String(reg.id),
      before: { locked: reg.locked, review_status: reg.review_status }, after: { locked: true, review_status: "pending" },
    });
  });
}
