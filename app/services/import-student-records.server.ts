import { sql } from "kysely";
import { getDb } from "~db/client";
import type { Transaction } from "kysely";
import type { DB } from "~db/schema";
import { findExisting, provinceSitesByCode } from "~db/queries/student-records";
import { EDUCATION_RANK } from "~templates/code-tables";
import { AppError } from "~/domain/errors";
import {
  ELIGIBLE_SITES_COLUMN,
  planStudentRecordImport,
  studentRecordPlanner,
  type EligibleSites,
  type RowError,
  type StudentRecordImportValue,
} from "~/domain/student-record";
import type { Actor } from "./audit.server";
import { recordAudit, recordAudits } from "./audit.server";
import { openWriteWhileReading } from "~/imports/write-while-reading.server";
import { lockAdvisory } from "~db/queries/locks";

const RECORD_COLUMNS = [
  "id_type",
  "id_number",
  "name",
  "gender",
  "birth_date",
  "ethnicity",
  "education",
  "occupation",
  "training_type",
  "student_no",
  "department",
  "major",
  "class_name",
  "phone",
  "email",
  "address",
  "postcode",
  "remark",
] as const satisfies ReadonlyArray<keyof StudentRecordImportValue>;

export interface ImportOutcome {
  ok: boolean;
  errors: RowError[];
  inserted: number;
  updated: number;
  replaced: number;
}

/**
 * SR-3/SR-4: all-or-nothing. The plan is made inside the transaction that writes, so a record
 * added by someone else meanwhile is judged too; any error writes nothing.
 */
export async function importStudentRecords(
  actor: Actor,
  siteId: number,
  rows: Array<{ row: number; value: StudentRecordImportValue }>,
  overwrite: boolean,
  onProgress?: (done: number, total: number) => Promise<void>,
): Promise<ImportOutcome> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      // One import per site at a time: concurrent imports of overlapping files cannot interleave.
      await lockAdvisory(trx, "studentRecords", siteId);
      const existing = await findExisting(
        trx,
        rows.map((r) => r.value.id_number),
      );
      const plan = planStudentRecordImport(rows, existing, siteId, overwrite, EDUCATION_RANK);
      const eligible = await resolveEligibleSites(trx, siteId, rows);
      const errors = [...plan.errors, ...eligible.errors].sort((a, b) => a.row - b.row);
      if (errors.length) return { ok: false, errors, inserted: 0, updated: 0, replaced: 0 };
      const now = new Date();
      const CHUNK = 5000;
      for (let i = 0; i < rows.length; i += CHUNK) {
        await writeRecords(trx, siteId, rows.slice(i, i + CHUNK), eligible.ids.slice(i, i + CHUNK), now);
        await onProgress?.(Math.min(i + CHUNK, rows.length), rows.length);
      }
      await auditImport(trx, actor, siteId, rows.length, plan, overwrite, existing.values());
      return { ok: true, errors: [], inserted: plan.inserts, updated: plan.sameSite, replaced: plan.otherSite };
    });
}

/**
 * One statement for up to 5,000 rows, each column sent as one array and unnested by the database:
 * about half the time of multi-row VALUES, with no per-row parameter limit.
 */
async function writeRecords(
  trx: Transaction<DB>,
  siteId: number,
  chunk: ReadonlyArray<{ value: StudentRecordImportValue }>,
  eligibleIds: ReadonlyArray<number[] | null>,
  now: Date,
) {
  const columns = sql.join(RECORD_COLUMNS.map((c) => sql.ref(c)));
  const arrays = sql.join([
    ...RECORD_COLUMNS.map(
      (c) => sql`${chunk.map((r) => r.value[c])}::${sql.raw(c === "birth_date" ? "date" : "text")}[]`,
    ),
    // An integer list per row travels as its array literal ('{3,7}'), cast back below.
    sql`${eligibleIds.map(arrayLiteral)}::text[]`,
  ]);
  const updates = sql.join(
    RECORD_COLUMNS.filter((c) => c !== "id_number").map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`),
  );
  await sql`
    insert into student_record (org_id, ${columns}, eligible_site_ids, updated_at)
    select ${siteId}::int, ${sql.join(RECORD_COLUMNS.map((c) => sql.ref(`t.${c}`)))}, t.eligible::int[], ${now}::timestamptz
    from unnest(${arrays}) as t(${columns}, eligible)
    on conflict (id_number) do update set org_id = excluded.org_id, ${updates}, eligible_site_ids = excluded.eligible_site_ids, updated_at = excluded.updated_at`.execute(
    trx,
  );
}

/** The import's audit entry, and (SR-4) one in the log of every site that lost records to it. */
async function auditImport(
  trx: Transaction<DB>,
  actor: Actor,
  siteId: number,
  rows: number,
  plan: { inserts: number; sameSite: number; otherSite: number },
  overwrite: boolean,
  existing: Iterable<{ org_id: number }>,
) {
  await recordAudit(trx, actor, {
    action: "records.import",
    entityType: "student_record",
    entityId: siteId,
    orgId: siteId,
    after: { rows, inserted: plan.inserts, updated: plan.sameSite, replaced: plan.otherSite, overwrite },
  });
  const lost = new Map<number, number>();
  for (const r of existing) if (r.org_id !== siteId) lost.set(r.org_id, (lost.get(r.org_id) ?? 0) + 1);
  if (lost.size)
    await recordAudits(
      trx,
      actor,
      [...lost].map(([orgId, count]) => ({
        action: "records.taken_over" as const,
        entityType: "student_record" as const,
        entityId: orgId,
        orgId,
        before: { org_id: orgId, count },
        after: { org_id: siteId },
      })),
    );
}

/**
 * SR-3 on PostgreSQL, written while the file is still being read (decision 0010): the transaction
 * and the site's lock first, then each part of typed rows looked up (existing records, eligible
 * sites), planned and written as it comes, the database working on the other core while the next
 * part is parsed. Any error rolls everything back; the rows are not all held in memory.
 */
export async function openStudentRecordImport(actor: Actor, siteId: number, overwrite: boolean) {
  const session = await openWriteWhileReading("studentRecords", siteId);
  const trx = session.trx;
  const planner = studentRecordPlanner(siteId, overwrite, EDUCATION_RANK);
  const eligibleErrors: RowError[] = [];
  const lostFrom: Array<{ org_id: number }> = [];
  const now = new Date();
  let rowCount = 0;
  let failed = false;
  let typingSeen = false;
  const refused = (errors: RowError[]) => ({
    commit: false,
    result: { ok: false, errors, inserted: 0, updated: 0, replaced: 0 },
  });
  return {
    push(rows: Array<{ row: number; value: StudentRecordImportValue }>, typingFailed: boolean) {
      rowCount += rows.length;
      session.queue(async () => {
        // Once a row failed to type, only those errors are reported (as the all-at-once path does).
        if (typingFailed) typingSeen = true;
        if (typingSeen) return;
        const existing = await findExisting(
          trx,
          rows.map((r) => r.value.id_number),
        );
        const before = planner.plan.errors.length;
        planner.add(rows, existing);
        const eligible = await resolveEligibleSites(trx, siteId, rows);
        eligibleErrors.push(...eligible.errors);
        for (const r of existing.values()) lostFrom.push(r);
        if (planner.plan.errors.length > before || eligible.errors.length) failed = true;
        // Once anything failed nothing more is written; the rest is still planned for the report.
        if (!failed) await writeRecords(trx, siteId, rows, eligible.ids, now);
      });
    },
    finish: (typingFailed: boolean): Promise<ImportOutcome> =>
      session.finish<ImportOutcome>(async () => {
        if (typingFailed) return refused([]);
        const errors = [...planner.plan.errors, ...eligibleErrors].sort((a, b) => a.row - b.row);
        if (errors.length) return refused(errors);
        const plan = planner.plan;
        await auditImport(trx, actor, siteId, rowCount, plan, overwrite, lostFrom);
        return {
          commit: true,
          result: { ok: true, errors: [], inserted: plan.inserts, updated: plan.sameSite, replaced: plan.otherSite },
        };
      }),
    abort: session.abort,
  };
}

const arrayLiteral = (ids: readonly number[] | null) => (ids === null ? null : `{${ids.join(",")}}`);

/**
 * SET-9: each row's eligible site codes as ids of sites of this site's province; a code that is not
 * one is the row's error (a site of another province could not apply the record's rule anyway).
 */
export async function resolveEligibleSites(
  trx: Transaction<DB>,
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: { eligible_sites: EligibleSites } }>,
): Promise<{ ids: Array<number[] | null>; errors: RowError[] }> {
  const codes = new Set(rows.flatMap((r) => r.value.eligible_sites ?? []));
  const known = await provinceSitesByCode(trx, siteId, [...codes]);
  const errors: RowError[] = [];
  const ids = rows.map(({ row, value }) => {
    if (value.eligible_sites === null) return null;
    const out: number[] = [];
    for (const code of value.eligible_sites) {
      const id = known.get(code);
      if (id === undefined)
        errors.push({
          row,
          column: ELIGIBLE_SITES_COLUMN,
          value: code,
          key: "records.unknown_eligible_site",
          params: { code },
        });
      else out.push(id);
    }
    return out;
  });
  return { ids, errors };
}

/** SET-9 for one record (the add and edit form): its eligible site ids, or the first unknown code refused. */
export async function eligibleSiteIdsOf(trx: Transaction<DB>, siteId: number, sites: EligibleSites) {
  const r = await resolveEligibleSites(trx, siteId, [{ row: 1, value: { eligible_sites: sites } }]);
  if (r.errors.length) throw new AppError(r.errors[0].key, r.errors[0].params);
  return r.ids[0];
}
