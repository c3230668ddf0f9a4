import { type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import { listGroupUnpaid } from "~db/queries/registrations";
import { getSiteSetting, listSiteFees } from "~db/queries/setup";
import type { DB, PaymentBatch, SiteSetting } from "~db/schema";
import { AppError } from "~/domain/errors";
import {
  paymentBatchActionRefusal,
  summarisePaymentBatch,
  type PaymentBatchFilter,
  type PaymentBatchSummary,
} from "~/domain/group-payment";
import { groupPayableGap, type GroupPayableGap } from "~/domain/registration";
import type { AdminContext } from "~/utils/auth.server";
import { reconcilePayment } from "./reconcile-payments.server";

/**
 * GRP-6 group payment (manual §二十五 6). A site administrator locks a payment batch of payable entries
 * (one open payment batch per site; an entry in one payment batch at most), pays it through the payment provider,
 * refreshes its state, or deletes it with a reason (refreshing first). The route checks the
 * account, the writable sitting, the role (finance refused) and the registration-management window
 * (requireAdminMutation); this module checks the site, its group-payment setting and the payment batch's own
 * state, and audits every change. Locking and paying need group payment on; a payment batch left open when
 * the site turns it off can still be refreshed and deleted, so its entries are never stuck.
 */

type Q = Kysely<DB> | Transaction<DB>;

/** The site's payment page is the return URL: coming back, it reconciles at once. */
export const GROUP_PAYMENT_PATH = "/admin/group/payment";

export async function requireEnabled(db: Q, ctx: AdminContext): Promise<SiteSetting> {
  const setting = await getSiteSetting(db, ctx.sitting.id, ctx.org.id);
  if (!setting.group_payment) throw new AppError("grouppay.disabled", {}, 403);
  return setting;
}

/** A payment batch of this site in the viewed sitting; another site's payment batch is not found (ORG-2). */
export async function findOwnPaymentBatch(
  db: Q,
  ctx: AdminContext,
  paymentBatchId: number,
  lock = false,
): Promise<PaymentBatch> {
  if (!Number.isSafeInteger(paymentBatchId) || paymentBatchId <= 0) throw new AppError("grouppay.not_found", {}, 404);
  let q = db
    .selectFrom("payment_batch")
    .selectAll()
    .where("id", "=", paymentBatchId)
    .where("org_id", "=", ctx.org.id)
    .where("sitting_id", "=", ctx.sitting.id);
  if (lock) q = q.forUpdate();
  const paymentBatch = await q.executeTakeFirst();
  if (!paymentBatch) throw new AppError("grouppay.not_found", {}, 404);
  return paymentBatch;
}

export function refuse(status: PaymentBatch["status"], action: "pay" | "refresh" | "delete") {
  const key = paymentBatchActionRefusal(status, action);
  if (key) throw new AppError(key, {}, 409);
}

export interface PayableView {
  /** What a payment batch locked now with this filter would hold. */
  summary: PaymentBatchSummary;
  /** Unpaid entries outside any payment batch that cannot be taken yet, by reason. */
  gaps: Partial<Record<GroupPayableGap, number>>;
}

/** GRP-6: the entries of the site a payment batch may take now (the rule itself is `groupPayableGap`). */
export async function findPayable(
  db: Q,
  ctx: AdminContext,
  setting: SiteSetting,
  filter: PaymentBatchFilter & { registrationIds?: number[] },
  now: Date,
) {
  const rows = await listGroupUnpaid(db, ctx.sitting.id, ctx.org.id, filter, now);
  const payable: typeof rows = [];
  const gaps: Partial<Record<GroupPayableGap, number>> = {};
  for (const r of rows) {
    const gap = groupPayableGap(
      { review_required: setting.review_required },
      { photo_at: r.photo_at, review_status: r.review_status, pending_payment: r.reg_pending },
      {
        subject_code: r.subject_code,
        paid: r.paid,
        in_pending_payment: r.in_pending_payment,
        in_payment_batch: r.in_payment_batch,
      },
    );
    if (gap) gaps[gap] = (gaps[gap] ?? 0) + 1;
    else payable.push(r);
  }
  const fees = await listSiteFees(db, ctx.sitting.id, ctx.org.id);
  return {
    summary: summarisePaymentBatch(payable, setting.per_person_fee_fen ?? 0, fees),
    gaps,
    entryIds: payable.map((r) => r.entry_id),
    registrationIds: [...new Set(payable.map((r) => r.registration_id))],
  };
}

/** CAN-7 reconciliation for a payment batch: ask the provider about each of its payments still pending. */
export async function reconcilePaymentBatch(paymentBatchId: number, now: Date) {
  const pending = await getDb()
    .selectFrom("payment")
    .select("id")
    .where("payment_batch_id", "=", paymentBatchId)
    .where("status", "=", "pending")
    .execute();
  for (const p of pending) await reconcilePayment(p.id, now);
  return (
    await getDb()
      .selectFrom("payment_batch")
      .select("status")
      .where("id", "=", paymentBatchId)
      .executeTakeFirstOrThrow()
  ).status;
}
