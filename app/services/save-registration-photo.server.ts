import fs from "node:fs/promises";
import { getDb } from "~db/client";
import { findRegistrationByAccount, lockRegistration } from "~db/queries/registrations";
import type { Registration } from "~db/schema";
import { AppError } from "~/domain/errors";
import { personalDataRefusal } from "~/domain/registration";
import { photoFileName } from "~/domain/photo";
import { processCandidatePhoto } from "~/photos/process-photo.server";
import type { CandidateContext } from "~/utils/auth.server";
import { storeFile } from "~/utils/file-store.server";
import { removeStoredFiles } from "./import-photos.server";
import type { MessageKey } from "~/i18n";
import { recordAudit, type Actor } from "./audit.server";
import { loadSiteRules } from "./load-registration.server";

export interface PhotoCrop {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * PHO-7: the candidate's photo is checked (PHO-4) and re-encoded to a compliant JPEG before it is
 * stored; PHO-6: one photo per ID number per site and sitting, replaced in place. CAN-5: a locked
 * registration's photo cannot change.
 */
export async function saveRegistrationPhoto(
  ctx: CandidateContext,
  input: { bytes: Buffer; crop: PhotoCrop | null },
  now = new Date(),
) {
  const db = getDb();
  const reg = await findRegistrationByAccount(db, ctx.sitting.id, ctx.accountId);
  if (!reg) throw new AppError("reg.none", {}, 409);
  const rules = await loadSiteRules(db, ctx.sitting.id, reg.org_id);
  return replaceRegistrationPhoto(reg, ctx.actor, input, (r) => personalDataRefusal(rules, r, now), now);
}

/** The crop the photo picker posts (pixels of the original); none = the largest centred 3:4 area. */
export function parsePhotoCrop(fields: Record<string, string>): PhotoCrop | null {
  const n = (k: string) => Number(fields[k]);
  const crop = { x: n("cropX"), y: n("cropY"), width: n("cropWidth"), height: n("cropHeight") };
  return Object.values(crop).every((x) => Number.isFinite(x)) && crop.width > 0 && crop.height > 0 ? crop : null;
}

/**
 * PHO-7 for one registration, whoever uploads it (the candidate, or the site on the candidate's
 * page): `refusal` is asked before the photo is processed and again under the row lock.
 */
export async function replaceRegistrationPhoto(
  reg: Registration,
  actor: Actor,
  input: { bytes: Buffer; crop: PhotoCrop | null },
  refusal: (r: Registration) => MessageKey | null,
  now = new Date(),
) {
  const early = refusal(reg);
  if (early) throw new AppError(early, {}, 403);

  // Decoding and re-encoding happen before any row is touched: a bad photo changes nothing.
  const photo = await processCandidatePhoto(input.bytes, input.crop);
  const stored = await storeFile(
    {
      kind: "photo",
      name: photoFileName(reg.id_number),
      contentType: "image/jpeg",
      orgId: reg.org_id,
      sittingId: reg.sitting_id,
      createdBy: actor.accountId,
    },
    (abs) => fs.writeFile(abs, photo.jpeg),
  );
  // PHO-6: the file the new photo replaces goes once the new one is committed; if nothing is
  // committed, the new file goes instead. Either way no stored photo is left without its row.
  let replaced: string | undefined;
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const locked = await lockRegistration(trx, reg.id);
      if (!locked || locked.id_number !== reg.id_number || locked.org_id !== reg.org_id)
        throw new AppError("reg.changed_meanwhile", {}, 409);
      const late = refusal(locked);
      if (late) throw new AppError(late, {}, 403);
      replaced = (
        await trx
          .selectFrom("photo")
          .select("file_id")
          .where("sitting_id", "=", reg.sitting_id)
          .where("org_id", "=", reg.org_id)
          .where("id_number", "=", reg.id_number)
          .forUpdate()
          .executeTakeFirst()
      )?.file_id;
      const row = await trx
        .insertInto("photo")
        .values({
          sitting_id: reg.sitting_id,
          org_id: reg.org_id,
          id_number: reg.id_number,
          file_id: stored.id,
          width: photo.width,
          height: photo.height,
          bytes: photo.bytes,
          created_at: now,
        })
        .onConflict((oc) =>
          oc.columns(["sitting_id", "org_id", "id_number"]).doUpdateSet({
            file_id: stored.id,
            width: photo.width,
            height: photo.height,
            bytes: photo.bytes,
            created_at: now,
          }),
        )
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .updateTable("registration")
        .set({ photo_id: row.id, updated_at: now })
        .where("id", "=", reg.id)
        .execute();
      await recordAudit(
        trx,
        { ...actor, orgId: reg.org_id },
        {
          action: "registration.photo",
          entityType: "registration",
          entityId: String(reg.id),
          before: { photo: locked.photo_id ? "old" : null },
          after: { photo: stored.id, width: photo.width, height: photo.height, bytes: photo.bytes },
        },
      );
    })
    .catch(async (e: unknown) => {
      await removeStoredFiles([stored.id]).catch(() => undefined);
      throw e;
    });
  if (replaced && replaced !== stored.id)
    await removeStoredFiles([replaced]).catch((e) => console.error("photo: removing the replaced file", e));
  return { width: photo.width, height: photo.height, bytes: photo.bytes };
}
