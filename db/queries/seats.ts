import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { DB } from "../schema";

// CAN-4 / X-7: seats are taken inside the caller's transaction by guarded updates of the counters'
// shards (decision 0051; migration 0033's `seat_change`), never by read-then-write, so no
// interleaving can exceed a capacity. One call changes every counter a registration touches, in one
// order (the site total, then subjects by code); the preferred-date quota comes after it. Lock order,
// everywhere: registration → seat shards → preferred_date_quota.

/** The site total's counter; a subject's counter is its code. */
export const SITE_TOTAL = "*";

/**
 * Takes (positive) or gives back (negative) seats of each counter; answers the counters that had too
 * few seats (nothing taken from those; the caller rolls back). `pick` spreads concurrent callers over
 * the shards: the registration's id, or anything that differs between them.
 */
export async function changeSeats(
  trx: Transaction<DB> | Kysely<DB>,
  sittingId: number,
  siteId: number,
  changes: Iterable<readonly [counter: string, delta: number]>,
  pick: number,
): Promise<string[]> {
  const call = seatChangeCall(sittingId, siteId, changes, pick);
  if (!call) return [];
  const r = await sql<{ short: string[] }>`select ${call} as short`.execute(trx);
  return r.rows[0].short;
}

/**
 * The `seat_change` call of `changeSeats` as an expression (text[] of the counters short), for a
 * statement that makes its own writes first; null when nothing changes. `orFail` (for a statement
 * outside an explicit transaction): too few seats fail the statement instead, so that what it wrote is
 * rolled back; `seatsShortOfError` reads the counters short from the error.
 */
export function seatChangeCall(
  sittingId: number,
  siteId: number,
  changes: Iterable<readonly [counter: string, delta: number]>,
  pick: number,
  orFail = false,
): RawBuilder<string[]> | null {
  const list = [...changes].filter(([, d]) => d !== 0);
  if (list.length === 0) return null;
  return sql<string[]>`${sql.raw(orFail ? "seat_change_or_fail" : "seat_change")}(${sittingId}::int, ${siteId}::int,
      ${list.map((c) => c[0])}::text[], ${list.map((c) => c[1])}::int[], ${pick}::int)`;
}

/** The seats' changes when a registration's entries `add` and `remove` these subjects: the site total and each subject. */
export function entrySeatChanges(add: readonly string[], remove: readonly string[]): Map<string, number> {
  const changes = new Map<string, number>([[SITE_TOTAL, add.length - remove.length]]);
  for (const c of add) changes.set(c, (changes.get(c) ?? 0) + 1);
  for (const c of remove) changes.set(c, (changes.get(c) ?? 0) - 1);
  return changes;
}

/** What `seat_change` answered, as the site total and the subjects that were short. */
export function seatsShort(short: readonly string[]): { siteFull: boolean; full: string[] } {
  return { siteFull: short.includes(SITE_TOTAL), full: short.filter((c) => c !== SITE_TOTAL) };
}

/** A seat of the site total and of its subject for each entry added, and back for each removed. */
export async function moveSeats(
  trx: Transaction<DB>,
  sittingId: number,
  siteId: number,
  add: readonly string[],
  remove: readonly string[],
  pick: number,
): Promise<{ siteFull: boolean; full: string[] }> {
  return seatsShort(await changeSeats(trx, sittingId, siteId, entrySeatChanges(add, remove), pick));
}

/** Gives back the seats of entries that go (removed, expired, cancelled): one statement whatever the count. */
export async function releaseSeats(
  trx: Transaction<DB>,
  sittingId: number,
  siteId: number,
  codes: readonly string[],
  pick = 0,
) {
  await moveSeats(trx, sittingId, siteId, [], codes, pick);
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
