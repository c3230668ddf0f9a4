import { sql } from "kysely";
import { getDb } from "~db/client";
import { findExisting } from "~db/queries/student-records";
import { EDUCATION_RANK } from "~templates/code-tables";
import { planStudentRecordImport, type RowError, type StudentRecordValue } from "~/domain/student-record";
import type { Actor } from "./audit.server";
import { recordAudit, recordAudits } from "./audit.server";
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
] as const satisfies ReadonlyArray<keyof StudentRecordValue>;

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
  rows: Array<{ row: number; value: StudentRecordValue }>,
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
      if (plan.errors.length) return { ok: false, errors: plan.errors, inserted: 0, updated: 0, replaced: 0 };
      const now = new Date();
      // One statement per 5,000 rows, each column sent as one array and unnested by the database:
      // about half the time of multi-row VALUES, with no per-row parameter limit.
      const CHUNK = 5000;
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        const columns = sql.join(RECORD_COLUMNS.map((c) => sql.ref(c)));
        const arrays = sql.join(
          RECORD_COLUMNS.map(
            (c) => sql`${chunk.map((r) => r.value[c])}::${sql.raw(c === "birth_date" ? "date" : "text")}[]`,
          ),
        );
        const updates = sql.join(
          RECORD_COLUMNS.filter((c) => c !== "id_number").map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`),
        );
        await sql`
        insert into student_record (org_id, ${columns}, eligible_site_ids, updated_at)
        select ${siteId}::int, t.*, null, ${now}::timestamptz from unnest(${arrays}) as t(${columns})
        on conflict (id_number) do update set org_id = excluded.org_id, ${updates}, eligible_site_ids = null, updated_at = excluded.updated_at`.execute(
          trx,
        );
        await onProgress?.(Math.min(i + CHUNK, rows.length), rows.length);
      }
      await recordAudit(trx, actor, {
        action: "records.import",
        entityType: "student_record",
        entityId: siteId,
        orgId: siteId,
        after: {
          rows: rows.length,
          inserted: plan.inserts,
          updated: plan.sameSite,
          replaced: plan.otherSite,
          overwrite,
        },
      });
      // SR-4: every site that lost records to this import finds one entry in its own log.
      const lost = new Map<number, number>();
      for (const r of existing.values()) if (r.org_id !== siteId) lost.set(r.org_id, (lost.get(r.org_id) ?? 0) + 1);
      if (lost.size) {
        await recordAudits(
          trx,
          actor,
          [...lost].map(([orgId, count]) => ({
            action: "records.taken_over",
            entityType: "student_record",
            entityId: orgId,
            orgId,
            before: { org_id: orgId, count },
            after: { org_id: siteId },
          })),
        );
      }
      return { ok: true, errors: [], inserted: plan.inserts, updated: plan.sameSite, replaced: plan.otherSite };
    });
}
