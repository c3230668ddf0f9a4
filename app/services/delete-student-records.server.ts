import { getDb } from "~db/client";
import { countMatching, deleteMatching, type RecordFilter } from "~db/queries/student-records";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireSite } from "~/utils/permissions.server";

/** SR-5 delete: one record of the site, or every record its search finds. */
export async function deleteStudentRecord(ctx: AdminContext, id: number) {
  requireSite(ctx);
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
  requireSite(ctx);
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
