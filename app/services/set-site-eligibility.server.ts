import { getDb } from "~db/client";
import { lockSiteSetting } from "~db/queries/setup";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireProvince, requireSiteBelow } from "~/utils/permissions.server";

// The caller checked the window (WIN-3); the service checks the actor is the site's superior (ORG-2).

/** SET-9: the student-record eligibility of one site, or of several at once (all of them or none). */
export async function setSiteEligibility(
  ctx: AdminContext,
  siteIds: number | readonly number[],
  input: { registry_enabled: boolean; only_province_registry: boolean; only_site_registry: boolean },
) {
  const ids = typeof siteIds === "number" ? [siteIds] : siteIds;
  for (const id of ids) await requireSiteBelow(ctx, id);
  requireProvince(ctx);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      // In id order, so two saves over overlapping sites lock them in the same order.
      for (const siteId of [...ids].sort((a, b) => a - b)) {
        const before = await lockSiteSetting(trx, ctx.sitting.id, siteId);
        await trx
          .updateTable("site_setting")
          .set(input)
          .where("sitting_id", "=", ctx.sitting.id)
          .where("org_id", "=", siteId)
          .execute();
        await recordAudit(trx, ctx.actor, {
          action: "setup.eligibility",
          entityType: "site_setting",
          entityId: siteId,
          orgId: siteId,
          before: {
            registry_enabled: before.registry_enabled,
            only_province_registry: before.only_province_registry,
            only_site_registry: before.only_site_registry,
          },
          after: input,
        });
      }
    });
}
