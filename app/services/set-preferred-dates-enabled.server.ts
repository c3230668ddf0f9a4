import { getDb } from "~db/client";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireProvince } from "~/utils/permissions.server";

/** SET-5: a province enables preferred exam dates for its sites (which then disables cross-site registration). */
export async function setPreferredDatesEnabled(ctx: AdminContext, enabled: boolean) {
  requireProvince(ctx);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const before = await trx
        .selectFrom("province_setting")
        .select("preferred_dates_enabled")
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", ctx.org.id)
        .executeTakeFirst();
      await trx
        .insertInto("province_setting")
        .values({ sitting_id: ctx.sitting.id, org_id: ctx.org.id, preferred_dates_enabled: enabled })
        .onConflict((oc) => oc.columns(["sitting_id", "org_id"]).doUpdateSet({ preferred_dates_enabled: enabled }))
        .execute();
      await recordAudit(trx, ctx.actor, {
        action: "setup.preferred_enabled",
        entityType: "province_setting",
        entityId: ctx.org.code,
        before: { preferred_dates_enabled: before?.preferred_dates_enabled ?? false },
        after: { preferred_dates_enabled: enabled },
      });
    });
}
