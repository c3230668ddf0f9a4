import { sql, type Kysely, type Transaction } from "kysely";
import type { ExamRange } from "~/domain/rooms";
import type { DB } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

/** ROOM-1: a site's rooms in number order, with how many batches each has and how many entries sit in them. */
export async function listRooms(db: Q, sittingId: number, orgId: number) {
  return db
    .selectFrom("room as r")
    .select([
      "r.id",
      "r.number",
      "r.location",
      "r.seats",
      "r.seat_columns",
      (eb) =>
        eb
          .selectFrom("exam_batch as b")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("b.room_id", "=", "r.id")
          .as("batch_count"),
      (eb) =>
        eb
          .selectFrom("entry as e")
          .innerJoin("exam_batch as b", "b.id", "e.batch_id")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("b.room_id", "=", "r.id")
          .as("allocated"),
    ])
    .where("r.sitting_id", "=", sittingId)
    .where("r.org_id", "=", orgId)
    .orderBy("r.number")
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, batch_count: Number(r.batch_count), allocated: Number(r.allocated) })));
}

/** ROOM-1: a site's batches in room, then time order, each with its room number and allocated count. */
export async function listBatches(db: Q, sittingId: number, orgId: number) {
  const rows = await db
    .selectFrom("exam_batch as b")
    .innerJoin("room as r", "r.id", "b.room_id")
    .select([
      "b.id",
      "b.room_id",
      "r.number as room_number",
      "b.seq",
      "b.exam_date",
      "b.start_min",
      "b.end_min",
      "b.capacity",
      (eb) =>
        eb
          .selectFrom("entry as e")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("e.batch_id", "=", "b.id")
          .as("allocated"),
    ])
    .where("b.sitting_id", "=", sittingId)
    .where("b.org_id", "=", orgId)
    .orderBy("r.number")
    .orderBy("b.exam_date")
    .orderBy("b.start_min")
    .orderBy("b.seq")
    .execute();
  return rows.map((r) => ({ ...r, allocated: Number(r.allocated) }));
}

/** ROOM-1: the exam range and duration of every subject the site offers this sitting. */
export async function siteExamRanges(db: Q, sittingId: number, orgId: number): Promise<ExamRange[]> {
  return db
    .selectFrom("site_subject as ss")
    .innerJoin("subject as s", "s.code", "ss.subject_code")
    .select(["ss.subject_code", "ss.exam_start", "ss.exam_end", "s.minutes"])
    .where("ss.sitting_id", "=", sittingId)
    .where("ss.org_id", "=", orgId)
    .orderBy("ss.subject_code")
    .execute();
}

/** ROOM-2: how many entries each of these batches holds (only those holding any). */
export async function allocatedIn(db: Q, batchIds: readonly number[]) {
  if (batchIds.length === 0) return new Map<number, number>();
  const rows = await db
    .selectFrom("entry")
    .select(["batch_id", sql<number>`count(*)`.as("n")])
    .where("batch_id", "in", [...batchIds])
    .groupBy("batch_id")
    .execute();
  return new Map(rows.map((r) => [r.batch_id!, Number(r.n)]));
}

/** SCH-4 (§三十一): per subject: total, paid, unpaid, allocated, unallocated, preferred, on and off the preferred date. */
export async function allocationBySubject(db: Q, sittingId: number, orgId: number) {
  const rows = await sql<{
    code: string;
    name: string;
    total: number;
    paid: number;
    allocated: number;
    preferred: number;
    on_date: number;
    off_date: number;
  }>`
    select e.subject_code as code, s.name,
      count(*)::int as total,
      count(*) filter (where e.paid)::int as paid,
      count(*) filter (where e.batch_id is not null)::int as allocated,
      count(*) filter (where g.preferred_date is not null)::int as preferred,
      count(*) filter (where b.exam_date = g.preferred_date)::int as on_date,
      count(*) filter (where b.id is not null and g.preferred_date is not null and b.exam_date <> g.preferred_date)::int as off_date
    from entry e
    join registration g on g.id = e.registration_id
    join subject s on s.code = e.subject_code
    left join exam_batch b on b.id = e.batch_id
    where e.sitting_id = ${sittingId} and e.org_id = ${orgId}
    group by e.subject_code, s.name
    order by e.subject_code`.execute(db);
  return rows.rows.map((r) => ({
    ...r,
    unpaid: r.total - r.paid,
    unallocated: r.paid - r.allocated,
  }));
}

/** The candidate and subject of entries (the unplaced list of an allocation), in the site only. */
export async function entriesNamed(db: Q, orgId: number, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("entry as e")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .innerJoin("subject as s", "s.code", "e.subject_code")
    .select(["e.id", "g.id as registration_id", "g.name", "e.subject_code", "s.name as subject_name"])
    .where("e.org_id", "=", orgId)
    .where("e.id", "in", [...ids])
    .orderBy("e.id")
    .execute();
}

/** SCH-3: the site's paid entries without a seat, candidates with a preferred date first (at most `limit`). */
export async function waitingEntries(db: Q, sittingId: number, orgId: number, onlyPreferred: boolean, limit = 500) {
  let q = db
    .selectFrom("entry as e")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .innerJoin("subject as s", "s.code", "e.subject_code")
    .select([
      "e.id",
      "g.id as registration_id",
      "g.name",
      "e.subject_code",
      "s.name as subject_name",
      "g.preferred_date",
    ])
    .where("e.sitting_id", "=", sittingId)
    .where("e.org_id", "=", orgId)
    .where("e.paid", "=", true)
    .where("e.batch_id", "is", null);
  if (onlyPreferred) q = q.where("g.preferred_date", "is not", null);
  const [rows, total] = await Promise.all([
    q
      .orderBy(sql`g.preferred_date is null`)
      .orderBy("g.preferred_date")
      .orderBy("e.subject_code")
      .orderBy("g.id")
      .limit(limit)
      .execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** SCH-3: who sits in one batch of the site, in seat order. */
export async function batchEntries(db: Q, orgId: number, batchId: number) {
  return db
    .selectFrom("entry as e")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .innerJoin("subject as s", "s.code", "e.subject_code")
    .select(["e.id", "g.id as registration_id", "g.name", "e.subject_code", "s.name as subject_name", "e.seat"])
    .where("e.org_id", "=", orgId)
    .where("e.batch_id", "=", batchId)
    .orderBy("e.seat")
    .execute();
}

/** ADM-2: entries per batch and subject at a site. */
export async function allocatedBySubject(db: Q, sittingId: number, orgId: number) {
  const rows = await db
    .selectFrom("entry")
    .select(["batch_id", "subject_code", sql<number>`count(*)`.as("n")])
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", orgId)
    .where("batch_id", "is not", null)
    .groupBy(["batch_id", "subject_code"])
    .execute();
  return rows.map((r) => ({ batch_id: r.batch_id!, subject_code: r.subject_code, n: Number(r.n) }));
}

/**
 * ADM-2: a fingerprint of what the room statistics are made from (rooms, batches, each entry's
 * batch and seat); a generated file whose fingerprint differs is stale.
 */
export async function roomDataVersion(db: Q, sittingId: number, orgId: number): Promise<string> {
  const r = await sql<{ v: string | null }>`
    select md5(
      coalesce((select string_agg(concat_ws(':', id, number, location, seats), ',' order by id)
        from room where sitting_id = ${sittingId} and org_id = ${orgId}), '') || '|' ||
      coalesce((select string_agg(concat_ws(':', id, room_id, seq, exam_date, start_min, end_min, capacity), ',' order by id)
        from exam_batch where sitting_id = ${sittingId} and org_id = ${orgId}), '') || '|' ||
      coalesce((select string_agg(concat_ws(':', id, subject_code, batch_id, seat), ',' order by id)
        from entry where sitting_id = ${sittingId} and org_id = ${orgId} and batch_id is not null), '')
    ) as v`.execute(db);
  return r.rows[0]?.v ?? "";
}
