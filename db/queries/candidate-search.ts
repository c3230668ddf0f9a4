import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from "kysely";
import type { CandidateFilter, CandidateSort } from "~/schemas/candidate-filter";
import type { DB } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

/** MGT-1: the filter plus its scope: the sitting and the sites the viewer may see (ORG-2). */
export interface ScopedFilter extends CandidateFilter {
  sittingId: number;
  siteIds: readonly number[];
  /** The rows ticked on the page ("selected" bulk actions). */
  ids?: readonly number[];
}

function filtered(db: Q, f: ScopedFilter) {
  let q = db.selectFrom("registration as r").where("r.sitting_id", "=", f.sittingId);
  const siteIds = f.site !== undefined ? f.siteIds.filter((id) => id === f.site) : f.siteIds;
  // An empty scope must match nothing, never everything.
  q =
    siteIds.length === 1
      ? q.where("r.org_id", "=", siteIds[0])
      : q.where("r.org_id", "in", siteIds.length ? siteIds : [-1]);
  if (f.ids) q = q.where("r.id", "in", f.ids.length ? f.ids : [-1]);
  const contains = (
    col: "name" | "class_name" | "department" | "major" | "student_no" | "phone" | "email" | "id_number",
    v?: string,
  ) => {
    if (v) q = q.where(sql<boolean>`strpos(${sql.ref(`r.${col}`)}, ${v}) > 0`);
  };
  contains("name", f.name);
  contains("class_name", f.className);
  contains("department", f.department);
  contains("major", f.major);
  contains("student_no", f.studentNo);
  contains("phone", f.phone);
  contains("email", f.email);
  if (f.idNumber)
    q =
      f.idNumber.length >= 15
        ? q.where("r.id_number", "=", f.idNumber)
        : q.where(sql<boolean>`strpos(r.id_number, ${f.idNumber}) > 0`);
  if (f.gender) q = q.where("r.gender", "=", f.gender);
  if (f.idType) q = q.where("r.id_type", "=", f.idType);
  if (f.education) q = q.where("r.education", "=", f.education);
  if (f.ethnicity) q = q.where("r.ethnicity", "=", f.ethnicity);
  if (f.channel) q = q.where("r.channel", "=", f.channel);
  if (f.locked) q = q.where("r.locked", "=", f.locked === "yes");
  if (f.review) q = q.where("r.review_status", "=", f.review);
  if (f.photo) q = q.where("r.photo_id", f.photo === "yes" ? "is not" : "is", null);
  if (f.registry) q = q.where("r.registry_candidate", "=", f.registry === "registry");
  if (f.preferredDate)
    q =
      f.preferredDate === "none"
        ? q.where("r.preferred_date", "is", null)
        : q.where("r.preferred_date", "=", f.preferredDate);
  if (f.subject)
    q = q.where(
      sql<boolean>`exists (select 1 from entry e where e.registration_id = r.id and e.subject_code = ${f.subject})`,
    );
  // The counters are kept by the entry trigger (migration 0007).
  if (f.entries !== undefined) q = q.where("r.entry_count", "=", f.entries);
  switch (f.payment) {
    case "all_paid":
      q = q.where(sql<boolean>`r.entry_count > 0 and r.paid_count = r.entry_count`);
      break;
    case "partly_paid":
      q = q.where(sql<boolean>`r.paid_count > 0 and r.paid_count < r.entry_count`);
      break;
    case "none_paid":
      q = q.where(sql<boolean>`r.entry_count > 0 and r.paid_count = 0`);
      break;
    case "any_unpaid":
      q = q.where(sql<boolean>`r.paid_count < r.entry_count`);
      break;
    case "no_entries":
      q = q.where("r.entry_count", "=", 0);
      break;
  }
  return q;
}

function sorted<O>(q: SelectQueryBuilder<DB & { r: DB["registration"] }, "r", O>, s: CandidateSort) {
  const dir = s.dir;
  switch (s.sort) {
    case "name":
      q = q.orderBy("r.name", dir);
      break;
    case "id_number":
      q = q.orderBy("r.id_number", dir);
      break;
    case "class":
      q = q.orderBy("r.class_name", dir).orderBy("r.name", dir);
      break;
    case "site":
      q = q.orderBy("r.org_id", dir);
      break;
    case "entries":
      q = q.orderBy("r.entry_count", dir);
      break;
    default:
      q = q.orderBy("r.created_at", dir);
  }
  return q.orderBy("r.id", dir);
}

/** One page of results with what the list shows, and the total. */
export async function searchRegistrations(
  db: Q,
  f: ScopedFilter,
  s: CandidateSort,
  page: { limit: number; offset: number },
) {
  const base = filtered(db, f);
  const [rows, total] = await Promise.all([
    sorted(
      base
        .innerJoin("org as o", "o.id", "r.org_id")
        .select([
          "r.id",
          "r.org_id",
          "o.code as site_code",
          "o.name as site_name",
          "r.channel",
          "r.name",
          "r.gender",
          "r.birth_date",
          "r.id_type",
          "r.id_number",
          "r.ethnicity",
          "r.class_name",
          "r.locked",
          "r.review_status",
          "r.review_failure_type",
          "r.preferred_date",
          "r.registry_candidate",
          "r.created_at",
          sql<boolean>`r.photo_id is not null`.as("has_photo"),
          "r.entry_count",
          "r.paid_count",
          sql<string>`coalesce((select string_agg(e.subject_code, ',' order by e.subject_code) from entry e where e.registration_id = r.id), '')`.as(
            "subjects",
          ),
        ]),
      s,
    )
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    countRegistrations(db, f),
  ]);
  return { rows, total };
}

export async function countRegistrations(db: Q, f: ScopedFilter): Promise<number> {
  const r = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The ids the filter matches, at most `limit` + 1 so a caller can tell "too many" (MGT-2's 3,000). */
export async function listRegistrationIds(db: Q, f: ScopedFilter, limit: number): Promise<number[]> {
  const rows = await filtered(db, f)
    .select("r.id")
    .orderBy("r.id")
    .limit(limit + 1)
    .execute();
  return rows.map((r) => r.id);
}

/** Export rows (MGT-3), in pages by id so a large export never holds everything in memory. */
export async function* streamRegistrationsForExport(db: Q, f: ScopedFilter, pageSize = 2000) {
  let after = 0;
  for (;;) {
    const rows = await filtered(db, f)
      .innerJoin("org as o", "o.id", "r.org_id")
      .where("r.id", ">", after)
      .select(["r.id", "o.code as site_code", "r.name", "r.id_number", "r.class_name"])
      .orderBy("r.id")
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    const entries = await db
      .selectFrom("entry")
      .innerJoin("subject", "subject.code", "entry.subject_code")
      .select(["entry.registration_id", "entry.subject_code", "subject.name as subject_name", "entry.paid"])
      .where(
        "entry.registration_id",
        "in",
        rows.map((r) => r.id),
      )
      .orderBy("entry.registration_id")
      .orderBy("entry.subject_code")
      .execute();
    const byReg = new Map<number, typeof entries>();
    for (const e of entries) {
      const list = byReg.get(e.registration_id) ?? [];
      list.push(e);
      byReg.set(e.registration_id, list);
    }
    yield rows.map((r) => ({ ...r, entries: byReg.get(r.id) ?? [] }));
    after = rows[rows.length - 1].id;
  }
}

/** MGT-2: the entries of some registrations as the management rules see them (payment batch and group payment). */
export async function listManagedEntries(db: Q, registrationIds: readonly number[]) {
  if (registrationIds.length === 0) return new Map<number, ManagedEntryRow[]>();
  const rows = await db
    .selectFrom("entry as e")
    .leftJoin("payment_batch as b", "b.id", "e.payment_batch_id")
    .leftJoin("payment as p", "p.id", "e.payment_id")
    .select([
      "e.id",
      "e.registration_id",
      "e.subject_code",
      "e.paid",
      "e.fee_fen",
      "e.paid_at",
      "e.payment_id",
      sql<boolean>`coalesce(b.status <> 'deleted', false)`.as("in_payment_batch"),
      sql<boolean>`(e.paid and p.payment_batch_id is not null)`.as("group_paid"),
      sql<boolean>`exists (select 1 from payment o where o.registration_id = e.registration_id and o.status = 'pending' and o.expires_at > now() and e.id = any(o.entry_ids))`.as(
        "in_payment",
      ),
    ])
    .where("e.registration_id", "in", registrationIds)
    .orderBy("e.registration_id")
    .orderBy("e.subject_code")
    .execute();
  const out = new Map<number, ManagedEntryRow[]>();
  for (const r of rows) {
    const list = out.get(r.registration_id) ?? [];
    list.push({
      ...r,
      in_payment_batch: Boolean(r.in_payment_batch),
      group_paid: Boolean(r.group_paid),
      in_payment: Boolean(r.in_payment),
    });
    out.set(r.registration_id, list);
  }
  return out;
}
export interface ManagedEntryRow {
  id: number;
  registration_id: number;
  subject_code: string;
  paid: boolean;
  fee_fen: number | null;
  paid_at: Date | null;
  payment_id: string | null;
  in_payment_batch: boolean;
  group_paid: boolean;
  in_payment: boolean;
}

/** X-6: per site, unpaid entries (and their candidates), registrations waiting for review, registrations without a photo. */
export async function countRegistrationGaps(db: Q, sittingId: number, siteIds: readonly number[]) {
  if (siteIds.length === 0) return [];
  const rows = await sql<{
    org_id: number;
    unpaid_entries: number;
    unpaid_candidates: number;
    pending_review: number;
    missing_photos: number;
    paid_entries: number;
    batches: number;
    unallocated: number;
    unnumbered: number;
  }>`
    select r.org_id,
      coalesce(sum(r.entry_count - r.paid_count), 0)::int as unpaid_entries,
      (count(*) filter (where r.paid_count < r.entry_count))::int as unpaid_candidates,
      (count(*) filter (where r.review_status = 'pending'))::int as pending_review,
      (count(*) filter (where r.photo_id is null))::int as missing_photos,
      coalesce(sum(r.paid_count), 0)::int as paid_entries,
      (select count(*) from exam_batch b where b.sitting_id = ${sittingId} and b.org_id = r.org_id)::int as batches,
      (select count(*) from entry e where e.sitting_id = ${sittingId} and e.org_id = r.org_id
        and e.paid and e.batch_id is null)::int as unallocated,
      (select count(*) from entry e where e.sitting_id = ${sittingId} and e.org_id = r.org_id
        and e.batch_id is not null and e.admission_no is null)::int as unnumbered
    from registration r where r.sitting_id = ${sittingId} and r.org_id = any(${[...siteIds]}::int[])
    group by r.org_id`.execute(db);
  return rows.rows;
}

/** MGT-1 (issue 15 item 3): the result list's ids in its order, at most `limit` (previous / next on a candidate's page). */
export async function listOrderedIds(db: Q, f: ScopedFilter, s: CandidateSort, limit: number): Promise<number[]> {
  const rows = await sorted(filtered(db, f).select("r.id"), s).limit(limit).execute();
  return rows.map((r) => r.id);
}
