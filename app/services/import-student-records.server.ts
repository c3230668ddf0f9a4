import { sql } from "kysely";
import { getDb } from "~db/client";
import { findExisting } from "~db/queries/student-records";
import { EDUCATION_RANK } from "../../templates/code-tables";
import { planStudentRecordImport, type RowError, type StudentRecordValue } from "~/domain/student-record";
import type { Actor } from "./audit.server";
import { recordAudit } from "./audit.server";

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
  return getDb().transaction().execute(async (trx) => {
    // One import per site at a time: concurrent imports of overlapping files cannot interleave.
    await sql`select pg_advisory_xact_lock(4242, ${siteId})`.execute(trx);
    const existing = await findExisting(trx, rows.map((r) => r.value.id_number));
    const plan = planStudentRecordImport(rows, existing, siteId, overwrite, EDUCATION_RANK);
    if (plan.errors.length) return { ok: false, errors: plan.errors, inserted: 0, updated: 0, replaced: 0 };
    const now = new Date();
    const BATCH = 1000;
    for (let i = 0; i < rows.length; i += BATCH) {
      const values = rows.slice(i, i + BATCH).map(({ value }) => ({ ...value, org_id: siteId, eligible_site_ids: null, updated_at: now }));
      await trx.insertInto("student_record").values(values)
        .onConflict((oc) => oc.column("id_number").doUpdateSet((eb) => {
          const set: Record<string, unknown> = {};
          for (const k of Object.keys(values[0])) if (k !== "id_number") set[k] = eb.ref(`excluded.${k}` as "excluded.name");
          return set;
        }))
        .execute();
      await onProgress?.(Math.min(i + BATCH, rows.length), rows.length);
    }
    await recordAudit(trx, actor, {
      action: "records.import", entityType: "student_record", entityId: siteId, orgId: siteId,
      after: { rows: rows.length, inserted: plan.inserts, updated: plan.sameSite, replaced: plan.otherSite, overwrite },
    });
    return { ok: true, errors: [], inserted: plan.inserts, updated: plan.sameSite, replaced: plan.otherSite };
  });
}
