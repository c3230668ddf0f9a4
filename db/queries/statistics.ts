import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { DB } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

/**
 * MGT-6 registration statistics: per-site aggregates of one sitting for a list of sites (the
 * viewer's subtree, ORG-2). Every function is one query that aggregates in the database, on the
 * indexes entry(sitting_id, org_id, subject_code), registration(sitting_id, org_id),
 * payment(sitting_id, org_id, status) and the primary keys of site_subject and site_setting;
 * superiors' totals are sums of these rows (app/domain/statistics.ts).
 * Counts and sums come back as numbers on both backends (db/client.ts parses int8 and numeric).
 */

/** Runs the one query of a list of sites (`ids`, a copy of `siteIds`); no sites, no rows. */
async function forSites<R>(db: Q, siteIds: readonly number[], query: (ids: number[]) => RawBuilder<R>): Promise<R[]> {
  if (siteIds.length === 0) return [];
  return (await query([...siteIds]).execute(db)).rows;
}

/** The sites under `rootId` (itself, if a site) that exist in the sitting, with their city, by code. */
export interface StatsSite {
  id: number;
  code: string;
  name: string;
  parent_code: string | null;
  parent_name: string | null;
}

export async function listSitesUnder(db: Q, rootId: number, sittingId: number): Promise<StatsSite[]> {
  const r = await sql<StatsSite>`
    with recursive down as (
      select id from org where id = ${rootId}
      union all
      select c.id from org c join down on c.parent_id = down.id
    )
    select o.id, o.code, o.name, p.code as parent_code, p.name as parent_name
    from down
    join org o on o.id = down.id and o.level = 'site'
    join org_sitting s on s.org_id = o.id and s.sitting_id = ${sittingId}
    left join org p on p.id = o.parent_id
    order by o.code`.execute(db);
  return r.rows;
}

/** Entries by site and subject: all, paid, unpaid. */
export interface SubjectEntryRow {
  org_id: number;
  subject_code: string;
  subject_name: string;
  entries: number;
  paid: number;
  unpaid: number;
}

export function listEntriesBySubject(db: Q, sittingId: number, siteIds: readonly number[]): Promise<SubjectEntryRow[]> {
  return forSites(
    db,
    siteIds,
    (ids) => sql<SubjectEntryRow>`
    select e.org_id, e.subject_code, s.name as subject_name, e.entries, e.paid, e.entries - e.paid as unpaid
    from (
      select org_id, subject_code, count(*) as entries, count(*) filter (where paid) as paid
      from entry
      where sitting_id = ${sittingId} and org_id = any(${ids}::int[])
      group by org_id, subject_code
    ) e
    join subject s on s.code = e.subject_code
    order by e.org_id, e.subject_code`,
  );
}

/**
 * Payments by site. Paid money is split into individual payments (a candidate paying online for
 * their own registration) and group payment batches (GRP-6). A payment confirmed too late to be
 * applied is `refund_due`; a paid one whose per-person fee a payment batch had already paid is noted
 * `per_person_refund_due`: both are counted as owed back, not as income.
 */
export interface PaymentRow {
  org_id: number;
  paid_payments: number;
  individual_payments: number;
  group_payments: number;
  individual_fen: number;
  group_fen: number;
  paid_fen: number;
  per_person_fen: number;
  pending_payments: number;
  refund_due_payments: number;
  refund_due_fen: number;
}

export function listPaymentsBySite(db: Q, sittingId: number, siteIds: readonly number[]): Promise<PaymentRow[]> {
  return forSites(
    db,
    siteIds,
    (ids) => sql<PaymentRow>`
    select org_id,
      count(*) filter (where status = 'paid') as paid_payments,
      count(*) filter (where status = 'paid' and payment_batch_id is null) as individual_payments,
      count(*) filter (where status = 'paid' and payment_batch_id is not null) as group_payments,
      coalesce(sum(amount_fen) filter (where status = 'paid' and payment_batch_id is null), 0) as individual_fen,
      coalesce(sum(amount_fen) filter (where status = 'paid' and payment_batch_id is not null), 0) as group_fen,
      coalesce(sum(amount_fen) filter (where status = 'paid'), 0) as paid_fen,
      coalesce(sum(per_person_fen) filter (where status = 'paid'), 0) as per_person_fen,
      count(*) filter (where status = 'pending') as pending_payments,
      count(*) filter (where status = 'refund_due' or (status = 'paid' and note = 'per_person_refund_due')) as refund_due_payments,
      coalesce(sum(amount_fen) filter (where status = 'refund_due'), 0)
        + coalesce(sum(per_person_fen) filter (where status = 'paid' and note = 'per_person_refund_due'), 0) as refund_due_fen
    from payment
    where sitting_id = ${sittingId} and org_id = any(${ids}::int[])
    group by org_id
    order by org_id`,
  );
}

/**
 * Candidates by how much of their entries is paid, with the paid and unpaid entries and the
 * subject fees of the paid ones. A candidate without entries is counted apart.
 */
export interface PaidStateRow {
  org_id: number;
  candidates: number;
  fully_paid: number;
  partly_paid: number;
  unpaid: number;
  no_entries: number;
  paid_entries: number;
  unpaid_entries: number;
  subject_fen: number;
}

export async function listPaidStateBySite(
  db: Q,
  sittingId: number,
  siteIds: readonly number[],
): Promise<PaidStateRow[]> {
  if (siteIds.length === 0) return [];
  // The per-registration counters are kept by the entry trigger (migration 0007): one pass over the
  // registrations instead of grouping every entry by registration.
  const r = await sql<PaidStateRow>`
    select org_id,
      count(*) as candidates,
      count(*) filter (where entry_count > 0 and paid_count = entry_count) as fully_paid,
      count(*) filter (where paid_count > 0 and paid_count < entry_count) as partly_paid,
      count(*) filter (where entry_count > 0 and paid_count = 0) as unpaid,
      count(*) filter (where entry_count = 0) as no_entries,
      coalesce(sum(paid_count), 0) as paid_entries,
      coalesce(sum(entry_count - paid_count), 0) as unpaid_entries,
      coalesce(sum(paid_fen), 0) as subject_fen
    from registration
    where sitting_id = ${sittingId} and org_id = any(${[...siteIds]}::int[])
    group by org_id
    order by org_id`.execute(db);
  return r.rows;
}

/**
 * Candidates by site: by channel, gender (GB/T 2261.1: 1 male, 2 female), registry or public
 * (SR-7); and by preferred exam date (SET-5; `preferred_date` null = none chosen). Two queries
 * that can run side by side (one query with grouping sets hashes twice in one process: slower).
 */
export interface CandidateRow {
  org_id: number;
  candidates: number;
  online: number;
  group: number;
  male: number;
  female: number;
  registry: number;
  public: number;
}

export function listCandidatesBySite(db: Q, sittingId: number, siteIds: readonly number[]): Promise<CandidateRow[]> {
  return forSites(
    db,
    siteIds,
    (ids) => sql<CandidateRow>`
    select org_id,
      count(*) as candidates,
      count(*) filter (where channel = 'online') as online,
      count(*) filter (where channel = 'group') as "group",
      count(*) filter (where gender = '1') as male,
      count(*) filter (where gender = '2') as female,
      count(*) filter (where registry_candidate) as registry,
      count(*) filter (where not registry_candidate) as public
    from registration
    where sitting_id = ${sittingId} and org_id = any(${ids}::int[])
    group by org_id
    order by org_id`,
  );
}

export interface PreferredDateRow {
  org_id: number;
  preferred_date: string | null;
  candidates: number;
}

export function listPreferredDatesBySite(
  db: Q,
  sittingId: number,
  siteIds: readonly number[],
): Promise<PreferredDateRow[]> {
  return forSites(
    db,
    siteIds,
    (ids) => sql<PreferredDateRow>`
    select org_id, preferred_date, count(*) as candidates
    from registration
    where sitting_id = ${sittingId} and org_id = any(${ids}::int[])
    group by org_id, preferred_date
    order by org_id, preferred_date nulls last`,
  );
}

/**
 * Capacity by site (SET-4 counters, CAN-4): each offered subject's capacity and seats taken, and
 * the site's total (`subject_code` null), in one query. `open` is false for a site that does not
 * open this sitting (SET-1), whose capacity is void.
 */
export interface CapacityRow {
  org_id: number;
  subject_code: string | null;
  subject_name: string | null;
  capacity: number | null;
  taken: number;
  open: boolean;
}

export function listCapacityBySite(db: Q, sittingId: number, siteIds: readonly number[]): Promise<CapacityRow[]> {
  return forSites(
    db,
    siteIds,
    (ids) => sql<CapacityRow>`
    select org_id, null::text as subject_code, null::text as subject_name, total_capacity as capacity, total_taken as taken, open
    from site_setting
    where sitting_id = ${sittingId} and org_id = any(${ids}::int[])
    union all
    select ss.org_id, ss.subject_code, s.name, ss.capacity, ss.taken, true
    from site_subject ss join subject s on s.code = ss.subject_code
    where ss.sitting_id = ${sittingId} and ss.org_id = any(${ids}::int[])
    order by 1, 2 nulls first`,
  );
}
