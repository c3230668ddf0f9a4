import { getDb } from "~db/client";
import { lockSiteSetting } from "~db/queries/setup";
import { AppError } from "~/domain/errors";
import { formatWallClock } from "~/domain/windows";
import type { AdminContext } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import { getWindowView, requireSite } from "~/utils/permissions.server";
import { recordAudit } from "./audit.server";

/**
 * SET-6: the site turns candidate online registration on or off; when on, its window lies inside the
 * bounds its superiors gave (the site's "candidate online registration" window, WIN-2).
 */
export async function setOnlineRegistration(
  ctx: AdminContext,
  input: { enabled: boolean; starts_at: Date | null; ends_at: Date | null },
) {
  requireSite(ctx);
  if (input.enabled) {
    if (!input.starts_at || !input.ends_at) throw new AppError("online.dates_required");
    if (input.ends_at <= input.starts_at) throw new AppError("online.end_before_start");
    const bounds = await getWindowView(ctx, "online_registration");
    const tz = getEnv().timeZone;
    if (!bounds.starts_at || !bounds.ends_at) throw new AppError("online.bounds_not_set");
    if (input.starts_at < bounds.starts_at || input.ends_at > bounds.ends_at) {
      throw new AppError("online.outside_bounds", {
        from: formatWallClock(bounds.starts_at, tz),
        to: formatWallClock(bounds.ends_at, tz),
      });
    }
  }
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const before = await lockSiteSetting(trx, ctx.sitting.id, ctx.org.id);
      const after = {
        online_enabled: input.enabled,
        online_starts_at: input.starts_at ?? before.online_starts_at,
        online_ends_at: input.ends_at ?? before.online_ends_at,
      };
      await trx
        .updateTable("site_setting")
        .set(after)
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", ctx.org.id)
        .execute();
      await recordAudit(trx, ctx.actor, {
        action: "setup.online_registration",
        entityType: "site_setting",
        entityId: ctx.org.code,
        before: {
          online_enabled: before.online_enabled,
          online_starts_at: before.online_starts_at,
          online_ends_at: before.online_ends_at,
        },
        after,
      });
    });
}
