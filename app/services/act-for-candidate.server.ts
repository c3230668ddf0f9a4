import { getDb } from "~db/client";
import type { AdminContext } from "~/utils/auth.server";
import { requireRegistrationInScope } from "./load-candidate-for-admin.server";
import { replaceRegistrationPhoto, type PhotoCrop } from "./save-registration-photo.server";
import { submitForReviewBySite } from "./submit-for-review.server";
import { requireSite } from "~/utils/permissions.server";

/**
 * Manual §二十五 5: on a candidate's page the site may replace the photo (checked and re-encoded as
 * the candidate's own upload, PHO-7) and submit the registration for review for the candidate.
 * A locked registration keeps its photo until the site unlocks it, as with photo import (PHO-3).
 */
export async function replaceCandidatePhoto(
  ctx: AdminContext,
  registrationId: number,
  input: { bytes: Buffer; crop: PhotoCrop | null },
) {
  requireSite(ctx);
  const reg = await requireRegistrationInScope(ctx, registrationId);
  return replaceRegistrationPhoto(reg, ctx.actor, input, (r) => (r.locked ? "mgt.photo_locked" : null));
}

export async function submitForCandidate(ctx: AdminContext, registrationId: number) {
  requireSite(ctx);
  await requireRegistrationInScope(ctx, registrationId);
  await getDb()
    .transaction()
    .execute((trx) => submitForReviewBySite(trx, registrationId, ctx.actor));
}
