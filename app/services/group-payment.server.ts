import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import { listGroupUnpaid, listSiteClassNames } from "~db/queries/registrations";
import { getSiteSetting, listSiteFees } from "~db/queries/setup";
import type { DB, PaymentBatch, SiteSetting } from "~db/schema";
import { AppError } from "~/domain/errors";
import { batchActionRefusal, deleteReasonRefusal, summariseBatch, type BatchFilter, type BatchSummary } from "~/domain/group-payment";
import { groupPayableGap, type GroupPayableGap } from "~/domain/registration";
import { getPaymentProvider } from "~/payments/index.server";
import type { AdminContext } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import { recordAudit } from "./audit.server";
import { holdMinutes } from "./load-registration.server";
import { newPaymentId, openAtProvider } from "./open-payment.server";
import { reconcilePayment } from "./reconcile-payments.server";
import { requireSite, isSite } from "~/utils/permissions.server";
import { isUniqueViolation } from "~db/errors";
import { lockRegistrations } from "~db/queries/locks";

/**
 * GRP-6 group payment (manual §二十五 6). A site administrator locks a batch of payable entries
 * (one open batch per site; an entry in one batch at most), pays it through the payment provider,
 * refreshes its state, or deletes it with a reason (refreshing first). The route checks the
 * account, the writable sitting, the role (finance refused) and the registration-management window
 * (requireAdminMutation); this module checks the site, its group-payment setting and the batch's own
 * state, and audits every change. Locking and paying need group payment on; a batch left open when
 * the site turns it off can still be refreshed and deleted, so its entries are never stuck.
 */

type Q = Kysely<DB> | Transaction<DB>;

/** The site's payment page is the return URL: coming back, it reconciles at once. */
export const GROUP_PAYMENT_PATH = "/admin/group/payment";


async function requireEnabled(db: Q, ctx: AdminContext): Promise<SiteSetting> {
  const setting = await getSiteSetting(db, ctx.sitting.id, ctx.org.id);
  if (!setting.group_payment) throw new AppError("grouppay.disabled", {}, 403);
  return setting;
}

/** A batch of this site in the viewed sitting; another site's batch is not found (ORG-2). */
async function findOwnBatch(db: Q, ctx: AdminContext, batchId: number, lock = false): Promise<PaymentBatch> {
  if (!Number.isSafeInteger(batchId) || batchId <= 0) throw new AppError("grouppay.not_found", {}, 404);
  let q = db.selectFrom("payment_batch").selectAll().where("id", "=", batchId).where("org_id", "=", ctx.org.id).where("sitting_id", "=", ctx.sitting.id);
  if (lock) q = q.forUpdate();
  const batch = await q.executeTakeFirst();
  if (!batch) throw new AppError("grouppay.not_found", {}, 404);
  return batch;
}

function refuse(status: PaymentBatch["status"], action: "pay" | "refresh" | "delete") {
  const key = batchActionRefusal(status, action);
  if (key) throw new AppError(key, {}, 409);
}

export interface PayableView {
  /** What a batch locked now with this filter would hold. */
  summary: BatchSummary;
  /** Unpaid entries outside any batch that cannot be taken yet, by reason. */
  gaps: Partial<Record<GroupPayableGap, number>>;
}

/** GRP-6: the entries of the site a batch may take now (the rule itself is `groupPayableGap`). */
async function findPayable(db: Q, ctx: AdminContext, setting: SiteSetting, filter: BatchFilter & { registrationIds?: number[] }, now: Date) {
  const rows = await listGroupUnpaid(db, ctx.sitting.id, ctx.org.id, filter, now);
  const payable: typeof rows = [];
  const gaps: Partial<Record<GroupPayableGap, number>> = {};
  for (const r of rows) {
    const gap = groupPayableGap(
      { review_required: setting.review_required },
      { photo_at: r.photo_at, review_status: r.review_status, pending_payment: r.reg_pending },
      { subject_code: r.subject_code, paid: r.paid, in_pending_payment: r.in_pending_payment, in_batch: r.in_batch },
    );
    if (gap) gaps[gap] = (gaps[gap] ?? 0) + 1;
    else payable.push(r);
  }
  const fees = await listSiteFees(db, ctx.sitting.id, ctx.org.id);
  return {
    summary: summariseBatch(payable, setting.per_person_fee_fen ?? 0, fees), gaps,
    entryIds: payable.map((r) => r.entry_id), registrationIds: [...new Set(payable.map((r) => r.registration_id))],
  };
}

function isOneOpenViolation(e: unknown): boolean {
  return isUniqueViolation(e, "payment_batch_one_open");
}

/**
 * GRP-6 "lock a batch": every payable entry of the site matching the filter goes into one new batch,
 * which records what it adds up to. One open batch per site: the unique index on open batches makes
 * a concurrent second lock wait for the first and then fail. The candidates' registrations are locked
 * (in id order, as every registration change locks its registration first) before their entries are
 * read again and taken, so no entry is changed, paid individually or released while it is taken,
 * and none is taken twice.
 */
export async function lockBatch(ctx: AdminContext, filter: BatchFilter, now = new Date()) {
  requireSite(ctx, "grouppay.site_only");
  const db = getDb();
  try {
    return await db.transaction().execute(async (trx) => {
      const setting = await requireEnabled(trx, ctx);
      const open = await trx.selectFrom("payment_batch").select("id").where("sitting_id", "=", ctx.sitting.id).where("org_id", "=", ctx.org.id)
        .where("status", "=", "open").executeTakeFirst();
      if (open) throw new AppError("grouppay.open_exists", {}, 409);
      // Claim the site's one open batch first; the figures follow once the entries are known.
      const { id } = await trx.insertInto("payment_batch").values({
        sitting_id: ctx.sitting.id, org_id: ctx.org.id, candidate_count: 0, entry_count: 0, per_person_count: 0, per_person_fen: 0,
        subject_fen: 0, amount_fen: 0, subject_codes: [], created_by: ctx.accountId, created_at: now,
      }).returning("id").executeTakeFirstOrThrow();

      const regIds = (await findPayable(trx, ctx, setting, filter, now)).registrationIds;
      if (regIds.length === 0) throw new AppError("grouppay.nothing_payable", {}, 409);
      await lockRegistrations(trx, regIds);
      const { summary, entryIds } = await findPayable(trx, ctx, setting, { ...filter, registrationIds: regIds }, now);
      if (entryIds.length === 0) throw new AppError("grouppay.nothing_payable", {}, 409);
      if (setting.per_person_fee_fen === null) throw new AppError("pay.fee_not_set", {}, 409);
      if (summary.missing_fees.length > 0) throw new AppError("grouppay.fee_missing", { codes: summary.missing_fees.join("、") }, 409);
      if (summary.amount_fen <= 0) throw new AppError("grouppay.nothing_payable", {}, 409);

      await trx.updateTable("payment_batch").set({
        candidate_count: summary.candidate_count, entry_count: summary.entry_count, per_person_count: summary.per_person_count,
        per_person_fen: summary.per_person_fen, subject_fen: summary.subject_fen, amount_fen: summary.amount_fen, subject_codes: summary.subject_codes,
      }).where("id", "=", id).execute();
      // Guarded: an entry already in a batch (or paid) is never taken; the fee is the one the amount counts.
      const taken = await trx.updateTable("entry").set({
        batch_id: id,
        fee_fen: sql`(select f.fee_fen from site_fee f where f.sitting_id = entry.sitting_id and f.org_id = entry.org_id and f.subject_code = entry.subject_code)`,
      }).where(sql<boolean>`id = any(${entryIds}::int[])`).where("batch_id", "is", null).where("paid", "=", false).executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== entryIds.length) throw new AppError("grouppay.changed", {}, 409);

      await recordAudit(trx, ctx.actor, {
        action: "group_payment.lock", entityType: "payment_batch", entityId: id,
        after: {
          filter: JSON.stringify(filter), candidates: summary.candidate_count, entries: summary.entry_count, per_person_count: summary.per_person_count,
          per_person_fen: summary.per_person_fen, subject_fen: summary.subject_fen, amount_fen: summary.amount_fen, subjects: summary.subject_codes.join(","),
        },
      });
      return { id, ...summary };
    });
  } catch (e) {
    if (isOneOpenViolation(e)) throw new AppError("grouppay.open_exists", {}, 409);
    throw e;
  }
}

/** CAN-7 reconciliation for a batch: ask the provider about each of its payments still pending. */
async function reconcileBatch(batchId: number, now: Date) {
  const pending = await getDb().selectFrom("payment").select("id").where("batch_id", "=", batchId).where("status", "=", "pending").execute();
  for (const p of pending) await reconcilePayment(p.id, now);
  return (await getDb().selectFrom("payment_batch").select("status").where("id", "=", batchId).executeTakeFirstOrThrow()).status;
}

/**
 * GRP-6 "pay": a payment of the batch's amount through the provider; returns the gateway URL. A
 * payment still open at the gateway is reused; earlier ones are reconciled first, so a batch already
 * paid is never paid again.
 */
export async function payBatch(ctx: AdminContext, batchId: number, now = new Date()): Promise<{ paymentId: string; redirectUrl: string }> {
  requireSite(ctx, "grouppay.site_only");
  const db = getDb();
  const env = getEnv();
  const provider = getPaymentProvider();
  await requireEnabled(db, ctx);
  refuse((await findOwnBatch(db, ctx, batchId)).status, "pay");
  await reconcileBatch(batchId, now);
  const made = await db.transaction().execute(async (trx) => {
    const batch = await findOwnBatch(trx, ctx, batchId, true);
    refuse(batch.status, "pay");
    const open = await trx.selectFrom("payment").select(["id", "redirect_url"]).where("batch_id", "=", batch.id).where("status", "=", "pending")
      .where("expires_at", ">", now).where("redirect_url", "is not", null).orderBy("created_at", "desc").executeTakeFirst();
    if (open?.redirect_url) return { kind: "reused" as const, id: open.id, url: open.redirect_url };
    const entries = await trx.selectFrom("entry").select(["id", "subject_code"]).where("batch_id", "=", batch.id).orderBy("id").execute();
    if (entries.length === 0 || batch.amount_fen <= 0) throw new AppError("grouppay.nothing_payable", {}, 409);
    const id = newPaymentId(now);
    await trx.insertInto("payment").values({
      id, sitting_id: batch.sitting_id, org_id: batch.org_id, registration_id: null, account_id: ctx.accountId, provider: provider.name, batch_id: batch.id,
      amount_fen: batch.amount_fen, per_person_fen: batch.per_person_fen, entry_ids: entries.map((e) => e.id), subject_codes: entries.map((e) => e.subject_code),
      expires_at: new Date(now.getTime() + env.PAYMENT_TIMEOUT_MINUTES * 60_000),
    }).execute();
    await recordAudit(trx, ctx.actor, {
      action: "group_payment.pay", entityType: "payment_batch", entityId: batch.id,
      after: { payment: id, amount_fen: batch.amount_fen, entries: entries.length },
    });
    return { kind: "new" as const, id, amount: batch.amount_fen, label: `${ctx.sitting.name} ${ctx.org.code} #${batch.id} (${batch.subject_codes.join(",")})` };
  });
  if (made.kind === "reused") return { paymentId: made.id, redirectUrl: made.url };
  return openAtProvider(made.id, made.amount, made.label, GROUP_PAYMENT_PATH);
}

/** GRP-6 "refresh" (manual tip 4): reconcile the batch's pending payments; a deleted batch cannot be refreshed. */
export async function refreshBatch(ctx: AdminContext, batchId: number, now = new Date()) {
  requireSite(ctx, "grouppay.site_only");
  const db = getDb();
  const before = await findOwnBatch(db, ctx, batchId);
  refuse(before.status, "refresh");
  const status = await reconcileBatch(batchId, now);
  await recordAudit(db, ctx.actor, {
    action: "group_payment.refresh", entityType: "payment_batch", entityId: batchId, before: { status: before.status }, after: { status },
  });
  return status;
}

/**
 * GRP-6 "delete" (manual tip 5): a reason is required; the batch is refreshed first, and a batch that
 * turns out paid stays. Otherwise it is deleted for good: its entries are free again (their unpaid
 * holds restart, CAN-8) and its pending payment is closed (a payment completed at the gateway after
 * this is due a refund).
 */
export async function deleteBatch(ctx: AdminContext, batchId: number, reason: string, now = new Date()): Promise<{ deleted: boolean; status: PaymentBatch["status"] }> {
  requireSite(ctx, "grouppay.site_only");
  const bad = deleteReasonRefusal(reason);
  if (bad) throw new AppError(bad.key, bad.params, 400);
  const db = getDb();
  refuse((await findOwnBatch(db, ctx, batchId)).status, "delete");
  const refreshed = await reconcileBatch(batchId, now);
  if (refreshed === "paid") {
    await recordAudit(db, ctx.actor, { action: "group_payment.refresh", entityType: "payment_batch", entityId: batchId, before: { status: "open" }, after: { status: "paid" } });
    return { deleted: false, status: "paid" };
  }
  return db.transaction().execute(async (trx) => {
    const batch = await findOwnBatch(trx, ctx, batchId, true);
    if (batch.status === "paid") return { deleted: false, status: "paid" as const };
    refuse(batch.status, "delete");
    const hold = new Date(now.getTime() + holdMinutes() * 60_000);
    await trx.updateTable("payment_batch").set({ status: "deleted", delete_reason: reason.trim(), finished_at: now }).where("id", "=", batch.id).execute();
    const released = await trx.updateTable("entry").set({
      batch_id: null,
      hold_until: sql`case when hold_until is null then null else greatest(hold_until, ${hold}) end`,
    }).where("batch_id", "=", batch.id).where("paid", "=", false).executeTakeFirst();
    const closed = await trx.updateTable("payment").set({ status: "failed", note: "batch_deleted", finished_at: now })
      .where("batch_id", "=", batch.id).where("status", "=", "pending").executeTakeFirst();
    await recordAudit(trx, ctx.actor, {
      action: "group_payment.delete", entityType: "payment_batch", entityId: batch.id,
      before: { status: batch.status }, after: { status: "deleted", reason: reason.trim(), entries_released: Number(released.numUpdatedRows), payments_closed: Number(closed.numUpdatedRows) },
    });
    return { deleted: true, status: "deleted" as const };
  });
}

/** Back from the gateway (`?order=`): a pending payment of this site's batch is reconciled at once. */
export async function reconcileReturn(ctx: AdminContext, orderId: string, now = new Date()) {
  if (!isSite(ctx) || !orderId) return null;
  const p = await getDb().selectFrom("payment").select(["id", "status"]).where("id", "=", orderId).where("org_id", "=", ctx.org.id)
    .where("batch_id", "is not", null).executeTakeFirst();
  if (!p) return null;
  return p.status === "pending" ? reconcilePayment(p.id, now) : p.status;
}

export interface BatchListOptions {
  includePaid: boolean;
  includeDeleted: boolean;
}

/** GRP-6: the page: the site's setting, its batches (open ones always), and what is payable now. */
export async function loadGroupPaymentPage(ctx: AdminContext, opts: BatchListOptions, filter: BatchFilter, now = new Date()) {
  requireSite(ctx, "grouppay.site_only");
  const db = getDb();
  const setting = await getSiteSetting(db, ctx.sitting.id, ctx.org.id);
  const statuses: PaymentBatch["status"][] = ["open", ...(opts.includePaid ? ["paid" as const] : []), ...(opts.includeDeleted ? ["deleted" as const] : [])];
  const batches = await db.selectFrom("payment_batch").selectAll().where("sitting_id", "=", ctx.sitting.id).where("org_id", "=", ctx.org.id)
    .where("status", "in", statuses).orderBy("created_at", "desc").orderBy("id", "desc").execute();
  const pending = batches.length === 0 ? [] : await db.selectFrom("payment").select(["id", "batch_id", "redirect_url", "expires_at"])
    .where("batch_id", "in", batches.map((b) => b.id)).where("status", "=", "pending").where("expires_at", ">", now).execute();
  const found = setting.group_payment ? await findPayable(db, ctx, setting, filter, now) : null;
  const payable: PayableView | null = found ? { summary: found.summary, gaps: found.gaps } : null;
  const subjects = await db.selectFrom("site_subject as s").innerJoin("subject", "subject.code", "s.subject_code").select(["s.subject_code as code", "subject.name"])
    .where("s.sitting_id", "=", ctx.sitting.id).where("s.org_id", "=", ctx.org.id).orderBy("s.subject_code").execute();
  return {
    enabled: setting.group_payment,
    perPersonFen: setting.per_person_fee_fen,
    batches: batches.map((b) => {
      const p = pending.find((x) => x.batch_id === b.id);
      return { ...b, pending: p ? { id: p.id, url: p.redirect_url, expires: p.expires_at } : null };
    }),
    openExists: batches.some((b) => b.status === "open"),
    payable,
    subjects,
    classNames: await listSiteClassNames(db, ctx.sitting.id, ctx.org.id),
  };
}
