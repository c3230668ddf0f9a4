import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, SiteSetting } from "../schema";
import type { SiteEligibility } from "~/domain/eligibility";
import { getOrgPath } from "./orgs";

type Q = Kysely<DB> | Transaction<DB>;

/** A site's settings row, or the defaults when the site has not saved any yet. */
export async function getSiteSetting(db: Q, sittingId: number, orgId: number): Promise<SiteSetting> {
  const row = await db
    .selectFrom("site_setting")
    .selectAll()
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", orgId)
    .executeTakeFirst();
  return (
    row ?? {
      sitting_id: sittingId,
      org_id: orgId,
      open: true,
      group_registration: false,
      group_payment: false,
      review_required: false,
      class_required: false,
      max_entries: 3,
      self_print: true,
      class_options: "",
      online_enabled: false,
      online_starts_at: null,
      online_ends_at: null,
      total_capacity: null,
      total_taken: 0,
      per_person_fee_fen: null,
      registry_enabled: false,
      only_province_registry: false,
      only_site_registry: false,
      admission_issued: 0,
      admission_generated_at: null,
      class_seating: "together",
    }
  );
}

/** Creates the row if needed and locks it for the rest of the transaction. */
export async function lockSiteSetting(trx: Transaction<DB>, sittingId: number, orgId: number): Promise<SiteSetting> {
  await trx
    .insertInto("site_setting")
    .values({ sitting_id: sittingId, org_id: orgId, total_capacity: null, per_person_fee_fen: null })
    .onConflict((oc) => oc.columns(["sitting_id", "org_id"]).doNothing())
    .execute();
  return trx
    .selectFrom("site_setting")
    .selectAll()
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", orgId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function listSittingSubjects(db: Q, sittingId: number) {
  return db
    .selectFrom("sitting_subject")
    .innerJoin("subject", "subject.code", "sitting_subject.subject_code")
    .select([
      "sitting_subject.subject_code as code",
      "subject.name",
      "subject.level",
      "sitting_subject.exam_start",
      "sitting_subject.exam_end",
    ])
    .where("sitting_id", "=", sittingId)
    .orderBy("subject.level")
    .orderBy("subject.code")
    .execute();
}

export async function listProvinceSubjects(db: Q, sittingId: number, provinceId: number) {
  return db
    .selectFrom("province_subject")
    .innerJoin("subject", "subject.code", "province_subject.subject_code")
    .select([
      "province_subject.subject_code as code",
      "subject.name",
      "subject.level",
      "province_subject.exam_start",
      "province_subject.exam_end",
    ])
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", provinceId)
    .orderBy("subject.level")
    .orderBy("subject.code")
    .execute();
}

/** SET-2/SET-4 and the capacity counters: every offered subject with its capacity and entries taken, in one query. */
export async function listSiteSubjects(db: Q, sittingId: number, siteId: number) {
  return db
    .selectFrom("site_subject")
    .innerJoin("subject", "subject.code", "site_subject.subject_code")
    .select([
      "site_subject.subject_code as code",
      "subject.name",
      "subject.level",
      "site_subject.exam_start",
      "site_subject.exam_end",
      "site_subject.capacity",
      "site_subject.taken",
    ])
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .orderBy("subject.level")
    .orderBy("subject.code")
    .execute();
}

/** Capacity counters of a site: total and per subject, read together (one round trip). */
export async function getCapacityCounters(db: Q, sittingId: number, siteId: number) {
  const rows = await sql<{ code: string | null; capacity: number | null; taken: number }>`
    select null as code, total_capacity as capacity, total_taken as taken from site_setting where sitting_id = ${sittingId} and org_id = ${siteId}
    union all
    select subject_code, capacity, taken from site_subject where sitting_id = ${sittingId} and org_id = ${siteId}`.execute(
    db,
  );
  const total = rows.rows.find((r) => r.code === null);
  return {
    total: { capacity: total?.capacity ?? null, taken: total?.taken ?? 0 },
    subjects: new Map(
      rows.rows.filter((r) => r.code !== null).map((r) => [r.code!, { capacity: r.capacity, taken: r.taken }]),
    ),
  };
}

export async function listSiteFees(db: Q, sittingId: number, siteId: number) {
  const rows = await db
    .selectFrom("site_fee")
    .select(["subject_code", "fee_fen"])
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .execute();
  return new Map(rows.map((r) => [r.subject_code, r.fee_fen]));
}

export async function getProvinceSetting(db: Q, sittingId: number, provinceId: number) {
  const row = await db
    .selectFrom("province_setting")
    .selectAll()
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", provinceId)
    .executeTakeFirst();
  return { preferred_dates_enabled: row?.preferred_dates_enabled ?? false };
}

export async function listQuotas(db: Q, sittingId: number, siteId: number) {
  return db
    .selectFrom("preferred_date_quota")
    .select(["exam_date", "quota", "taken"])
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .orderBy("exam_date")
    .execute();
}

export interface SiteReadinessRow {
  id: number;
  code: string;
  name: string;
  parent_id: number | null;
  address: string;
  open: boolean;
  online_enabled: boolean;
  online_set: boolean;
  total_capacity: number | null;
  per_person_fee_fen: number | null;
  offered: number;
  without_capacity: number;
  without_fee: number;
  /** The subjects behind the two counts (CAN-2: such a subject is not offered to candidates). */
  codes_without_capacity: string[];
  codes_without_fee: string[];
}

/** the readiness facts of every site in a subtree, in one query. */
export async function listSiteReadiness(db: Q, sittingId: number, rootId: number): Promise<SiteReadinessRow[]> {
  const r = await sql<SiteReadinessRow>`
    with recursive down as (
      select id from org where id = ${rootId}
      union all select c.id from org c join down on c.parent_id = down.id
    )
    select o.id, o.code, o.name, o.parent_id, os.address,
      coalesce(ss.open, true) as open, coalesce(ss.online_enabled, false) as online_enabled,
      (ss.online_starts_at is not null and ss.online_ends_at is not null) as online_set,
      ss.total_capacity, ss.per_person_fee_fen,
      (select count(*) from site_subject s where s.sitting_id = ${sittingId} and s.org_id = o.id)::int as offered,
      (select count(*) from site_subject s where s.sitting_id = ${sittingId} and s.org_id = o.id and s.capacity is null)::int as without_capacity,
      (select count(*) from site_subject s where s.sitting_id = ${sittingId} and s.org_id = o.id
         and not exists (select 1 from site_fee f where f.sitting_id = s.sitting_id and f.org_id = s.org_id and f.subject_code = s.subject_code))::int as without_fee,
      array(select s.subject_code from site_subject s where s.sitting_id = ${sittingId} and s.org_id = o.id and s.capacity is null
         order by s.subject_code) as codes_without_capacity,
      array(select s.subject_code from site_subject s where s.sitting_id = ${sittingId} and s.org_id = o.id
         and not exists (select 1 from site_fee f where f.sitting_id = s.sitting_id and f.org_id = s.org_id and f.subject_code = s.subject_code)
         order by s.subject_code) as codes_without_fee
    from down join org o on o.id = down.id and o.level = 'site'
    join org_sitting os on os.org_id = o.id and os.sitting_id = ${sittingId} and os.enabled
    left join site_setting ss on ss.org_id = o.id and ss.sitting_id = ${sittingId}
    order by o.code`.execute(db);
  return r.rows;
}

/** SET-9: the site's eligibility settings, as the candidate pages and the group import read them. */
export async function loadSiteEligibility(db: Q, sittingId: number, siteId: number): Promise<SiteEligibility> {
  const s = await getSiteSetting(db, sittingId, siteId);
  const province = (await getOrgPath(db, siteId)).find((o) => o.level === "province");
  const ps = province ? await getProvinceSetting(db, sittingId, province.id) : undefined;
  return {
    siteId,
    provinceId: province?.id ?? 0,
    registryEnabled: s.registry_enabled,
    onlyProvinceRegistry: s.only_province_registry,
    onlySiteRegistry: s.only_site_registry,
    crossSiteDisabled: ps?.preferred_dates_enabled ?? false,
  };
}
