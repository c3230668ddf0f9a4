import { sql, type Insertable, type Kysely, type Transaction } from "kysely";
import type { DB } from "../schema";
import { insertJsonRows } from "./bulk-insert";

type Q = Kysely<DB> | Transaction<DB>;

/**
 * SET-3/CAN-7: the site's fee now for the entry being updated (`entry` in the statement), the fee an
 * entry keeps once a payment or a payment batch counts it.
 */
export const siteFeeOfEntry = sql<number | null>`(select f.fee_fen from site_fee f
  where f.sitting_id = entry.sitting_id and f.org_id = entry.org_id and f.subject_code = entry.subject_code)`;

/**
 * CAN-8: the unpaid entries of these registrations are held until `hold` (null: held no more, e.g.
 * while review decides). Paid entries never expire.
 */
export async function setUnpaidEntryHolds(q: Q, registrationIds: readonly number[], hold: Date | null) {
  if (registrationIds.length === 0) return;
  await q
    .updateTable("entry")
    .set({ hold_until: hold })
    .where("registration_id", "in", registrationIds)
    .where("paid", "=", false)
    .execute();
}

/**
 * Issue 15 item 8: the payment batches that hold a registration's entries (a group-paid candidate
 * has no order of their own: the site's batch is where the money went), with this candidate's
 * subjects in each.
 */
export async function paymentBatchesOfRegistration(q: Q, registrationId: number) {
  const rows = await q
    .selectFrom("entry")
    .innerJoin("payment_batch", "payment_batch.id", "entry.payment_batch_id")
    .select([
      "payment_batch.id",
      "payment_batch.status",
      "payment_batch.finished_at",
      "entry.subject_code",
      "entry.fee_fen",
    ])
    .where("entry.registration_id", "=", registrationId)
    .orderBy("payment_batch.id")
    .orderBy("entry.subject_code")
    .execute();
  const batches = new Map<
    number,
    { id: number; status: string; paidAt: string | null; subjects: string[]; feeFen: number }
  >();
  for (const r of rows) {
    const b = batches.get(r.id) ?? {
      id: r.id,
      status: r.status,
      paidAt: r.finished_at && r.status === "paid" ? new Date(r.finished_at).toISOString() : null,
      subjects: [],
      feeFen: 0,
    };
    b.subjects.push(r.subject_code);
    b.feeFen += r.fee_fen ?? 0;
    batches.set(r.id, b);
  }
  return [...batches.values()];
}

/**
 * MGT-1 (decisions 0050, 0057): entries of registrations this transaction has just inserted with
 * their `entry_count` already set (unpaid entries, so `paid_count` and `paid_fen` stay 0): the
 * counts trigger leaves these inserts alone instead of updating each new registration again. Any
 * other entry change is counted by the trigger as always. On a failure the transaction rolls back,
 * and the setting with it.
 */
export async function insertEntriesOfNewRegistrations(
  trx: Transaction<DB>,
  rows: ReadonlyArray<Insertable<DB["entry"]>>,
) {
  if (rows.length === 0) return;
  if (rows.some((r) => r.paid)) throw new Error("insertEntriesOfNewRegistrations: unpaid entries only");
  await sql`select set_config('kaowu.entry_counts_preset', 'on', true)`.execute(trx);
  for (let i = 0; i < rows.length; i += 5000) await insertJsonRows(trx, "entry", rows.slice(i, i + 5000));
  await sql`select set_config('kaowu.entry_counts_preset', 'off', true)`.execute(trx);
}
