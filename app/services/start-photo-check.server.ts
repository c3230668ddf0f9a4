import { photoCheckJob } from "~jobs/definitions/photo-check";
import { enqueueJob } from "~jobs/runner";
import type { AdminContext } from "~/utils/auth.server";
import { requireSite } from "~/utils/permissions.server";

/** PHO-5: the site's photo check, as a job with progress; returns its id. */
export async function startPhotoCheck(ctx: AdminContext): Promise<string> {
  requireSite(ctx);
  return enqueueJob(
    photoCheckJob,
    { siteId: ctx.org.id, locale: ctx.locale, actorName: ctx.name, ip: ctx.ip },
    { accountId: ctx.accountId, orgId: ctx.org.id, sittingId: ctx.sitting.id },
  );
}
