import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "~db/client";
import { findLastJobOf } from "~db/queries/jobs";
import { AppError } from "~/domain/errors";
import { PHOTO } from "~/domain/photo";
import { photoImportJob, type PhotoImportResult } from "~jobs/definitions/photo-import";
import { ReadOnlyBanner } from "~/components/window-badge";
import { checkZip, sniffFile } from "~/imports/sniff.server";
import { startImport } from "~/imports/start-import.server";
import { createZipStreamInspector } from "~/imports/zip-stream.server";
import { PHOTO_ZIP_LIMITS, photoUploadMaxBytes } from "~/services/import-photos.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import {
  canChange,
  getWindowView,
  requireAdminMutation,
  requireCapability,
  requireSite,
} from "~/utils/permissions.server";
import { useT } from "~/utils/use-t";
import { savedText } from "~/i18n";
import { ImportOutcome } from "~/components/import-result";
import { ActionError } from "~/components/alerts";

/** Manual §二十三 (PHO-1 … PHO-4, PHO-6): upload a .zip of `<ID number>.jpg`; the import runs as a job with progress. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    requireSite(ctx);
    const last = await findLastJobOf(getDb(), photoImportJob, {
      orgId: ctx.org.id,
      sittingId: ctx.sitting.id,
      accountId: ctx.accountId,
    });
    return {
      window: await getWindowView(ctx, "registration"),
      writable: canChange(ctx),
      last: last ? { id: last.id, status: last.status, created_at: last.created_at, result: last.result } : null,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    // WIN-2: photo import belongs to the registration-management window (WIN-3 outside it).
    const ctx = await requireAdminMutation(request, { window: "registration" });
    requireSite(ctx);
    return startImport(ctx, request, photoImportJob, {
      maxBytes: photoUploadMaxBytes(),
      // Issue 13 item 7: judged while it streams (up to 2 GB): not a zip, unsafe paths, bombs refused at their first bytes.
      inspect: (name) =>
        createZipStreamInspector({
          limits: PHOTO_ZIP_LIMITS,
          notZip: (found) =>
            found ? new AppError("photos.use_zip", { name, found }) : new AppError("photos.not_zip", { name }),
        }),
      // a .zip by content; RAR and 7z are named so the user knows what to do; limits, paths, bombs.
      prepare: async (upload) => {
        const kind = await sniffFile(upload.path);
        if (kind === "rar" || kind === "7z")
          throw new AppError("photos.use_zip", { name: upload.name, found: kind === "rar" ? "RAR" : "7z" });
        if (kind !== "zip") throw new AppError("photos.not_zip", { name: upload.name });
        await checkZip(upload.path, PHOTO_ZIP_LIMITS);
        return {
          path: upload.path,
          name: upload.name,
          contentType: "application/zip",
          payload: { idPhotoCheck: upload.fields.idPhotoCheck === "on" },
        };
      },
    });
  });
}

const kb = (n: number) => `${Math.round(n / 1024)} KB`;

export default function ImportPhotos() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const open = d.window.status === "open" && d.writable;
  // Issue 13 item 7: a refused upload's message stands alone; the previous import's result under it would read as this file's.
  const refused = Boolean(r && !r.ok);
  return (
    <section>
      <h1>{t("photos.import_title")}</h1>
      <ReadOnlyBanner view={d.window} />
      <ul className="muted">
        <li>{t("photos.import_hint_1")}</li>
        <li>
          {t("photos.import_hint_2", {
            minWidth: PHOTO.minCropWidth,
            minHeight: PHOTO.minCropHeight,
            minSize: kb(PHOTO.storedMinBytes),
            maxSize: kb(PHOTO.storedMaxBytes),
          })}
        </li>
        <li>{t("photos.import_hint_3")}</li>
      </ul>
      {/* Keyed by the last import, so the file input is cleared once a result is shown. */}
      <Form method="post" encType="multipart/form-data" className="form" key={d.last?.id ?? "none"}>
        <fieldset disabled={!open || busy}>
          <label>
            {t("photos.file")}
            <input type="file" name="file" accept=".zip,application/zip" required />
          </label>
          <label className="check">
            <input type="checkbox" name="overwrite" /> {t("photos.overwrite")}
          </label>
          <label className="check">
            <input type="checkbox" name="idPhotoCheck" /> {t("photos.id_check")}
          </label>
          <button type="submit" className="primary">
            {t("photos.import_submit")}
          </button>
        </fieldset>
      </Form>
      <ActionError result={r} />
      <ImportOutcome
        last={d.last}
        refused={refused}
        title={t("photos.import_title")}
        heading="photos.last_import"
        ok={(result) => <PhotoImportSummary result={result} />}
        failure={(result) => <PhotoImportSummary result={result} />}
      />
    </section>
  );
}

/** PHO-1 … PHO-4: a photo import keeps the good photos: what it stored, and every file it refused, by reason. */
function PhotoImportSummary({ result }: { result: PhotoImportResult }) {
  const t = useT();
  return (
    <>
      <p
        className={
          result.ok
            ? "notice success"
            : (result.imported ?? 0) + (result.replaced ?? 0) > 0
              ? "notice partial"
              : "error"
        }
        data-tone={result.ok ? "success" : (result.imported ?? 0) + (result.replaced ?? 0) > 0 ? "partial" : "failure"}
        role="status"
      >
        {t("photos.import_result", {
          files: result.files ?? 0,
          imported: result.imported ?? 0,
          replaced: result.replaced ?? 0,
          failed: result.failed ?? 0,
        })}
        {result.ok ? <> {t("photos.import_all_ok")}</> : null}
      </p>
      {result.byReason && result.byReason.length > 0 ? (
        <table className="grid" data-testid="import-reasons">
          <caption>{t("photos.failed_by_reason")}</caption>
          <thead>
            <tr>
              <th>{t("photos.col.reason")}</th>
              <th>{t("photos.col.count")}</th>
            </tr>
          </thead>
          <tbody>
            {result.byReason.map((b) => (
              <tr key={b.reason}>
                <td>{t(`photos.short.${b.reason}`)}</td>
                <td>{b.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {result.errors && result.errors.length > 0 ? (
        <>
          <h3>{t("photos.errors_title")}</h3>
          <p>
            {(result.total ?? 0) > result.errors.length ? (
              <>{t("photos.errors_more", { shown: result.errors.length, total: result.total ?? 0 })} </>
            ) : null}
            {result.reportFileId ? (
              <a href={`/files/${result.reportFileId}`} download>
                {t("photos.download_report")}
              </a>
            ) : null}
          </p>
          <table className="grid" data-testid="import-errors">
            <thead>
              <tr>
                <th>{t("photos.col.file")}</th>
                <th>{t("photos.col.id_number")}</th>
                <th>{t("photos.col.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {result.errors.map((e, i) => (
                <tr key={i}>
                  <td>{e.file}</td>
                  <td>{e.idNumber}</td>
                  <td>{savedText(t, e.message)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}
