import { sql } from "kysely";
import { getDb } from "~db/client";
import { maskIdNumber } from "~/domain/id-number";
import { planPhotoCheck } from "~/domain/photo-import";
import type { Actor } from "./audit.server";
import { recordAudit } from "./audit.server";
import { lockSitePhotos, removeStoredFiles } from "./import-photos.server";

export interface PhotoCheckOutcome {
  registrations: number;
  photos: number;
  relinked: number;
  /** Paid registrations without a photo link whose stored photo was left alone (§二十四 3); ID numbers masked. */
  skippedPaid: Array<{ registrationId: number; name: string; idNumber: string }>;
  /** Photos matching no registration of the site and sitting: the whole ID number, since no registration names it. */
  unmatched: Array<{ photoId: number; idNumber: string; uploadedAt: string }>;
}

/** A registration has paid when its per-person fee or any of its entries is paid. */
const paidSql = sql<boolean>`(r.person_fee_paid or exists (select 1 from entry e where e.registration_id = r.id and e.paid))`;

/**
 * PHO-5 (§二十四): for one site and sitting, links registrations that lost their photo (after delete
 * and re-import, an overwriting import or a timeout deletion) back to the stored photo of their ID
 * number, never changing a paid candidate's photo flag, and lists the photos that match no
 * registration. Never window-gated (WIN-6). One audit entry with the counts.
 */
export async function checkPhotos(
  actor: Actor,
  siteId: number,
  sittingId: number,
  onProgress?: (percent: number) => void | Promise<void>,
): Promise<PhotoCheckOutcome> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockSitePhotos(trx, siteId);
      await onProgress?.(10);
      const regs = await trx
        .selectFrom("registration as r")
        .select(["r.id", "r.id_number", "r.photo_id", "r.name"])
        .select(paidSql.as("paid"))
        .where("r.sitting_id", "=", sittingId)
        .where("r.org_id", "=", siteId)
        .execute();
      await onProgress?.(30);
      const photos = await trx
        .selectFrom("photo")
        .select(["id", "id_number", "created_at"])
        .where("sitting_id", "=", sittingId)
        .where("org_id", "=", siteId)
        .execute();
      // "Linked" by any registration of the sitting (one that moved to another site keeps its photo).
      // A set built here: a join can be planned as a nested loop on fresh tables (quadratic at 10,000).
      const linked = new Set(
        (
          await trx
            .selectFrom("registration")
            .select("photo_id")
            .distinct()
            .where("sitting_id", "=", sittingId)
            .where("photo_id", "is not", null)
            .execute()
        ).map((r) => r.photo_id),
      );
      await onProgress?.(50);
      const plan = planPhotoCheck(
        regs.map((r) => ({ id: r.id, id_number: r.id_number, photo_id: r.photo_id, paid: Boolean(r.paid) })),
        photos.map((p) => ({ id: p.id, id_number: p.id_number, created_at: p.created_at, linked: linked.has(p.id) })),
      );
      let relinked = 0;
      const now = new Date();
      for (let i = 0; i < plan.relink.length; i += 1000) {
        const chunk = plan.relink.slice(i, i + 1000);
        // Guarded again in the statement: still without a photo, still unpaid, same site and ID number.
        const r = await sql<{ id: number }>`
        update registration r set photo_id = p.id, updated_at = ${now}::timestamptz
        from photo p
        where r.id = any(${chunk.map((x) => x.registrationId)}::int[]) and r.photo_id is null and not ${paidSql}
          and p.sitting_id = r.sitting_id and p.org_id = r.org_id and p.id_number = r.id_number
          and r.sitting_id = ${sittingId}::int and r.org_id = ${siteId}::int
        returning r.id`.execute(trx);
        relinked += r.rows.length;
        await onProgress?.(50 + ((i + chunk.length) / plan.relink.length) * 40);
      }
      const byId = new Map(regs.map((r) => [r.id, r]));
      const outcome: PhotoCheckOutcome = {
        registrations: regs.length,
        photos: photos.length,
        relinked,
        skippedPaid: plan.skippedPaid.map((s) => ({
          registrationId: s.registrationId,
          name: byId.get(s.registrationId)!.name,
          idNumber: maskIdNumber(byId.get(s.registrationId)!.id_number),
        })),
        // a list: the photo is named by its id and the last four characters of its ID number.
        unmatched: plan.unmatched.map((p) => ({
          photoId: p.id,
          idNumber: maskIdNumber(p.id_number),
          uploadedAt: p.created_at.toISOString(),
        })),
      };
      await recordAudit(trx, actor, {
        action: "photos.check",
        entityType: "photo",
        entityId: siteId,
        orgId: siteId,
        after: {
          registrations: regs.length,
          photos: photos.length,
          relinked,
          skippedPaid: plan.skippedPaid.length,
          unmatched: plan.unmatched.length,
        },
      });
      return outcome;
    });
}

/**
 * PHO-5: deletes unmatched photos listed by a check, and their stored files. Each is judged again
 * when deleted: a photo that a registration of the site now matches, or that any registration links,
 * stays. Returns the number deleted.
 */
export async function deleteUnmatchedPhotos(
  actor: Actor,
  siteId: number,
  sittingId: number,
  photoIds: readonly number[],
): Promise<number> {
  if (photoIds.length === 0) return 0;
  const deleted = await getDb()
    .transaction()
    .execute(async (trx) => {
      await lockSitePhotos(trx, siteId);
      const rows: Array<{ id: number; id_number: string; file_id: string }> = [];
      for (let i = 0; i < photoIds.length; i += 5000) {
        const chunk = photoIds.slice(i, i + 5000);
        const r = await sql<{ id: number; id_number: string; file_id: string }>`
        delete from photo p
        where p.id = any(${chunk}::int[]) and p.sitting_id = ${sittingId}::int and p.org_id = ${siteId}::int
          and not exists (select 1 from registration r where r.sitting_id = p.sitting_id and r.org_id = p.org_id and r.id_number = p.id_number)
          and p.id not in (select r.photo_id from registration r where r.sitting_id = ${sittingId}::int and r.photo_id is not null)
        returning p.id, p.id_number, p.file_id`.execute(trx);
        rows.push(...r.rows);
      }
      if (rows.length > 0) {
        await recordAudit(trx, actor, {
          action: "photos.delete_unmatched",
          entityType: "photo",
          entityId: siteId,
          orgId: siteId,
          before: { count: rows.length, idNumbers: rows.map((r) => r.id_number) },
          after: { count: 0 },
        });
      }
      return rows;
    });
  await removeStoredFiles(deleted.map((r) => r.file_id)).catch((e) => console.error("photo check: removing files", e));
  return deleted.length;
}
