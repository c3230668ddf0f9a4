import fs from "node:fs";
import { PassThrough, type Readable } from "node:stream";
import yazl from "yazl";
import { getDb } from "~db/client";
import { cardPreconditions, photoPackageRows } from "~db/queries/admission-cards";
import type { DB } from "~db/schema";
import type { Kysely, Transaction } from "kysely";
import { AppError } from "~/domain/errors";
import { planPhotoPackage } from "~/domain/photo-package";
import { translator, type Locale } from "~/i18n";
import { getEnv } from "~/utils/env.server";
import { localPathOf } from "~/utils/file-store.server";

type Q = Kysely<DB> | Transaction<DB>;

/** DOC-5: the package is made once every paid entry of the site has its admission number. */
export async function refuseUnlessPhotosReady(db: Q, sittingId: number, siteId: number) {
  const pre = await cardPreconditions(db, sittingId, siteId);
  if (pre.numbered === 0) throw new AppError("photopkg.no_numbers");
  if (pre.numbered < pre.paid) throw new AppError("cards.not_ready", { count: pre.paid - pre.numbered });
}

/** The rows, a photo whose file is gone from the store counted as no photo (listed, never an empty entry). */
async function packageRows(db: Q, sittingId: number, siteId: number) {
  return (await photoPackageRows(db, sittingId, siteId)).map((r) => ({
    ...r,
    photo_path: r.photo_path && fs.existsSync(localPathOf({ path: r.photo_path })) ? r.photo_path : null,
  }));
}

/** DOC-5: the candidates who have no photo, for the page (the package lists them too). */
export async function photoPackageMissing(db: Q, sittingId: number, siteId: number) {
  return planPhotoPackage(await packageRows(db, sittingId, siteId), "", getEnv().PHOTO_PACKAGE_NAMING).missing;
}

/**
 * DOC-5: `<site code>/<admission number>.jpg` for every numbered entry (or `<ID number>.jpg` per
 * candidate where the deployment says so), each JPEG stored as it is (no recompression, no deflate),
 * streamed from the file store one at a time; the candidates without a photo are listed in a text
 * file inside the package.
 */
export async function photoPackageZip(o: {
  sittingId: number;
  siteId: number;
  siteCode: string;
  locale: Locale;
  onProgress?: (done: number, total: number) => Promise<void>;
}): Promise<Readable> {
  const rows = await packageRows(getDb(), o.sittingId, o.siteId);
  const plan = planPhotoPackage(rows, o.siteCode, getEnv().PHOTO_PACKAGE_NAMING);
  const t = translator(o.locale);
  const zip = new yazl.ZipFile();
  const out = new PassThrough();
  zip.outputStream.on("error", (e) => out.destroy(e)).pipe(out);
  (async () => {
    let done = 0;
    for (const f of plan.files) {
      // Opened only when yazl reaches it: never more than one photo read at a time.
      const abs = localPathOf({ path: f.path });
      const size = fs.statSync(abs).size;
      zip.addReadStreamLazy(f.name, { compress: false, mtime: new Date(0), size }, (cb) =>
        cb(null, fs.createReadStream(abs)),
      );
      if (++done % 500 === 0) await o.onProgress?.(done, plan.files.length);
    }
    if (plan.missing.length)
      zip.addBuffer(
        Buffer.from(
          [t("photopkg.missing_file_head"), ...plan.missing.map((m) => `${m.admissionNos.join(" ")}\t${m.name}`)].join(
            "\r\n",
          ) + "\r\n",
        ),
        `${o.siteCode}/${t("photopkg.missing_file")}.txt`,
        { mtime: new Date(0) },
      );
    zip.end();
  })().catch((e) => out.destroy(e));
  return out;
}
