import { sql } from "kysely";
import { getDb } from "../../db/client";
import { changeSeats, SITE_TOTAL } from "../../db/queries/seats";
import { getCapacityCounters } from "../../db/queries/setup";

export { SITE_TOTAL };

/**
 * CAN-4/CAN-8: call at the top of a payment or hold test file; tests/setup/per-file-db.ts then checks
 * after every test that seat counters equal their rows and every unpaid online entry can expire.
 */
export function guardSeats() {
  (globalThis as { __kaowuGuardSeats?: boolean }).__kaowuGuardSeats = true;
}

/** Decision 0051: `delta` seats of a counter (SITE_TOTAL or a subject code) taken or given back through its shards, as entries would. */
export async function addSeatsTaken(sittingId: number, siteId: number, counter: string, delta: number) {
  const short = await changeSeats(getDb(), sittingId, siteId, [[counter, delta]], 0);
  if (short.length) throw new Error(`${counter} at ${siteId}: capacity too small to take ${delta} more`);
}

/** Decision 0051: a counter's seats taken set to `n` (its capacity must allow it). */
export async function setSeatsTaken(sittingId: number, siteId: number, counter: string, n: number) {
  const r = await sql<{ n: number }>`select seat_taken(${sittingId}::int, ${siteId}::int, ${counter}) as n`.execute(
    getDb(),
  );
  await addSeatsTaken(sittingId, siteId, counter, n - r.rows[0].n);
}

/**
 * The seats `codes` (one per entry) hold, taken as the app would (decision 0051). A factory's site may
 * have no capacity set, which the app would refuse: the capacity is then raised just enough first, as
 * the site would have set it.
 */
export async function takeSeatsForEntries(sittingId: number, siteId: number, codes: readonly string[]) {
  const db = getDb();
  const c = await getCapacityCounters(db, sittingId, siteId);
  // A subject the site does not offer has no counter (the app would have refused the entry).
  const need = new Map<string, number>();
  for (const code of codes) if (c.subjects.has(code)) need.set(code, (need.get(code) ?? 0) + 1);
  if (c.total.capacity === null || c.total.capacity < c.total.taken + codes.length)
    await db
      .updateTable("site_setting")
      .set({ total_capacity: Math.max(100, c.total.taken + codes.length) })
      .where("sitting_id", "=", sittingId)
      .where("org_id", "=", siteId)
      .execute();
  for (const [code, n] of need) {
    const s = c.subjects.get(code)!;
    if (s.capacity === null || s.capacity < s.taken + n)
      await db
        .updateTable("site_subject")
        .set({ capacity: s.taken + n })
        .where("sitting_id", "=", sittingId)
        .where("org_id", "=", siteId)
        .where("subject_code", "=", code)
        .execute();
  }
  const short = await changeSeats(db, sittingId, siteId, [[SITE_TOTAL, codes.length], ...need], 0);
  if (short.length) throw new Error(`seats at ${siteId}: too few for ${short.join(", ")}`);
}
