import { getDb } from "~db/client";
import { countMatching, deleteMatching, findRecordByIdNumber, type RecordFilter } from "~db/queries/student-records";
import { EDUCATION_RANK } from "~templates/code-tables";
import { AppError } from "~/domain/errors";
import {
  FORM_TO_COLUMN,
  parseStudentRecordRow,
  planStudentRecordImport,
  type CellError,
  type StudentRecordValue,
} from "~/domain/student-record";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";

/** The add/edit form goes through the same row schema as the import (one place per rule). */
export function parseRecordForm(
  fields: Record<string, string>,
): { value: StudentRecordValue } | { errors: CellError[] } {
  const cells: Record<string, unknown> = {};
  for (const [k, column] of Object.entries(FORM_TO_COLUMN)) cells[column] = fields[k] ?? "";
  const r = parseStudentRecordRow(cells);
  return r.value ? { value: r.value } : { errors: r.errors! };
}

/** SR-5 add (SR-4 rules as for one imported row). */
export async function addStudentRecord(ctx: AdminContext, value: StudentRecordValue) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const old = await findRecordByIdNumber(trx, value.id_number);
      const plan = planStudentRecordImport(
        [{ row: 1, value }],
        new Map(old ? [[old.id_number, old]] : []),
        ctx.org.id,
        false,
        EDUCATION_RANK,
      );
      if (plan.errors.length) throw new AppError(plan.errors[0].key);
      let rowId: number;
      if (old) {
        await trx
          .updateTable("student_record")
          .set({ ...value, org_id: ctx.org.id, eligible_site_ids: null, updated_at: new Date() })
          .where("id", "=", old.id)
          .execute();
        rowId = old.id;
      } else {
        rowId = (
          await trx
            .insertInto("student_record")
            .values({ ...value, org_id: ctx.org.id, eligible_site_ids: null })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
      }
      await recordAudit(trx, ctx.actor, {
        action: old ? "records.take_over" : "records.add",
        entityType: "student_record",
        entityId: rowId,
        before: old ? { org_id: old.org_id, name: old.name } : undefined,
        after: { org_id: ctx.org.id, name: value.name, class_name: value.class_name },
      });
      // SR-4: a record taken from another site leaves an entry in that site's log too (it lost it).
      if (old && old.org_id !== ctx.org.id) {
        await recordAudit(trx, ctx.actor, {
          action: "records.taken_over",
          entityType: "student_record",
          entityId: rowId,
          orgId: old.org_id,
          before: { org_id: old.org_id, name: old.name },
          after: { org_id: ctx.org.id },
        });
      }
    });
}

/** SR-5 edit: the ID number is the key and stays; SR-6: existing registrations are not touched. */
export async function updateStudentRecord(ctx: AdminContext, id: number, value: StudentRecordValue) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const old = await trx
        .selectFrom("student_record")
        .selectAll()
        .where("id", "=", id)
        .where("org_id", "=", ctx.org.id)
        .forUpdate()
        .executeTakeFirst();
      if (!old) throw new AppError("scope.denied", {}, 403);
      if (old.id_number !== value.id_number) throw new AppError("records.id_fixed");
      const { id_number: _key, ...fields } = value;
      await trx
        .updateTable("student_record")
        .set({ ...fields, updated_at: new Date() })
        .where("id", "=", id)
        .execute();
      const before: Record<string, unknown> = {};
      for (const k of Object.keys(fields) as (keyof typeof fields)[]) before[k] = old[k];
      await recordAudit(trx, ctx.actor, {
        action: "records.update",
        entityType: "student_record",
        entityId: id,
        before,
        after: fields,
      });
    });
}

export async function deleteStudentRecord(ctx: AdminContext, id: number) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const old = await trx
        .deleteFrom("student_record")
        .where("id", "=", id)
        .where("org_id", "=", ctx.org.id)
        .returning(["id_number", "name"])
        .executeTakeFirst();
      if (!old) throw new AppError("scope.denied", {}, 403);
      await recordAudit(trx, ctx.actor, {
        action: "records.delete",
        entityType: "student_record",
        entityId: id,
        before: { name: old.name, id_number: old.id_number },
      });
    });
}

/** SR-5 "delete all search results": only when the count the user confirmed is still the count. */
export async function deleteAllMatching(
  ctx: AdminContext,
  filter: Omit<RecordFilter, "orgId">,
  confirmedCount: number,
) {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const f = { ...filter, orgId: ctx.org.id };
      const n = await countMatching(trx, f);
      if (n !== confirmedCount) throw new AppError("records.count_changed", { count: n });
      const deleted = await deleteMatching(trx, f);
      await recordAudit(trx, ctx.actor, {
        action: "records.delete_all",
        entityType: "student_record",
        entityId: ctx.org.code,
        before: { count: deleted, filter: JSON.stringify(filter) },
      });
      return deleted;
    });
}
