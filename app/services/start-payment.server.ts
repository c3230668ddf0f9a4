import { sql } from "kysely";
import { getDb } from "~db/client";
import { findPendingPayment, listEntries, lockRegistrationByAccount } from "~db/queries/registrations";
import { AppError } from "~/domain/errors";
import { amountDue, paymentRefusal, personFeeCovered } from "~/domain/registration";
import { getPaymentProvider } from "~/payments/index.server";
import type { CandidateContext } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import { recordAudit } from "./audit.server";
import { loadFees, loadSiteRules, registrationState } from "./load-registration.server";
import { newPaymentId, openAtProvider } from "./open-payment.server";

/** A late notification still finds its entries: they are held this long past the payment's expiry. */
const GRACE_MS = 30 * 60_000;

/**
 * CAN-5/CAN-6/CAN-7: start paying the unpaid entries. The amount is computed here from the fees the
 * province set (never taken from the request); starting locks the registration. A payment still
 * open at the gateway is reused, so a double click never charges twice. Entries a group payment
 * payment batch holds are the site's to pay (GRP-6), and so is the per-person fee the payment batch includes.
 */
export async function startPayment(
  ctx: CandidateContext,
  now = new Date(),
): Promise<{ paymentId: string; redirectUrl: string }> {
  const db = getDb();
  const env = getEnv();
  const provider = getPaymentProvider();
  const made = await db.transaction().execute(async (trx) => {
    const reg = await lockRegistrationByAccount(trx, ctx.sitting.id, ctx.accountId);
    if (!reg) throw new AppError("reg.none", {}, 409);
    const started = await findPendingPayment(trx, reg.id, now);
    if (started?.redirect_url) return { kind: "reused" as const, id: started.id, url: started.redirect_url };
    const rules = await loadSiteRules(trx, ctx.sitting.id, reg.org_id);
    const entries = await listEntries(trx, reg.id, now);
    const open = entries.filter((e) => !e.paid && !e.in_pending_payment);
    const refusal = paymentRefusal(rules, await registrationState(trx, reg), open, now);
    if (refusal) throw new AppError(refusal, {}, 409);
    const unpaid = open.filter((e) => !e.in_payment_batch);
    const fees = await loadFees(trx, ctx.sitting.id, reg.org_id);
    if (rules.per_person_fee_fen === null || unpaid.some((e) => !fees.has(e.subject_code)))
      throw new AppError("pay.fee_not_set", {}, 409);
    const due = amountDue(
      rules.per_person_fee_fen,
      personFeeCovered(reg.person_fee_paid, entries),
      unpaid.map((e) => fees.get(e.subject_code)!),
    );
    if (due.totalFen <= 0) throw new AppError("pay.nothing_due", {}, 409);
    const id = newPaymentId(now);
    const expires = new Date(now.getTime() + env.PAYMENT_TIMEOUT_MINUTES * 60_000);
    await trx
      .insertInto("payment")
      .values({
        id,
        sitting_id: ctx.sitting.id,
        org_id: reg.org_id,
        registration_id: reg.id,
        account_id: ctx.accountId,
        provider: provider.name,
        amount_fen: due.totalFen,
        per_person_fen: due.perPersonFen,
        entry_ids: unpaid.map((e) => e.id),
        subject_codes: unpaid.map((e) => e.subject_code),
        expires_at: expires,
      })
      .execute();
    for (const e of unpaid) {
      await trx
        .updateTable("entry")
        .set({
          fee_fen: fees.get(e.subject_code)!,
          // A hold never ends while its payment may still be confirmed.
          hold_until: sql`case when hold_until is null then null else greatest(hold_until, ${new Date(expires.getTime() + GRACE_MS)}) end`,
        })
        .where("id", "=", e.id)
        .execute();
    }
    await trx.updateTable("registration").set({ locked: true, updated_at: now }).where("id", "=", reg.id).execute();
    await recordAudit(
      trx,
      { ...ctx.actor, orgId: reg.org_id },
      {
        action: "payment.start",
        entityType: "payment",
        entityId: id,
        after: {
          amount_fen: due.totalFen,
          per_person_fen: due.perPersonFen,
          entries: unpaid.map((e) => e.subject_code).join(","),
          locked: true,
        },
      },
    );
    return { kind: "new" as const, id, amount: due.totalFen, entries: unpaid.map((e) => e.subject_name) };
  });
  if (made.kind === "reused") return { paymentId: made.id, redirectUrl: made.url };
  return openAtProvider(made.id, made.amount, `${ctx.sitting.name} ${made.entries.join("、")}`, "/candidate/pay");
}
