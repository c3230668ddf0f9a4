import type { Transaction } from "kysely";
import { setUnpaidEntryHolds } from "~db/queries/entries";
import type { DB, Registration } from "~db/schema";
import { lockRegistration } from "~db/queries/registrations";
import { reviewRefusal, type ReviewDecision } from "~/domain/candidate-management";
import { AppError } from "~/domain/errors";
import type { Actor } from "./audit.server";
import { recordAudits } from "./audit.server";
import { holdMinutes } from "./load-registration.server";

export type { ReviewDecision };

/**
 * MGT-4 (one registration): pass only a pending one; fail a pending or passed one with a type and
 * a reason. A failed registration is unlocked so the candidate can correct it (CAN-6). Either way
 * the unpaid hold starts now (CAN-8): the candidate can act again.
 */
export async function reviewRegistration(
  trx: Transaction<DB>,
  actor: Actor,
  registrationId: number,
  decision: ReviewDecision,
  now = new Date(),
) {
  const reg = await lockRegistration(trx, registrationId);
  if (!reg) throw new AppError("reg.none", {}, 404);
  const refusal = reviewRefusal(reg.review_status, decision);
  if (refusal) throw new AppError(refusal, {}, refusal === "review.reason_required" ? 400 : 409);
  await applyReview(trx, actor, [reg], decision, now);
}

/**
 * The decision for registrations already locked and found reviewable, in a few statements whatever
 * their number (a bulk review of 3,000 at once, MGT-4).
 */
export async function applyReview(
  trx: Transaction<DB>,
  actor: Actor,
  regs: readonly Registration[],
  decision: ReviewDecision,
  now = new Date(),
) {
  if (regs.length === 0) return;
  const hold = new Date(now.getTime() + holdMinutes() * 60_000);
  const after = decision.pass
    ? { review_status: "passed" as const, review_failure_type: null, reviewed_at: now }
    : {
        review_status: "failed" as const,
        review_failure_type: decision.failureType,
        review_reason: decision.reason.trim(),
        reviewed_at: now,
        locked: false,
      };
  const ids = regs.map((r) => r.id);
  const paid = regs.filter((r) => r.paid_count > 0).map((r) => r.id);
  const unpaid = regs.filter((r) => r.paid_count === 0).map((r) => r.id);
  if (unpaid.length)
    await trx
      .updateTable("registration")
      .set({ ...after, hold_until: hold, updated_at: now })
      .where("id", "in", unpaid)
      .execute();
  if (paid.length)
    await trx
      .updateTable("registration")
      .set({ ...after, hold_until: null, updated_at: now })
      .where("id", "in", paid)
      .execute();
  await setUnpaidEntryHolds(trx, ids, hold);
  await recordAudits(
    trx,
    actor,
    regs.map((reg) => ({
      action: decision.pass ? "registration.review_pass" : "registration.review_fail",
      entityType: "registration",
      entityId: String(reg.id),
      orgId: reg.org_id,
      before: { review_status: reg.review_status, locked: reg.locked },
      after,
    })),
  );
}
