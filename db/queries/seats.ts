import { sql, type Transaction } from "kysely";
import type { DB } from "../schema";

// CAN-4 / X-7: seats are taken by guarded UPDATEs inside the caller's transaction, never by
// read-then-write, so no interleaving can exceed a capacity (decision 0009). Lock order, everywhere:
// registration → site_setting → site_subject (by code) → preferred_date_quota.

/** One seat of the site's total entry capacity per entry; false when full or not set. */
export async function takeTotalSeats(
  trx: Transaction<DB>,
  sittingId: number,
  siteId: number,
  n: number,
): Promise<boolean> {
  if (n === 0) return true;
  const r = await trx
    .updateTable("site_setting")
    .set({ total_taken: sql`total_taken + ${n}` })
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .where("total_capacity", "is not", null)
    .where(sql<boolean>`total_taken + ${n} <= total_capacity`)
    .returning("total_taken")
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * One seat of each subject, in one statement; returns the codes that had none left (full, not
 * offered (0) or not set). Callers hold the site_setting row already (takeTotalSeats), so the
 * order in which these rows are locked cannot deadlock: the site row is the site's mutex.
 */
export async function takeSubjectSeats(
  trx: Transaction<DB>,
  sittingId: number,
  siteId: number,
  codes: readonly string[],
): Promise<string[]> {
  return takeSubjectSeatCounts(trx, sittingId, siteId, new Map(codes.map((c) => [c, 1])));
}

/** As takeSubjectSeats, with a number of seats per subject (group imports): one statement, all or none per subject. */
export async function takeSubjectSeatCounts(
  trx: Transaction<DB>,
  sittingId: number,
  siteId: number,
  counts: ReadonlyMap<string, number>,
): Promise<string[]> {
  if (counts.size === 0) return [];
  const codes = [...counts.keys()];
  const rows = await sql<{ subject_code: string }>`
    update site_subject s set taken = s.taken + x.n
    from (select * from unnest(${codes}::text[], ${codes.map((c) => counts.get(c)!)}::int[]) as t(code, n)) x
    where s.sitting_id = ${sittingId} and s.org_id = ${siteId} and s.subject_code = x.code
      and s.capacity > 0 and s.taken + x.n <= s.capacity
    returning s.subject_code`.execute(trx);
  const got = new Set(rows.rows.map((r) => r.subject_code));
  return codes.filter((c) => !got.has(c));
}

/** Gives back the seats of entries that go (removed, expired, cancelled): two statements whatever the count. */
export async function releaseSeats(trx: Transaction<DB>, sittingId: number, siteId: number, codes: readonly string[]) {
  if (codes.length === 0) return;
  await trx
    .updateTable("site_setting")
    .set({ total_taken: sql`greatest(total_taken - ${codes.length}, 0)` })
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .execute();
  await releaseSubjectSeats(trx, sittingId, siteId, codes);
}

/** The subject half of releaseSeats, for a caller that settles the site total itself. */
export async function releaseSubjectSeats(
  trx: Transaction<DB>,
  sittingId: number,
  siteId: number,
  codes: readonly string[],
) {
  if (codes.length === 0) return;
  await sql`
    update site_subject s set taken = greatest(s.taken - x.n, 0)
    from (select code, count(*)::int as n from unnest(${[...codes]}::text[]) as code group by code) x
    where s.sitting_id = ${sittingId} and s.org_id = ${siteId} and s.subject_code = x.code`.execute(trx);
}

/** SET-5: one place on the chosen exam day; false when that day's quota is used up or not set. */
export async function takePreferredDate(
  trx: Transaction<DB>,
  sittingId: number,
  siteId: number,
  date: string,
): Promise<boolean> {
  const r = await trx
    .updateTable("preferred_date_quota")
    .set({ taken: sql`taken + 1` })
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .where("exam_date", "=", date)
    .where(sql<boolean>`taken < quota`)
    .returning("taken")
    .executeTakeFirst();
  return r !== undefined;
}

export async function releasePreferredDate(
  trx: Transaction<DB>,
  sittingId: number,
  siteId: number,
  date: string | null,
) {
  if (!date) return;
  await trx
    .updateTable("preferred_date_quota")
    .set({ taken: sql`greatest(taken - 1, 0)` })
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .where("exam_date", "=", date)
    .execute();
}
