import { sql, type Transaction } from "kysely";
import type { DB } from "../schema";

// CAN-4 / X-7: seats are taken by guarded UPDATEs inside the caller's transaction, never by
// read-then-write, so no interleaving can exceed a capacity (decision 0009). Lock order, everywhere:
// registration → site_setting → site_subject (by code) → preferred_date_quota.

/** One seat of the site's total entry capacity per entry; false when full or not set. */
export async function takeTotalSeats(trx: Transaction<DB>, sittingId: number, siteId: number, n: number): Promise<boolean> {
  if (n === 0) return true;
  const r = await trx.updateTable("site_setting")
    .set({ total_taken: sql`total_taken + ${n}` })
    .where("sitting_id", "=", sittingId).where("org_id", "=", siteId)
    .where("total_capacity", "is not", null)
    .where(sql<boolean>`total_taken + ${n} <= total_capacity`)
    .returning("total_taken")
    .executeTakeFirst();
  return r !== undefined;
}

/** One seat of a subject; false when the subject is full, not offered (0) or its capacity not set. */
export async function takeSubjectSeat(trx: Transaction<DB>, sittingId: number, siteId: number, code: string): Promise<boolean> {
  const r = await trx.updateTable("site_subject")
    .set({ taken: sql`taken + 1` })
    .where("sitting_id", "=", sittingId).where("org_id", "=", siteId).where("subject_code", "=", code)
    .where("capacity", ">", 0)
    .where(sql<boolean>`taken < capacity`)
    .returning("taken")
    .executeTakeFirst();
  return r !== undefined;
}

/** Gives back the seats of entries that go (removed, expired, cancelled). */
export async function releaseSeats(trx: Transaction<DB>, sittingId: number, siteId: number, codes: readonly string[]) {
  if (codes.length === 0) return;
  await trx.updateTable("site_setting").set({ total_taken: sql`greatest(total_taken - ${codes.length}, 0)` })
    .where("sitting_id", "=", sittingId).where("org_id", "=", siteId).execute();
  for (const code of [...codes].sort()) {
    await trx.updateTable("site_subject").set({ taken: sql`greatest(taken - 1, 0)` })
      .where("sitting_id", "=", sittingId).where("org_id", "=", siteId).where("subject_code", "=", code).execute();
  }
}

/** SET-5: one place on the chosen exam day; false when that day's quota is used up or not set. */
export async function takePreferredDate(trx: Transaction<DB>, sittingId: number, siteId: number, date: string): Promise<boolean> {
  const r = await trx.updateTable("preferred_date_quota").set({ taken: sql`taken + 1` })
    .where("sitting_id", "=", sittingId).where("org_id", "=", siteId).where("exam_date", "=", date)
    .where(sql<boolean>`taken < quota`)
    .returning("taken").executeTakeFirst();
  return r !== undefined;
}

export async function releasePreferredDate(trx: Transaction<DB>, sittingId: number, siteId: number, date: string | null) {
  if (!date) return;
  await trx.updateTable("preferred_date_quota").set({ taken: sql`greatest(taken - 1, 0)` })
    .where("sitting_id", "=", sittingId).where("org_id", "=", siteId).where("exam_date", "=", date).execute();
}
