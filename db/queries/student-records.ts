import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

export interface RecordFilter {
  orgId: number;
  name?: string;
  idNumber?: string;
  studentNo?: string;
  department?: string;
  major?: string;
  className?: string;
  education?: string;
  gender?: string;
}

function filtered(db: Q, f: RecordFilter) {
  let q = db.selectFrom("student_record").where("org_id", "=", f.orgId);
  const contains = (col: "name" | "student_no" | "department" | "major" | "class_name", v?: string) => {
    if (v) q = q.where(sql<boolean>`strpos(${sql.ref(col)}, ${v}) > 0`);
  };
  contains("name", f.name);
  contains("student_no", f.studentNo);
  contains("department", f.department);
  contains("major", f.major);
  contains("class_name", f.className);
  if (f.idNumber) q = q.where(sql<boolean>`strpos(id_number, ${f.idNumber}) > 0`);
  if (f.education) q = q.where("education", "=", f.education);
  if (f.gender) q = q.where("gender", "=", f.gender);
  return q;
}

/** SR-5: server-side search and paging within one site (ORG-2 scope is the caller's). */
export async function searchRecords(db: Q, f: RecordFilter, page: { limit: number; offset: number }) {
  const [rows, total] = await Promise.all([
    filtered(db, f)
      .selectAll()
      .orderBy("class_name")
      .orderBy("name")
      .orderBy("id")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    filtered(db, f)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function deleteMatching(db: Q, f: RecordFilter) {
  const r = await db.deleteFrom("student_record").where("id", "in", filtered(db, f).select("id")).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function countMatching(db: Q, f: RecordFilter) {
  return Number(
    (
      await filtered(db, f)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

export async function findExisting(db: Q, idNumbers: string[]) {
  const out = new Map<string, { org_id: number; education: string }>();
  for (let i = 0; i < idNumbers.length; i += 5000) {
    const chunk = idNumbers.slice(i, i + 5000);
    if (!chunk.length) continue;
    const rows = await db
      .selectFrom("student_record")
      .select(["id_number", "org_id", "education"])
      .where("id_number", "in", chunk)
      .execute();
    for (const r of rows) out.set(r.id_number, { org_id: r.org_id, education: r.education });
  }
  return out;
}

export async function findRecordByIdNumber(db: Q, idNumber: string) {
  return db.selectFrom("student_record").selectAll().where("id_number", "=", idNumber).executeTakeFirst();
}

/**
 * SET-9: the sites of the province above `siteId`, by code, among `codes` (a code that is not such
 * a site is simply absent). Eligible sites are stored as ids and shown as codes.
 */
export async function provinceSitesByCode(db: Q, siteId: number, codes: readonly string[]) {
  const out = new Map<string, number>();
  if (codes.length === 0) return out;
  const rows = await sql<{ id: number; code: string }>`
    with recursive up as (
      select id, parent_id, level from org where id = ${siteId}
      union all
      select p.id, p.parent_id, p.level from org p join up on p.id = up.parent_id
    ), down as (
      select id, level, code from org where id = (select id from up where level = 'province')
      union all
      select c.id, c.level, c.code from org c join down on c.parent_id = down.id
    )
    select id, code from down where level = 'site' and code = any(${[...codes]}::text[])`.execute(db);
  for (const r of rows.rows) out.set(r.code, r.id);
  return out;
}

/** SET-9: site ids back to codes, for the page and the audit. */
export async function siteCodesById(db: Q, ids: readonly number[]) {
  const out = new Map<number, string>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom("org")
    .select(["id", "code"])
    .where("id", "in", [...ids])
    .execute();
  for (const r of rows) out.set(r.id, r.code);
  return out;
}
