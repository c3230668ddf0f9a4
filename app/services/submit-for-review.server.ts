import { getDb } from "~db/client";
import { setUnpaidEntryHolds } from "~db/queries/entries";
import type { Transaction } from "kysely";
import { listEntries, lockRegistration, lockRegistrationByAccount } from "~db/queries/registrations";
import type { DB, Registration } from "~db/schema";
import { AppError } from "~/domain/errors";
import { submissionGap, submitRefusal } from "~/domain/registration";
import type { CandidateContext } from "~/utils/auth.server";
import { recordAudit, type Actor } from "./audit.server";
import { loadSiteRules, registrationState } from "./load-registration.server";

/**
 * CAN-5: submitting for review locks the registration; CAN-6: after a photo failure a new photo
 * comes first. Nothing expires while the site reviews (CAN-8): the candidate cannot pay yet.
 */
export async function submitForReview(ctx: CandidateContext, now = new Date()) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const reg = await lockRegistrationByAccount(trx, ctx.sitting.id, ctx.accountId);
      if (!reg) throw new AppError("reg.none", {}, 409);
      if (reg.channel === "group") throw new AppError("reg.group_view_only", {}, 403);
      const rules = await loadSiteRules(trx, ctx.sitting.id, reg.org_id);
      const entries = await listEntries(trx, reg.id, now);
      const refusal = submitRefusal(rules, await registrationState(trx, reg), entries.length, now);
      if (refusal) throw new AppError(refusal, {}, 409);
      await submitLockedRegistration(trx, reg, ctx.actor, now);
    });
}

/**
 * The same submission made by the site on the candidate's page (manual §二十五 5: 替考生提交信息审核),
 * for online and group candidates alike.
 */
export async function submitForReviewBySite(
  trx: Transaction<DB>,
  registrationId: number,
  actor: Actor,
  now = new Date(),
) {
  const reg = await lockRegistration(trx, registrationId);
  if (!reg) throw new AppError("mgt.reg_not_found", {}, 404);
  const rules = await loadSiteRules(trx, reg.sitting_id, reg.org_id);
  const entries = await listEntries(trx, reg.id, now);
  const gap = submissionGap(rules, await registrationState(trx, reg), entries.length);
  if (gap) throw new AppError(gap, {}, 409);
  await submitLockedRegistration(trx, reg, actor, now);
}

/** Locks the registration and puts it before the site; nothing expires while it waits (CAN-8). */
async function submitLockedRegistration(trx: Transaction<DB>, reg: Registration, actor: Actor, now: Date) {
  await trx
    .updateTable("registration")
    .set({ locked: true, review_status: "pending", hold_until: null, updated_at: now })
    .where("id", "=", reg.id)
    .execute();
  await setUnpaidEntryHolds(trx, [reg.id], null);
  await recordAudit(
    trx,
    { ...actor, orgId: reg.org_id },
    {
      action: "registration.submit",
      entityType: "registration",
      entityId: String(reg.id),
      before: { locked: reg.locked, review_status: reg.review_status },
      after: { locked: true, review_status: "pending" },
    },
  );
}
