import { getDb } from "~db/client";
import { findRecordByIdNumber } from "~db/queries/student-records";
import { EDUCATION_RANK } from "~templates/code-tables";
import { AppError } from "~/domain/errors";
import { planStudentRecordImport, type StudentRecordImportValue } from "~/domain/student-record";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { eligibleSiteIdsOf } from "./import-student-records.server";
import { requireSite } from "~/utils/permissions.server";

/** SR-5 add (SR-4 rules as for one imported row; SET-9 eligible sites as in the template). */
export async function addStudentRecord(ctx: AdminContext, input: StudentRecordImportValue) {
  const { eligible_sites, ...value } = input;
  requireSite(ctx);
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
      const eligible_site_ids = await eligibleSiteIdsOf(trx, ctx.org.id, eligible_sites);
      let rowId: number;
      if (old) {
        await trx
          .updateTable("student_record")
          .set({ ...value, org_id: ctx.org.id, eligible_site_ids, updated_at: new Date() })
          .where("id", "=", old.id)
          .execute();
        rowId = old.id;
      } else {
        rowId = (
          await trx
            .insertInto("student_record")
            .values({ ...value, org_id: ctx.org.id, eligible_site_ids })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
      }
      await recordAudit(trx, ctx.actor, {
        action: old ? "records.take_over" : "records.add",
        entityType: "student_record",
        entityId: rowId,
        before: old ? { org_id: old.org_id, name: old.name } : undefined,
        after: { org_id: ctx.org.id, name: value.name, class_name: value.class_name, eligible_sites },
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
