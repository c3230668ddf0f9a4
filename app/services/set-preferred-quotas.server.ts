import { getDb } from "~db/client";
import { getProvinceSetting, lockSiteSetting } from "~db/queries/setup";
import { AppError } from "~/domain/errors";
import { checkQuotas, examDays } from "~/domain/preferred-dates";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireSite } from "~/utils/permissions.server";

/** SET-5: per exam day, how many preferred-date candidates the site accepts (only when its province enabled it). */
export async function setPreferredQuotas(ctx: AdminContext, quotas: Record<string, number>) {
  requireSite(ctx);
  const province = ctx.orgPath.find((o) => o.level === "province");
  if (!province || !(await getProvinceSetting(getDb(), ctx.sitting.id, province.id)).preferred_dates_enabled) {
    throw new AppError("preferred.not_enabled");
  }
  const days = examDays(ctx.sitting.starts_on, ctx.sitting.ends_on);
  for (const d of Object.keys(quotas)) if (!days.includes(d)) throw new AppError("preferred.not_exam_day", { date: d });
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const setting = await lockSiteSetting(trx, ctx.sitting.id, ctx.org.id);
      const existing = await trx
        .selectFrom("preferred_date_quota")
        .select(["exam_date", "quota", "taken"])
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", ctx.org.id)
        .forUpdate()
        .execute();
      const list = days.map((date) => ({
        date,
        quota: quotas[date] ?? NaN,
        taken: existing.find((e) => e.exam_date === date)?.taken ?? 0,
      }));
      const problem = checkQuotas(list, setting.total_capacity);
      if (problem)
        throw new AppError(problem.problem, {
          date: problem.date ?? "",
          half: Math.floor((setting.total_capacity ?? 0) / 2),
          total: setting.total_capacity ?? 0,
        });
      for (const q of list) {
        await trx
          .insertInto("preferred_date_quota")
          .values({ sitting_id: ctx.sitting.id, org_id: ctx.org.id, exam_date: q.date, quota: q.quota })
          .onConflict((oc) => oc.columns(["sitting_id", "org_id", "exam_date"]).doUpdateSet({ quota: q.quota }))
          .execute();
      }
      await recordAudit(trx, ctx.actor, {
        action: "setup.preferred_quotas",
        entityType: "site_setting",
        entityId: ctx.org.code,
        before: Object.fromEntries(existing.map((e) => [e.exam_date, e.quota])),
        after: Object.fromEntries(list.map((q) => [q.date, q.quota])),
      });
    });
}
