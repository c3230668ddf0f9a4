import { sql, type Transaction } from "kysely";
import { siteFeeOfEntry } from "~db/queries/entries";
import { getDb } from "~db/client";
import { lockRegistration } from "~db/queries/registrations";
import { moveSeats } from "~db/queries/seats";
import type { DB, Payment } from "~db/schema";
import type { PaymentNotice } from "~/payments/provider";
import { recordAudit, type Actor } from "./audit.server";
import { loadFees } from "./load-registration.server";
import { recordRefundDue } from "~db/queries/refunds";
import { lockRegistrations } from "~db/queries/locks";

const SYSTEM: Actor = { accountId: null, name: "payment", orgId: null, sittingId: null, ip: null };

export type NoticeOutcome =
  "applied" | "duplicate" | "unknown_order" | "amount_mismatch" | "provider_mismatch" | "ignored" | "refund_due";

/**
 * CAN-7: a verified notification (or a reconciliation answer) applied exactly once. Replays are
 * recorded and change nothing; an amount that differs from what we asked is refused.
 */
export async function applyPaymentNotice(
  providerName: string,
  notice: PaymentNotice,
  now = new Date(),
): Promise<NoticeOutcome> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const payment = await trx
        .selectFrom("payment")
        .selectAll()
        .where("id", "=", notice.orderId)
        .forUpdate()
        .executeTakeFirst();
      const outcome = await decide(trx, providerName, payment, notice, now);
      await trx
        .insertInto("payment_notification")
        .values({
          provider: providerName,
          payment_id: payment?.id ?? null,
          provider_txn_id: notice.providerTxnId,
          status: notice.status,
          amount_fen: notice.amountFen,
          outcome,
        })
        .execute();
      return outcome;
    });
}

async function decide(
  trx: Transaction<DB>,
  providerName: string,
  payment: Payment | undefined,
  notice: PaymentNotice,
  now: Date,
): Promise<NoticeOutcome> {
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
  if (payment.payment_batch_id !== null)
    return applyPaymentBatchPaid(trx, payment, payment.payment_batch_id, notice, now);
  const reg = payment.registration_id ? await lockRegistration(trx, payment.registration_id) : undefined;
  const entries = reg
    ? await trx
        .selectFrom("entry")
        .selectAll()
        .where("id", "in", payment.entry_ids)
        .where("registration_id", "=", reg.id)
        .forUpdate()
        .execute()
    : [];
  // GRP-6: an entry a group payment batch took (after this payment lapsed) is the site's to pay.
  const inPaymentBatch = entries.some((e) => e.payment_batch_id !== null);
  // CAN-7: every refusal is decided before anything is re-created, and the restore is all or
  // nothing (a savepoint): a refund never keeps a seat or leaves an entry nothing will free (CAN-8).
  if (!reg || inPaymentBatch || entries.some((e) => e.paid))
    return refundDue(trx, payment, notice, now, inPaymentBatch ? "entries_in_payment_batch" : "entries_gone");
  if (
    !(await restoreMissingEntries(
      trx,
      payment,
      reg.id,
      entries.map((e) => e.id),
    ))
  )
    return refundDue(trx, payment, notice, now, "entries_gone");
  await trx
    .updateTable("entry")
    .set({ paid: true, paid_at: now, payment_id: payment.id, hold_until: null })
    .where("registration_id", "=", reg.id)
    .where("id", "in", payment.entry_ids)
    .execute();
  await trx
    .updateTable("registration")
    .set({ person_fee_paid: true, locked: true, hold_until: null, updated_at: now })
    .where("id", "=", reg.id)
    .execute();
  // The per-person fee was paid meanwhile by another way (a group payment batch): this one is owed back.
  const note = payment.per_person_fen > 0 && reg.person_fee_paid ? "per_person_refund_due" : "";
  await trx
    .updateTable("payment")
    .set({ status: "paid", provider_txn_id: notice.providerTxnId, finished_at: now, note })
    .where("id", "=", payment.id)
    .execute();
  if (note) await recordRefundDue(trx, payment, "per_person_fee", payment.per_person_fen);
  await recordAudit(
    trx,
    { ...SYSTEM, sittingId: payment.sitting_id, orgId: payment.org_id },
    {
      action: "payment.paid",
      entityType: "payment",
      entityId: payment.id,
      before: { status: payment.status },
      after: {
        status: "paid",
        amount_fen: payment.amount_fen,
        txn: notice.providerTxnId,
        ...(note ? { note, refund_fen: payment.per_person_fen } : {}),
      },
    },
  );
  return "applied";
}

async function refundDue(
  trx: Transaction<DB>,
  payment: Payment,
  notice: PaymentNotice,
  now: Date,
  note: string,
): Promise<NoticeOutcome> {
  await trx
    .updateTable("payment")
    .set({ status: "refund_due", provider_txn_id: notice.providerTxnId, finished_at: now, note })
    .where("id", "=", payment.id)
    .execute();
  await recordRefundDue(trx, payment, "late_payment", payment.amount_fen);
  await recordAudit(
    trx,
    { ...SYSTEM, sittingId: payment.sitting_id, orgId: payment.org_id },
    {
      action: "payment.refund_due",
      entityType: "payment",
      entityId: payment.id,
      after: { amount_fen: payment.amount_fen, note },
    },
  );
  return "refund_due";
}

/**
 * GRP-6: a group payment batch paid. Every entry of the payment batch becomes paid (at the fee recorded when
 * the payment batch was locked, else the site's fee now), the per-person fee counts as paid for each of its
 * candidates, the payment batch is done. A payment batch deleted meanwhile, already paid by another payment, or whose
 * entries are no longer exactly what this payment was for, gets nothing: a refund is due.
 * Lock order: payment (held) → payment batch → registrations (by id) → entries.
 */
async function applyPaymentBatchPaid(
  trx: Transaction<DB>,
  payment: Payment,
  paymentBatchId: number,
  notice: PaymentNotice,
  now: Date,
): Promise<NoticeOutcome> {
  const paymentBatch = await trx
    .selectFrom("payment_batch")
    .selectAll()
    .where("id", "=", paymentBatchId)
    .forUpdate()
    .executeTakeFirst();
  if (!paymentBatch || paymentBatch.status !== "open")
    return refundDue(
      trx,
      payment,
      notice,
      now,
      paymentBatch?.status === "paid" ? "payment_batch_already_paid" : "payment_batch_deleted",
    );
  const regIds = (
    await trx
      .selectFrom("entry")
      .select("registration_id")
      .distinct()
      .where("payment_batch_id", "=", paymentBatchId)
      .execute()
  ).map((r) => r.registration_id);
  if (regIds.length > 0) {
    await lockRegistrations(trx, regIds);
  }
  const entries = await trx
    .selectFrom("entry")
    .select(["id", "paid", "subject_code", "fee_fen"])
    .where("payment_batch_id", "=", paymentBatchId)
    .orderBy("id")
    .forUpdate()
    .execute();
  const wanted = new Set(payment.entry_ids);
  if (entries.length !== wanted.size || entries.some((e) => e.paid || !wanted.has(e.id)))
    return refundDue(trx, payment, notice, now, "entries_changed");
  await trx
    .updateTable("entry")
    .set({
      paid: true,
      paid_at: now,
      payment_id: payment.id,
      hold_until: null,
      fee_fen: sql`coalesce(entry.fee_fen, ${siteFeeOfEntry}, 0)`,
    })
    .where("payment_batch_id", "=", paymentBatchId)
    .execute();
  if (regIds.length > 0) {
    // CAN-5: paid registrations are locked, as when a candidate pays.
    await trx
      .updateTable("registration")
      .set({ person_fee_paid: true, locked: true, hold_until: null, updated_at: now })
      .where(sql<boolean>`id = any(${regIds}::int[])`)
      .execute();
  }
  await trx
    .updateTable("payment_batch")
    .set({ status: "paid", finished_at: now })
    .where("id", "=", paymentBatchId)
    .execute();
  await trx
    .updateTable("payment")
    .set({ status: "paid", provider_txn_id: notice.providerTxnId, finished_at: now })
    .where("id", "=", payment.id)
    .execute();
  await recordAudit(
    trx,
    { ...SYSTEM, sittingId: payment.sitting_id, orgId: payment.org_id },
    {
      action: "group_payment.paid",
      entityType: "payment_batch",
      entityId: paymentBatchId,
      before: { status: paymentBatch.status },
      after: {
        status: "paid",
        payment: payment.id,
        amount_fen: payment.amount_fen,
        entries: entries.length,
        txn: notice.providerTxnId,
      },
    },
  );
  return "applied";
}

/**
 * A payment confirmed after its entries were released (a very late notification): the entries come
 * back if their seats are still there, so the candidate gets what they paid for; else a refund is due.
 */
async function restoreMissingEntries(
  trx: Transaction<DB>,
  payment: Payment,
  registrationId: number,
  present: number[],
): Promise<boolean> {
  const missing = payment.entry_ids.filter((id) => !present.includes(id));
  if (missing.length === 0) return true;
  const existing = new Set(
    (await trx.selectFrom("entry").select("subject_code").where("registration_id", "=", registrationId).execute()).map(
      (e) => e.subject_code,
    ),
  );
  const codes = payment.subject_codes;
  const lost = codes.filter((c) => !existing.has(c)).sort();
  if (lost.length !== missing.length) return false;
  // A full subject or site gives back whatever this call took of the others.
  await sql`savepoint restore_entries`.execute(trx);
  const seats = await moveSeats(trx, payment.sitting_id, payment.org_id, lost, [], registrationId);
  const seated = !seats.siteFull && seats.full.length === 0;
  if (!seated) {
    await sql`rollback to savepoint restore_entries`.execute(trx);
    return false;
  }
  await sql`release savepoint restore_entries`.execute(trx);
  const fees = await loadFees(trx, payment.sitting_id, payment.org_id);
  const made = await trx
    .insertInto("entry")
    .values(
      lost.map((code) => ({
        registration_id: registrationId,
        sitting_id: payment.sitting_id,
        org_id: payment.org_id,
        subject_code: code,
        fee_fen: fees.get(code) ?? 0,
      })),
    )
    .returning("id")
    .execute();
  await trx
    .updateTable("payment")
    .set({ entry_ids: [...present, ...made.map((m) => m.id)] })
    .where("id", "=", payment.id)
    .execute();
  payment.entry_ids = [...present, ...made.map((m) => m.id)];
  return true;
}
