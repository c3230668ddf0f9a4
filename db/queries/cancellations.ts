import { sql, type Kysely, type Transaction } from "kysely";
import { isRowId } from "~/domain/row-id";
import type { DB } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

/** MGT-5: the cancellations search with its scope: the sitting and the sites the viewer may see (ORG-2). */
export interface CancellationQuery {
  sittingId: number;
  siteIds: readonly number[];
  /** One site of the scope (a superior narrowing its view); ignored when outside the scope. */
  site?: number;
  name?: string;
  /** Already normalised (normaliseIdNumber); matched as "contains". */
  idNumber?: string;
  className?: string;
  subject?: string;
  /** cancelled_at >= from and < to. */
  from?: Date;
  to?: Date;
}

function filtered(db: Q, f: CancellationQuery) {
  let q = db.selectFrom("cancellation as c").where("c.sitting_id", "=", f.sittingId);
  const siteIds = f.site !== undefined ? f.siteIds.filter((id) => id === f.site) : f.siteIds;
  // An empty scope matches nothing, never everything.
  q =
    siteIds.length === 1
      ? q.where("c.org_id", "=", siteIds[0])
      : q.where("c.org_id", "in", siteIds.length ? siteIds : [-1]);
  // strpos rather than LIKE: the filters are plain text, not patterns.
  if (f.name) q = q.where(sql<boolean>`strpos(c.name, ${f.name}) > 0`);
  if (f.idNumber) q = q.where(sql<boolean>`strpos(c.id_number, ${f.idNumber}) > 0`);
  if (f.className) q = q.where(sql<boolean>`strpos(c.class_name, ${f.className}) > 0`);
  if (f.subject) q = q.where(sql<boolean>`${f.subject} = any(c.subject_codes)`);
  if (f.from) q = q.where("c.cancelled_at", ">=", f.from);
  if (f.to) q = q.where("c.cancelled_at", "<", f.to);
  return q;
}

const LIST_COLUMNS = [
  "c.id",
  "c.org_id",
  "o.code as site_code",
  "o.name as site_name",
  "c.channel",
  "c.id_type",
  "c.id_number",
  "c.name",
  "c.class_name",
  "c.subject_codes",
  "c.paid_fen",
  "c.reason",
  "c.cancelled_by_name",
  "c.cancelled_at",
] as const;

/** One page of cancellations, newest first (ids follow the order they were made), and the total. */
export async function searchCancellations(db: Q, f: CancellationQuery, page: { limit: number; offset: number }) {
  const [rows, total] = await Promise.all([
    filtered(db, f)
      .innerJoin("org as o", "o.id", "c.org_id")
      .select([...LIST_COLUMNS])
      .orderBy("c.id", "desc")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    countCancellations(db, f),
  ]);
  return { rows, total };
}

export async function countCancellations(db: Q, f: CancellationQuery): Promise<number> {
  const r = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Export rows, newest first, in pages by id so a large export never holds everything in memory.
 * Ids follow the order cancellations were made, so this is the list's order too.
 */
export async function* streamCancellations(db: Q, f: CancellationQuery, pageSize = 2000) {
  let before: number | null = null;
  for (;;) {
    let q = filtered(db, f)
      .innerJoin("org as o", "o.id", "c.org_id")
      .select([...LIST_COLUMNS]);
    if (before !== null) q = q.where("c.id", "<", before);
    const rows = await q.orderBy("c.id", "desc").limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows;
    before = rows[rows.length - 1].id;
  }
}

/** One cancellation of the sitting with its site, or undefined. The caller checks the scope (ORG-2). */
export async function findCancellation(db: Q, id: number, sittingId: number) {
  if (!isRowId(id)) return undefined;
  return db
    .selectFrom("cancellation as c")
    .innerJoin("org as o", "o.id", "c.org_id")
    .selectAll("c")
    .select(["o.code as site_code", "o.name as site_name"])
    .where("c.id", "=", id)
    .where("c.sitting_id", "=", sittingId)
    .executeTakeFirst();
}

/** Subject names for display: "(14) 计算机基础及WPS Office应用". */
export async function subjectNames(db: Q, codes: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom("subject").select(["code", "name"]).where("code", "in", unique).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The subjects the scope's cancellations hold, for the subject filter. */
export async function listCancelledSubjects(db: Q, sittingId: number, siteIds: readonly number[]) {
  if (siteIds.length === 0) return [];
  const rows = await sql<{ code: string; name: string }>`
    select s.code, s.name from subject s
    where s.code in (select unnest(c.subject_codes) from cancellation c where c.sitting_id = ${sittingId} and c.org_id in (${sql.join(siteIds)}))
    order by s.code`.execute(db);
  return rows.rows;
}

/** The sites of the scope that have cancellations, for a superior's site filter. */
export async function listCancellationSites(db: Q, sittingId: number, siteIds: readonly number[]) {
  if (siteIds.length === 0) return [];
  return db
    .selectFrom("org")
    .select(["id", "code", "name"])
    .where("id", "in", siteIds)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("cancellation as c")
          .select("c.id")
          .whereRef("c.org_id", "=", "org.id")
          .where("c.sitting_id", "=", sittingId),
      ),
    )
    .orderBy("code")
    .execute();
}

/** MGT-2/CAN-10: the candidate's own cancellations in the sitting, newest first (their status page). */
export async function listOwnCancellations(db: Q, sittingId: number, accountId: string) {
  return db
    .selectFrom("cancellation as c")
    .innerJoin("org", "org.id", "c.org_id")
    .select([
      "c.id",
      "c.cancelled_at",
      "c.reason",
      "c.paid_fen",
      "c.subject_codes",
      "org.code as site_code",
      "org.name as site_name",
    ])
    .where("c.sitting_id", "=", sittingId)
    .where("c.account_id", "=", accountId)
    .orderBy("c.id", "desc")
    .execute();
}
