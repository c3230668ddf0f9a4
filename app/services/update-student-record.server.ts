import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { type StudentRecordImportValue } from "~/domain/student-record";
import { siteCodesById } from "~db/queries/student-records";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { eligibleSiteIdsOf } from "./import-student-records.server";
import { requireSite } from "~/utils/permissions.server";

/**
 * SR-5 edit: the ID number is the key and stays; SR-6: existing registrations are not touched.
 * SET-9: the eligible sites are set here as in the template.
 */
export async function updateStudentRecord(ctx: AdminContext, id: number, input: StudentRecordImportValue) {
  const { eligible_sites, ...value } = input;
  requireSite(ctx);
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
      const eligible_site_ids = await eligibleSiteIdsOf(trx, ctx.org.id, eligible_sites);
      await trx
        .updateTable("student_record")
        .set({ ...fields, eligible_site_ids, updated_at: new Date() })
        .where("id", "=", id)
        .execute();
      const before: Record<string, unknown> = {};
      for (const k of Object.keys(fields) as (keyof typeof fields)[]) before[k] = old[k];
      const codes = await siteCodesById(trx, old.eligible_site_ids ?? []);
      before.eligible_sites = old.eligible_site_ids?.map((i) => codes.get(i) ?? String(i)) ?? null;
      await recordAudit(trx, ctx.actor, {
        action: "records.update",
        entityType: "student_record",
        entityId: id,
        before,
        after: { ...fields, eligible_sites },
      });
    });
}
