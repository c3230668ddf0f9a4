import type { Transaction } from "kysely";
import type { DB } from "~db/schema";
import { lockRegistration } from "~db/queries/registrations";
import { reviewRefusal, type ReviewDecision } from "~/domain/candidate-management";
import { AppError } from "~/domain/errors";
import type { Actor } from "./audit.server";
import { recordAudit } from "./audit.server";
import { holdMinutes } from "./load-registration.server";

export type { ReviewDecision };

/**
 * MGT-4 (one registration): pass only a pending one; fail a pending or passed one with a type and
 * a reason. A failed registration is unlocked so the candidate can correct it (CAN-6). Either way
 * the unpaid hold starts now (CAN-8): the candidate can act again.
 */
export async function reviewRegistration(trx: Transaction<DB>, actor: Actor, registrationId: number, decision: ReviewDecision, now = new Date()) {
  const reg = await lockRegistration(trx, registrationId);
  if (!reg) throw new AppError("reg.none", {}, 404);
  const refusal = reviewRefusal(reg.review_status, decision);
  if (refusal) throw new AppError(refusal, {}, refusal === "review.reason_required" ? 400 : 409);
  const hold = new Date(now.getTime() + holdMinutes() * 60_000);
  const after = decision.pass
    ? { review_status: "passed" as const, review_failure_type: null, reviewed_at: now }
    : { review_status: "failed" as const, review_failure_type: decision.failureType, review_reason: decision.reason.trim(), reviewed_at: now, locked: false };
  await trx.updateTable("registration").set({ ...after, hold_until: reg.paid_count > 0 ? null : hold, updated_at: now }).where("id", "=", reg.id).execute();
  await trx.updateTable("entry").set({ hold_until: hold }).where("registration_id", "=", reg.id).where("paid", "=", false).execute();
  await recordAudit(trx, { ...actor, orgId: reg.org_id }, {
    action: decision.pass ? "registration.review_pass" : "registration.review_fail", entityType: "registration", entityId: String(reg.id),
    before: { review_status: reg.review_status, locked: reg.locked }, after,
  });
}
