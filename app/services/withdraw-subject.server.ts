import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { canDeleteSiteSubject } from "~/domain/subject-range";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { isSite } from "~/utils/permissions.server";

// SET-2: the centre offers subjects for the sitting; a province offers a subset inside the centre's
// ranges; a site offers a subset inside its province's. Ranges are fixed once added.

export async function withdrawSubject(ctx: AdminContext, code: string) {
  const db = getDb();
  const sittingId = ctx.sitting.id;
  await db.transaction().execute(async (trx) => {
    let before: { exam_start: string; exam_end: string } | undefined;
    if (ctx.org.level === "centre") {
      const used = await trx
        .selectFrom("province_subject")
        .select("org_id")
        .where("sitting_id", "=", sittingId)
        .where("subject_code", "=", code)
        .executeTakeFirst();
      if (used) throw new AppError("subject.used_below", { code });
      before = await trx
        .deleteFrom("sitting_subject")
        .where("sitting_id", "=", sittingId)
        .where("subject_code", "=", code)
        .returning(["exam_start", "exam_end"])
        .executeTakeFirst();
    } else if (ctx.org.level === "province") {
      const used = await trx
        .selectFrom("site_subject")
        .innerJoin("org", "org.id", "site_subject.org_id")
        .select("site_subject.org_id")
        .where("site_subject.sitting_id", "=", sittingId)
        .where("site_subject.subject_code", "=", code)
        .where((eb) =>
          eb.or([
            eb("org.parent_id", "=", ctx.org.id),
            eb("org.parent_id", "in", eb.selectFrom("org as c").select("c.id").where("c.parent_id", "=", ctx.org.id)),
          ]),
        )
        .executeTakeFirst();
      if (used) throw new AppError("subject.used_below", { code });
      before = await trx
        .deleteFrom("province_subject")
        .where("sitting_id", "=", sittingId)
        .where("org_id", "=", ctx.org.id)
        .where("subject_code", "=", code)
        .returning(["exam_start", "exam_end"])
        .executeTakeFirst();
    } else if (isSite(ctx)) {
      const row = await trx
        .selectFrom("site_subject")
        .selectAll()
        .where("sitting_id", "=", sittingId)
        .where("org_id", "=", ctx.org.id)
        .where("subject_code", "=", code)
        .forUpdate()
        .executeTakeFirst();
      if (row) {
        const problem = canDeleteSiteSubject(row);
        if (problem) throw new AppError(problem, { code });
      }
      before = await trx
        .deleteFrom("site_subject")
        .where("sitting_id", "=", sittingId)
        .where("org_id", "=", ctx.org.id)
        .where("subject_code", "=", code)
        .returning(["exam_start", "exam_end"])
        .executeTakeFirst();
    } else {
      throw new AppError("setup.city_reads_only", {}, 403);
    }
    if (!before) throw new AppError("subject.not_offered", { code });
    await recordAudit(trx, ctx.actor, {
      action: "setup.subject_remove",
      entityType: "subject",
      entityId: code,
      before: { start: before.exam_start, end: before.exam_end },
    });
  });
}
