import { randomBytes } from "node:crypto";
import { sql, type Transaction } from "kysely";
import { getDb } from "~db/client";
import { findPendingPayment, listEntries, lockRegistration, lockRegistrationByAccount } from "~db/queries/registrations";
import { takeSubjectSeats, takeTotalSeats } from "~db/queries/seats";
import type { DB, Payment } from "~db/schema";
import { AppError } from "~/domain/errors";
import { amountDue, paymentRefusal, personFeeCovered } from "~/domain/registration";
import { getPaymentProvider } from "~/payments/index.server";
import type { PaymentNotice } from "~/payments/provider";
import type { CandidateContext } from "~/utils/auth.server";
import { getEnv, publicUrl } from "~/utils/env.server";
import { recordAudit, type Actor } from "./audit.server";
import { loadFees, loadSiteRules, registrationState } from "./load-registration.server";
import { lockRegistrations } from "~db/queries/locks";

const SYSTEM: Actor = { accountId: null, name: "payment", orgId: null, sittingId: null, ip: null };
/** A late notification still finds its entries: they are held this long past the payment's expiry. */
const GRACE_MS = 30 * 60_000;

export function newPaymentId(now: Date) {
  const stamp = now.toISOString().replace(/\D/g, "").slice(0, 14);
  return `P${stamp}${randomBytes(4).toString("hex").toUpperCase()}`;
}

/**
 * CAN-5/CAN-6/CAN-7: start paying the unpaid entries. The amount is computed here from the fees the
 * province set (never taken from the request); starting locks the registration. A payment still
 * open at the gateway is reused, so a double click never charges twice. Entries a group payment
 * batch holds are the site's to pay (GRP-6), and so is the per-person fee the batch includes.
 */
export async function startPayment(ctx: CandidateContext, now = new Date()): Promise<{ paymentId: string; redirectUrl: string }> {
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
    const unpaid = open.filter((e) => !e.in_batch);
    const fees = await loadFees(trx, ctx.sitting.id, reg.org_id);
    if (rules.per_person_fee_fen === null || unpaid.some((e) => !fees.has(e.subject_code))) throw new AppError("pay.fee_not_set", {}, 409);
    const due = amountDue(rules.per_person_fee_fen, personFeeCovered(reg.person_fee_paid, entries), unpaid.map((e) => fees.get(e.subject_code)!));
    if (due.totalFen <= 0) throw new AppError("pay.nothing_due", {}, 409);
    const id = newPaymentId(now);
    const expires = new Date(now.getTime() + env.PAYMENT_TIMEOUT_MINUTES * 60_000);
    await trx.insertInto("payment").values({
      id, sitting_id: ctx.sitting.id, org_id: reg.org_id, registration_id: reg.id, account_id: ctx.accountId, provider: provider.name,
      amount_fen: due.totalFen, per_person_fen: due.perPersonFen, entry_ids: unpaid.map((e) => e.id),
      subject_codes: unpaid.map((e) => e.subject_code), expires_at: expires,
    }).execute();
    for (const e of unpaid) {
      await trx.updateTable("entry").set({
        fee_fen: fees.get(e.subject_code)!,
        // A hold never ends while its payment may still be confirmed.
        hold_until: sql`case when hold_until is null then null else greatest(hold_until, ${new Date(expires.getTime() + GRACE_MS)}) end`,
      }).where("id", "=", e.id).execute();
    }
    await trx.updateTable("registration").set({ locked: true, updated_at: now }).where("id", "=", reg.id).execute();
    await recordAudit(trx, { ...ctx.actor, orgId: reg.org_id }, {
      action: "payment.start", entityType: "payment", entityId: id,
      after: { amount_fen: due.totalFen, per_person_fen: due.perPersonFen, entries: unpaid.map((e) => e.subject_code).join(","), locked: true },
    });
    return { kind: "new" as const, id, amount: due.totalFen, entries: unpaid.map((e) => e.subject_name) };
  });
  if (made.kind === "reused") return { paymentId: made.id, redirectUrl: made.url };
  return openAtProvider(made.id, made.amount, `${ctx.sitting.name} ${made.entries.join("、")}`, "/candidate/pay");
}

/**
 * Registers a payment just committed with the provider and keeps where to send the payer; if the
 * provider cannot be reached the payment is closed as failed, so nothing stays locked by it. The
 * notify and return URLs come from PUBLIC_URL, never from the request's Host header: a client must
 * not choose where the provider sends signed notifications.
 */
export async function openAtProvider(paymentId: string, amountFen: number, description: string, returnPath: string) {
  const db = getDb();
  const provider = getPaymentProvider();
  try {
    const { redirectUrl } = await provider.createPayment({
      orderId: paymentId, amountFen, description: description.slice(0, 120),
      notifyUrl: publicUrl(`/payments/notify/${provider.name}`), returnUrl: publicUrl(returnPath),
    });
    await db.updateTable("payment").set({ redirect_url: redirectUrl }).where("id", "=", paymentId).execute();
    return { paymentId, redirectUrl };
  } catch (e) {
    await db.updateTable("payment").set({ status: "failed", note: "provider_unavailable", finished_at: new Date() }).where("id", "=", paymentId).where("status", "=", "pending").execute();
    if (e instanceof AppError) throw e;
    console.error("payment provider", e);
    throw new AppError("pay.provider_down", {}, 502);
  }
}

export type NoticeOutcome = "applied" | "duplicate" | "unknown_order" | "amount_mismatch" | "provider_mismatch" | "ignored" | "refund_due";

/**
 * CAN-7: a verified notification (or a reconciliation answer) applied exactly once. Replays are
 * recorded and change nothing; an amount that differs from what we asked is refused.
 */
export async function applyPaymentNotice(providerName: string, notice: PaymentNotice, now = new Date()): Promise<NoticeOutcome> {
  return getDb().transaction().execute(async (trx) => {
    const payment = await trx.selectFrom("payment").selectAll().where("id", "=", notice.orderId).forUpdate().executeTakeFirst();
    const outcome = await decide(trx, providerName, payment, notice, now);
    await trx.insertInto("payment_notification").values({
      provider: providerName, payment_id: payment?.id ?? null, provider_txn_id: notice.providerTxnId, status: notice.status, amount_fen: notice.amountFen, outcome,
    }).execute();
    return outcome;
  });
}

async function decide(trx: Transaction<DB>, providerName: string, payment: Payment | undefined, notice: PaymentNotice, now: Date): Promise<NoticeOutcome> {
  if (!payment) return "unknown_order";
  if (payment.provider !== providerName) return "provider_mismatch";
  if (notice.amountFen !== payment.amount_fen) return "amount_mismatch";
  if (payment.status === "paid" || payment.status === "refund_due") return "duplicate";
  if (notice.status === "failed") {
    if (payment.status === "failed") return "duplicate";
    await trx.updateTable("payment").set({ status: "failed", finished_at: now }).where("id", "=", payment.id).execute();
    return "applied";
  }
  // Paid: pending, expired and failed (given up, then paid after all) payments all count.
  if (payment.batch_id !== null) return applyBatchPaid(trx, payment, payment.batch_id, notice, now);
  const reg = payment.registration_id ? await lockRegistration(trx, payment.registration_id) : undefined;
  const entries = reg
    ? await trx.selectFrom("entry").selectAll().where("id", "in", payment.entry_ids).where("registration_id", "=", reg.id).forUpdate().execute()
    : [];
  // GRP-6: an entry a group payment batch took (after this payment lapsed) is the site's to pay.
  const inBatch = entries.some((e) => e.batch_id !== null);
  // CAN-7: every refusal is decided before anything is re-created, and the restore is all or
  // nothing (a savepoint): a refund never keeps a seat or leaves an entry nothing will free (CAN-8).
  if (!reg || inBatch || entries.some((e) => e.paid)) return refundDue(trx, payment, notice, now, inBatch ? "entries_in_batch" : "entries_gone");
  if (!(await restoreMissingEntries(trx, payment, reg.id, entries.map((e) => e.id)))) return refundDue(trx, payment, notice, now, "entries_gone");
  await trx.updateTable("entry").set({ paid: true, paid_at: now, payment_id: payment.id, hold_until: null })
    .where("registration_id", "=", reg.id).where("id", "in", payment.entry_ids).execute();
  await trx.updateTable("registration").set({ person_fee_paid: true, locked: true, hold_until: null, updated_at: now }).where("id", "=", reg.id).execute();
  // The per-person fee was paid meanwhile by another way (a group batch): this one is owed back.
  const note = payment.per_person_fen > 0 && reg.person_fee_paid ? "per_person_refund_due" : "";
  await trx.updateTable("payment").set({ status: "paid", provider_txn_id: notice.providerTxnId, finished_at: now, note }).where("id", "=", payment.id).execute();
  await recordAudit(trx, { ...SYSTEM, sittingId: payment.sitting_id, orgId: payment.org_id }, {
    action: "payment.paid", entityType: "payment", entityId: payment.id, before: { status: payment.status },
    after: { status: "paid", amount_fen: payment.amount_fen, txn: notice.providerTxnId, ...(note ? { note, refund_fen: payment.per_person_fen } : {}) },
  });
  return "applied";
}

async function refundDue(trx: Transaction<DB>, payment: Payment, notice: PaymentNotice, now: Date, note: string): Promise<NoticeOutcome> {
  await trx.updateTable("payment").set({ status: "refund_due", provider_txn_id: notice.providerTxnId, finished_at: now, note }).where("id", "=", payment.id).execute();
  await recordAudit(trx, { ...SYSTEM, sittingId: payment.sitting_id, orgId: payment.org_id }, {
    action: "payment.refund_due", entityType: "payment", entityId: payment.id, after: { amount_fen: payment.amount_fen, note },
  });
  return "refund_due";
}

/**
 * GRP-6: a group payment batch paid. Every entry of the batch becomes paid (at the fee recorded when
 * the batch was locked, else the site's fee now), the per-person fee counts as paid for each of its
 * candidates, the batch is done. A batch deleted meanwhile, already paid by another payment, or whose
 * entries are no longer exactly what this payment was for, gets nothing: a refund is due.
 * Lock order: payment (held) → batch → registrations (by id) → entries.
 */
async function applyBatchPaid(trx: Transaction<DB>, payment: Payment, batchId: number, notice: PaymentNotice, now: Date): Promise<NoticeOutcome> {
  const batch = await trx.selectFrom("payment_batch").selectAll().where("id", "=", batchId).forUpdate().executeTakeFirst();
  if (!batch || batch.status !== "open") return refundDue(trx, payment, notice, now, batch?.status === "paid" ? "batch_already_paid" : "batch_deleted");
  const regIds = (await trx.selectFrom("entry").select("registration_id").distinct().where("batch_id", "=", batchId).execute()).map((r) => r.registration_id);
  if (regIds.length > 0) {
    await lockRegistrations(trx, regIds);
  }
  const entries = await trx.selectFrom("entry").select(["id", "paid", "subject_code", "fee_fen"]).where("batch_id", "=", batchId).orderBy("id").forUpdate().execute();
  const wanted = new Set(payment.entry_ids);
  if (entries.length !== wanted.size || entries.some((e) => e.paid || !wanted.has(e.id))) return refundDue(trx, payment, notice, now, "entries_changed");
  await trx.updateTable("entry").set({
    paid: true, paid_at: now, payment_id: payment.id, hold_until: null,
    fee_fen: sql`coalesce(entry.fee_fen, (select f.fee_fen from site_fee f where f.sitting_id = entry.sitting_id and f.org_id = entry.org_id and f.subject_code = entry.subject_code), 0)`,
  }).where("batch_id", "=", batchId).execute();
  if (regIds.length > 0) {
    // CAN-5: paid registrations are locked, as when a candidate pays.
    await trx.updateTable("registration").set({ person_fee_paid: true, locked: true, hold_until: null, updated_at: now })
      .where(sql<boolean>`id = any(${regIds}::int[])`).execute();
  }
  await trx.updateTable("payment_batch").set({ status: "paid", finished_at: now }).where("id", "=", batchId).execute();
  await trx.updateTable("payment").set({ status: "paid", provider_txn_id: notice.providerTxnId, finished_at: now }).where("id", "=", payment.id).execute();
  await recordAudit(trx, { ...SYSTEM, sittingId: payment.sitting_id, orgId: payment.org_id }, {
    action: "group_payment.paid", entityType: "payment_batch", entityId: batchId,
    before: { status: batch.status }, after: { status: "paid", payment: payment.id, amount_fen: payment.amount_fen, entries: entries.length, txn: notice.providerTxnId },
  });
  return "applied";
}

/**
 * A payment confirmed after its entries were released (a very late notification): the entries come
 * back if their seats are still there, so the candidate gets what they paid for; else a refund is due.
 */
async function restoreMissingEntries(trx: Transaction<DB>, payment: Payment, registrationId: number, present: number[]): Promise<boolean> {
  const missing = payment.entry_ids.filter((id) => !present.includes(id));
  if (missing.length === 0) return true;
  const existing = new Set((await trx.selectFrom("entry").select("subject_code").where("registration_id", "=", registrationId).execute()).map((e) => e.subject_code));
  const codes = payment.subject_codes;
  const lost = codes.filter((c) => !existing.has(c)).sort();
  if (lost.length !== missing.length) return false;
  // The site total is taken before the subjects (lock order): a full subject must give it back.
  await sql`savepoint restore_entries`.execute(trx);
  const seated = (await takeTotalSeats(trx, payment.sitting_id, payment.org_id, lost.length))
    && (await takeSubjectSeats(trx, payment.sitting_id, payment.org_id, lost)).length === 0;
  if (!seated) {
    await sql`rollback to savepoint restore_entries`.execute(trx);
    return false;
  }
  await sql`release savepoint restore_entries`.execute(trx);
  const fees = await loadFees(trx, payment.sitting_id, payment.org_id);
  const made = await trx.insertInto("entry").values(lost.map((code) => ({
    registration_id: registrationId, sitting_id: payment.sitting_id, org_id: payment.org_id, subject_code: code, fee_fen: fees.get(code) ?? 0,
  }))).returning("id").execute();
  await trx.updateTable("payment").set({ entry_ids: [...present, ...made.map((m) => m.id)] }).where("id", "=", payment.id).execute();
  payment.entry_ids = [...present, ...made.map((m) => m.id)];
  return true;
}

/**
 * CAN-7 reconciliation: ask the provider about a payment whose notification has not come, and
 * apply its answer; an order still open past its expiry is marked expired.
 */
export async function reconcilePayment(paymentId: string, now = new Date()) {
  const db = getDb();
  const payment = await db.selectFrom("payment").selectAll().where("id", "=", paymentId).executeTakeFirst();
  if (!payment || payment.status !== "pending") return payment?.status ?? null;
  const provider = getPaymentProvider(payment.provider);
  const state = await provider.queryPayment(payment.id);
  if (state.status === "paid" || state.status === "failed") {
    await applyPaymentNotice(payment.provider, { orderId: payment.id, providerTxnId: state.providerTxnId, status: state.status, amountFen: state.amountFen }, now);
  } else if (payment.expires_at <= now) {
    await db.updateTable("payment").set({ status: "expired", finished_at: now }).where("id", "=", payment.id).where("status", "=", "pending").execute();
  }
  return (await db.selectFrom("payment").select("status").where("id", "=", payment.id).executeTakeFirstOrThrow()).status;
}

/** The candidate's "I have paid, refresh" button: reconciles their latest pending payment. */
export async function refreshMyPayment(ctx: CandidateContext, now = new Date()) {
  const db = getDb();
  const reg = await db.selectFrom("registration").select("id").where("sitting_id", "=", ctx.sitting.id).where("account_id", "=", ctx.accountId).executeTakeFirst();
  if (!reg) throw new AppError("reg.none", {}, 409);
  await reconcileRegistrationPayments(reg.id, now);
}

/** Asks the provider about every order of a registration still open on our side; the number asked. */
export async function reconcileRegistrationPayments(registrationId: number, now = new Date()) {
  const pending = await getDb().selectFrom("payment").select("id").where("registration_id", "=", registrationId).where("status", "=", "pending").execute();
  for (const p of pending) await reconcilePayment(p.id, now);
  return pending.length;
}

/**
 * The payer gave up at the gateway: the order is closed on our side so entries can change again.
 * If the provider says it was paid after all, that wins.
 */
export async function abandonMyPayment(ctx: CandidateContext, now = new Date()) {
  const db = getDb();
  const reg = await db.selectFrom("registration").select(["id", "org_id"]).where("sitting_id", "=", ctx.sitting.id).where("account_id", "=", ctx.accountId).executeTakeFirst();
  if (!reg) throw new AppError("reg.none", {}, 409);
  const pending = await findPendingPayment(db, reg.id, now);
  if (!pending) return;
  const status = await reconcilePayment(pending.id, now);
  if (status !== "pending") return;
  await db.transaction().execute(async (trx) => {
    const r = await trx.updateTable("payment").set({ status: "failed", note: "abandoned_by_payer", finished_at: now })
      .where("id", "=", pending.id).where("status", "=", "pending").executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) {
      await recordAudit(trx, { ...ctx.actor, orgId: reg.org_id }, { action: "payment.abandon", entityType: "payment", entityId: pending.id, after: { status: "failed" } });
    }
  });
}

/** CAN-7 sweep: every pending payment older than a minute is reconciled (lost notifications). */
export async function reconcilePendingPayments(now = new Date(), limit = 200) {
  const rows = await getDb().selectFrom("payment").select("id").where("status", "=", "pending")
    .where("created_at", "<", new Date(now.getTime() - 60_000)).orderBy("created_at").limit(limit).execute();
  let settled = 0;
  for (const r of rows) if ((await reconcilePayment(r.id, now)) !== "pending") settled++;
  return { checked: rows.length, settled };
}
