import { checkPhotos } from "~/services/check-photos.server";
import type { JobContext } from "../define";
import type { PhotoCheckPayload, PhotoCheckResult } from "./photo-check";

/** How many unmatched photos the page lists; all of their ids stay in the result for "delete unmatched". */
export const UNMATCHED_ON_PAGE = 1000;

/** PHO-5: runs the check for the site and sitting the job was queued in. */
export default async function photoCheckHandler(p: PhotoCheckPayload, ctx: JobContext): Promise<PhotoCheckResult> {
  if (ctx.sittingId === null) throw new Error("photo check without a sitting");
  const outcome = await checkPhotos(
    { accountId: ctx.accountId, name: p.actorName, orgId: p.siteId, sittingId: ctx.sittingId, ip: p.ip },
    p.siteId,
    ctx.sittingId,
    (percent) => ctx.progress(percent),
  );
  return {
    registrations: outcome.registrations,
    photos: outcome.photos,
    relinked: outcome.relinked,
    skippedPaid: outcome.skippedPaid,
    unmatchedTotal: outcome.unmatched.length,
    unmatched: outcome.unmatched.slice(0, UNMATCHED_ON_PAGE),
    unmatchedIds: outcome.unmatched.map((u) => u.photoId),
  };
}
