import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

/** A site's numbered entries with their registrations: where every document of the site starts (DOC-1 … DOC-7). */
const numberedEntries = (db: Q, sittingId: number, siteId: number) =>
  db
    .selectFrom("entry as e")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .where("e.sitting_id", "=", sittingId)
    .where("e.org_id", "=", siteId)
    .where("e.admission_no", "is not", null);

/** DOC-4: what the cards of a site (or of some registrations) print, one row per entry with an admission number. */
export async function cardRows(db: Q, sittingId: number, siteId: number, registrationIds?: readonly number[]) {
  let q = numberedEntries(db, sittingId, siteId)
    .innerJoin("exam_batch as b", "b.id", "e.batch_id")
    .innerJoin("room as r", "r.id", "b.room_id")
    .innerJoin("subject as s", "s.code", "e.subject_code")
    .innerJoin("sitting as t", "t.id", "e.sitting_id")
    .innerJoin("org as o", "o.id", "e.org_id")
    .leftJoin("org_sitting as os", (j) =>
      j.onRef("os.org_id", "=", "e.org_id").onRef("os.sitting_id", "=", "e.sitting_id"),
    )
    .leftJoin("photo as p", "p.id", "g.photo_id")
    .leftJoin("stored_file as f", "f.id", "p.file_id")
    .select([
      "e.id as entry_id",
      "e.registration_id",
      "e.admission_no",
      "e.seat",
      "e.subject_code",
      "s.name as subject_name",
      "g.name",
      "g.gender",
      "g.id_type",
      "g.id_number",
      "g.class_name",
      "b.exam_date",
      "b.start_min",
      "b.end_min",
      "r.number as room",
      "t.code as sitting_code",
      "t.name as sitting_name",
      "o.name as site_name",
      "os.address",
      "f.path as photo_path",
    ])
    .orderBy("e.admission_no");
  if (registrationIds) {
    if (registrationIds.length === 0) return [];
    q = q.where("e.registration_id", "in", [...registrationIds]);
  }
  return q.execute();
}
export type CardRow = Awaited<ReturnType<typeof cardRows>>[number];

/** How far the site's entries are from having cards: every paid entry allocated and numbered (ADM-1). */
export async function cardPreconditions(db: Q, sittingId: number, siteId: number) {
  const r = await db
    .selectFrom("entry")
    .select([
      sql<number>`count(*) filter (where paid)`.as("paid"),
      sql<number>`count(*) filter (where paid and admission_no is not null)`.as("numbered"),
      sql<number>`count(*) filter (where not paid)`.as("unpaid"),
    ])
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .executeTakeFirstOrThrow();
  return { paid: Number(r.paid), numbered: Number(r.numbered), unpaid: Number(r.unpaid) };
}

/**
 * A fingerprint of everything a site's cards print (issue 16 item 5's version, for DOC-1/DOC-2):
 * a change to a number, seat, batch time, room, name, ID, class, photo, subject, site name or
 * address makes the generated cards stale. (Per registration: registrationCardVersions, DOC-3.)
 */
export async function cardDataVersion(db: Q, sittingId: number, siteId: number) {
  const r = await sql<{ v: string | null }>`
    select md5(coalesce(string_agg(concat_ws(':', e.id, e.admission_no, e.seat, e.subject_code, b.exam_date,
        b.start_min, b.end_min, r.number, g.name, g.gender, g.id_type, g.id_number, g.class_name, g.photo_id,
        p.file_id), ',' order by e.id), '')
      || '|' || coalesce((select concat_ws(':', o.name, os.address, t.name) from org o
           join sitting t on t.id = ${sittingId}
           left join org_sitting os on os.org_id = o.id and os.sitting_id = ${sittingId}
           where o.id = ${siteId}), '')) as v
    from entry e
    join registration g on g.id = e.registration_id
    join exam_batch b on b.id = e.batch_id
    join room r on r.id = b.room_id
    left join photo p on p.id = g.photo_id
    where e.sitting_id = ${sittingId} and e.org_id = ${siteId} and e.admission_no is not null`.execute(db);
  return r.rows[0]?.v ?? "";
}

/** DOC-5: every numbered entry of a site with its candidate's stored photo (null when none), in number order. */
export async function photoPackageRows(db: Q, sittingId: number, siteId: number) {
  return numberedEntries(db, sittingId, siteId)
    .leftJoin("photo as p", "p.id", "g.photo_id")
    .leftJoin("stored_file as f", "f.id", "p.file_id")
    .select(["e.admission_no", "g.id as registration_id", "g.name", "g.id_number", "f.path as photo_path"])
    .orderBy("e.admission_no")
    .execute();
}

/** DOC-5's fingerprint: the numbers and the photos they name. */
export async function photoPackageVersion(db: Q, sittingId: number, siteId: number) {
  const r = await sql<{ v: string | null }>`
    select md5(coalesce(string_agg(concat_ws(':', e.admission_no, g.id_number, p.file_id), ',' order by e.admission_no), '')) as v
    from entry e
    join registration g on g.id = e.registration_id
    left join photo p on p.id = g.photo_id
    where e.sitting_id = ${sittingId} and e.org_id = ${siteId} and e.admission_no is not null`.execute(db);
  return r.rows[0]?.v ?? "";
}

/**
 * DOC-6: numbered entries of a site with what the CBT file records of them, in number order: the
 * first `limit` after admission number `after` (a page at a time, so a site of 100,000 is never
 * held whole and the next page is read while the last is written).
 */
export async function cbtRows(db: Q, sittingId: number, siteId: number, after: string | null = null, limit = 10_000) {
  let q = numberedEntries(db, sittingId, siteId)
    .innerJoin("exam_batch as b", "b.id", "e.batch_id")
    .innerJoin("room as r", "r.id", "b.room_id")
    .select([
      "e.admission_no",
      "e.registration_id",
      "g.name",
      "g.gender",
      "g.birth_date",
      "g.id_type",
      "g.id_number",
      "g.ethnicity",
      "e.subject_code",
      "r.number as room",
      "b.seq",
      "e.seat",
      "b.exam_date",
      "b.start_min",
    ])
    .orderBy("e.admission_no")
    .limit(limit);
  if (after !== null) q = q.where("e.admission_no", ">", after);
  return q.execute();
}

/** The name on every numbered entry of a site (what DOC-6 checks against GBK). */
export async function numberedNames(db: Q, sittingId: number, siteId: number) {
  return numberedEntries(db, sittingId, siteId).select(["e.admission_no", "g.name"]).execute();
}

/** DOC-6's fingerprint: everything the CBT file records. */
export async function cbtDataVersion(db: Q, sittingId: number, siteId: number) {
  const r = await sql<{ v: string | null }>`
    select md5(coalesce(string_agg(concat_ws(':', e.admission_no, e.registration_id, g.name, g.gender, g.birth_date,
        g.id_type, g.id_number, g.ethnicity, e.subject_code, r.number, b.seq, e.seat, b.exam_date, b.start_min),
        ',' order by e.admission_no), '')) as v
    from entry e
    join registration g on g.id = e.registration_id
    join exam_batch b on b.id = e.batch_id
    join room r on r.id = b.room_id
    where e.sitting_id = ${sittingId} and e.org_id = ${siteId} and e.admission_no is not null`.execute(db);
  return r.rows[0]?.v ?? "";
}

/** DOC-7: every numbered entry of a site with its room (and its layout) and batch, for the sign-in sheets and seating charts. */
export async function roomSheetRows(db: Q, sittingId: number, siteId: number) {
  return numberedEntries(db, sittingId, siteId)
    .innerJoin("exam_batch as b", "b.id", "e.batch_id")
    .innerJoin("room as r", "r.id", "b.room_id")
    .innerJoin("subject as s", "s.code", "e.subject_code")
    .leftJoin("photo as p", "p.id", "g.photo_id")
    .leftJoin("stored_file as f", "f.id", "p.file_id")
    .select([
      "e.admission_no",
      "e.seat",
      "e.subject_code",
      "s.name as subject_name",
      "g.name",
      "g.id_number",
      "b.id as batch_id",
      "b.seq",
      "b.exam_date",
      "b.start_min",
      "b.end_min",
      "r.number as room",
      "r.location",
      "r.seats",
      "r.seat_columns",
      "f.path as photo_path",
    ])
    .orderBy("e.admission_no")
    .execute();
}

/** DOC-7's fingerprint: what the sheets and charts print, the rooms' layouts, and the sitting's and site's names. */
export async function roomSheetsVersion(db: Q, sittingId: number, siteId: number) {
  const r = await sql<{ v: string | null }>`
    select md5(coalesce(string_agg(concat_ws(':', e.admission_no, e.seat, e.subject_code, g.name, g.id_number,
        p.file_id, b.id, b.seq, b.exam_date, b.start_min, b.end_min, r.number, r.location, r.seats, r.seat_columns),
        ',' order by e.admission_no), '')
      || '|' || coalesce((select concat_ws(':', o.code, o.name, t.name) from org o
           join sitting t on t.id = ${sittingId} where o.id = ${siteId}), '')) as v
    from entry e
    join registration g on g.id = e.registration_id
    join exam_batch b on b.id = e.batch_id
    join room r on r.id = b.room_id
    left join photo p on p.id = g.photo_id
    where e.sitting_id = ${sittingId} and e.org_id = ${siteId} and e.admission_no is not null`.execute(db);
  return r.rows[0]?.v ?? "";
}

/** DOC-7: how many sheets (rooms and batches seating anyone) and rows a site's sign-in sheets have. */
export async function roomSheetCounts(db: Q, sittingId: number, siteId: number) {
  const r = await numberedEntries(db, sittingId, siteId)
    .select([sql<number>`count(distinct e.batch_id)`.as("sheets"), sql<number>`count(*)`.as("candidates")])
    .executeTakeFirstOrThrow();
  return { sheets: Number(r.sheets), candidates: Number(r.candidates) };
}
