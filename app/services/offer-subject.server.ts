import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { checkSubjectRange } from "~/domain/subject-range";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { isSite, requireProvinceOnPath } from "~/utils/permissions.server";

// SET-2: the centre offers subjects for the sitting; a province offers a subset inside the centre's
// ranges; a site offers a subset inside its province's. Ranges are fixed once added.

/** SET-2: offer a subject with its exam range. */
export async function offerSubject(ctx: AdminContext, input: { code: string; start: string; end: string }) {
  const db = getDb();
  const sittingId = ctx.sitting.id;
  return db.transaction().execute(async (trx) => {
    let parent: { start: string; end: string } | null = null;
    if (ctx.org.level === "centre") {
      const s = await trx.selectFrom("subject").selectAll().where("code", "=", input.code).executeTakeFirst();
      if (!s || s.retired) throw new AppError("subject.unknown", { code: input.code });
      // The centre's ranges lie inside the sitting's own exam days.
      parent = { start: ctx.sitting.starts_on, end: ctx.sitting.ends_on };
    } else if (ctx.org.level === "province") {
      const p = await trx
        .selectFrom("sitting_subject")
        .select(["exam_start as start", "exam_end as end"])
        .where("sitting_id", "=", sittingId)
        .where("subject_code", "=", input.code)
        .executeTakeFirst();
      parent = p ?? null;
    } else if (isSite(ctx)) {
      const p = await trx
        .selectFrom("province_subject")
        .select(["exam_start as start", "exam_end as end"])
        .where("sitting_id", "=", sittingId)
        .where("org_id", "=", requireProvinceOnPath(ctx).id)
        .where("subject_code", "=", input.code)
        .executeTakeFirst();
      parent = p ?? null;
    } else {
      throw new AppError("setup.city_reads_only", {}, 403);
    }
    const problem = checkSubjectRange(input, parent);
    if (problem) throw new AppError(problem, { code: input.code, from: parent?.start ?? "", to: parent?.end ?? "" });
    const values = { sitting_id: sittingId, subject_code: input.code, exam_start: input.start, exam_end: input.end };
    const inserted =
      ctx.org.level === "centre"
        ? await trx
            .insertInto("sitting_subject")
            .values(values)
            .onConflict((oc) => oc.doNothing())
            .executeTakeFirst()
        : ctx.org.level === "province"
          ? await trx
              .insertInto("province_subject")
              .values({ ...values, org_id: ctx.org.id })
              .onConflict((oc) => oc.doNothing())
              .executeTakeFirst()
          : await trx
              .insertInto("site_subject")
              .values({ ...values, org_id: ctx.org.id, capacity: null })
              .onConflict((oc) => oc.doNothing())
              .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0)
      throw new AppError("subject.already_offered", { code: input.code });
    await recordAudit(trx, ctx.actor, {
      action: "setup.subject_add",
      entityType: "subject",
      entityId: input.code,
      after: { start: input.start, end: input.end },
    });
  });
}
