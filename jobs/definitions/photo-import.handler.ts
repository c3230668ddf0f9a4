import { ERRORS_ON_PAGE, writeErrorReport } from "~/imports/error-report.server";
import { isAppError } from "~/domain/errors";
import { PHOTO_IMPORT_REASONS } from "~/domain/photo-import";
import type { RowError } from "~/domain/student-record";
import { importPhotos, removeStoredFiles } from "~/services/import-photos.server";
import { translator } from "~/i18n";
import { findStoredFile, localPathOf } from "~/utils/file-store.server";
import type { JobContext } from "../define";
import type { PhotoImportPayload, PhotoImportResult } from "./photo-import";

/** PHO-1 … PHO-4, PHO-6 through the shared pipeline: stream the zip → judge each file → write the good ones → report. */
export default async function photoImportHandler(p: PhotoImportPayload, ctx: JobContext): Promise<PhotoImportResult> {
  if (ctx.sittingId === null) throw new Error("photo import without a sitting");
  const file = await findStoredFile(p.fileId);
  if (!file) throw new Error("upload missing");
  const abs = localPathOf(file);
  const t = translator(p.locale);
  let outcome;
  try {
    outcome = await importPhotos(
      { accountId: ctx.accountId, name: p.actorName, orgId: p.siteId, sittingId: ctx.sittingId, ip: p.ip },
      abs,
      {
        siteId: p.siteId,
        sittingId: ctx.sittingId,
        overwrite: p.overwrite,
        idPhotoCheck: p.idPhotoCheck,
        onProgress: ({ phase, done, total }) => {
          if (phase === "listing") return ctx.progress(1, { key: "photos.progress_listing" });
          if (phase === "checking")
            return ctx.progress(2 + (done / Math.max(1, total)) * 88, {
              key: "photos.progress_checking",
              params: { done, total },
            });
          return ctx.progress(90 + (done / Math.max(1, total)) * 9, {
            key: "photos.progress_writing",
            params: { count: total },
          });
        },
      },
    );
  } catch (e) {
    if (isAppError(e)) return { ok: false, fatal: { key: e.key, params: e.params } };
    throw e;
  }
  // The archive has served its purpose: the photos are stored one by one (a 10,000-photo zip is large).
  await removeStoredFiles([p.fileId]).catch(() => undefined);
  if (outcome.files === 0) return { ok: false, fatal: { key: "photos.no_files" } };

  // The shared error report: "row" = the file's number in the zip, "column" = its path, "value" = the ID number.
  const rows: RowError[] = outcome.errors.flatMap((e) =>
    e.problems.map((pr) => ({ row: e.index, column: e.path, value: e.idNumber, key: pr.key, params: pr.params })),
  );
  const report =
    rows.length > 0
      ? await writeErrorReport(rows, {
          locale: p.locale,
          orgId: p.siteId,
          sittingId: ctx.sittingId,
          createdBy: ctx.accountId,
          name: t("photos.report_name"),
        })
      : null;
  const byReason = PHOTO_IMPORT_REASONS.filter((r) => outcome.byReason[r]).map((r) => ({
    reason: r,
    count: outcome.byReason[r]!,
  }));
  return {
    ok: outcome.failed === 0,
    files: outcome.files,
    imported: outcome.imported,
    replaced: outcome.replaced,
    failed: outcome.failed,
    byReason,
    total: rows.length,
    errors: rows
      .slice(0, ERRORS_ON_PAGE)
      .map((r) => ({ file: r.column, idNumber: r.value, message: { key: r.key, params: r.params } })),
    reportFileId: report?.id,
  };
}
