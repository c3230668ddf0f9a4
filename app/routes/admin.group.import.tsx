import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { navLabel } from "~/navigation";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "~db/client";
import { findLastJobOf } from "~db/queries/jobs";
import { getSiteSetting } from "~db/queries/setup";
import { groupRegistrationImportJob } from "~jobs/definitions/group-registration-import";
import { ReadOnlyBanner } from "~/components/window-badge";
import { discardUnpacked, unpackGroupUpload } from "~/imports/group-upload.server";
import { findCredentialSheet, listUndownloadedSheets } from "~/services/credential-sheets.server";
import { requireGroupRegistrationOn } from "~/services/load-group-site.server";
import { startImport, XLSX_TYPE } from "~/imports/start-import.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import {
  canChange,
  getWindowView,
  requireAdminMutation,
  requireCapability,
  requireSite,
} from "~/utils/permissions.server";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { ImportOutcome, RowImportFailure } from "~/components/import-result";
import { ActionError } from "~/components/alerts";

/** Manual §二十二 (GRP-1 … GRP-4): upload the zipped template; the import runs as a job with progress. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    requireSite(ctx);
    const db = getDb();
    // The site's last import, whoever of its administrators started it: the credentials sheet is the site's.
    const last = await findLastJobOf(db, groupRegistrationImportJob, { orgId: ctx.org.id, sittingId: ctx.sitting.id });
    const result = last?.result ?? null;
    const window = await getWindowView(ctx, "registration");
    const setting = await getSiteSetting(db, ctx.sitting.id, ctx.org.id);
    return {
      window,
      writable: canChange(ctx, window),
      siteOpen: setting.open,
      enabled: setting.open && setting.group_registration,
      last: last ? { id: last.id, status: last.status, created_at: last.created_at, error: last.error, result } : null,
      credentials: result?.credentialSheetId
        ? await findCredentialSheet(ctx.sitting.id, ctx.org.id, result.credentialSheetId)
        : null,
      earlierSheets: (await listUndownloadedSheets(ctx.sitting.id, ctx.org.id))
        .filter((s) => s.id !== result?.credentialSheetId)
        .map((s) => ({ id: s.id, accounts: s.accounts, created_at: s.created_at, ready: s.file_id !== null })),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    // WIN-2: group registration belongs to the registration-management window; ORG-2: always the admin's own site.
    const ctx = await requireAdminMutation(request, { window: "registration" });
    requireSite(ctx);
    await requireGroupRegistrationOn(ctx.sitting.id, ctx.org.id);
    return startImport(ctx, request, groupRegistrationImportJob, {
      // GRP-1/X-3: a .zip by content, exactly one .xlsx inside, limits checked before unpacking.
      prepare: async (upload) => {
        const book = await unpackGroupUpload(upload.path, upload.name);
        return {
          path: book.path,
          name: book.name,
          contentType: XLSX_TYPE,
          payload: {},
          cleanup: () => discardUnpacked(book),
        };
      },
    });
  });
}

export default function ImportGroup() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const busy = useNavigation().state === "submitting";
  const open = d.window.status === "open" && d.writable && d.enabled;
  // Issue 13 item 7: a refused upload's message stands alone; the previous import's result under it would read as this file's.
  const refused = Boolean(r && !r.ok);
  const cred = d.credentials;
  return (
    <section>
      <h1>{t("group.import_title")}</h1>
      <ReadOnlyBanner view={d.window} />
      {!d.enabled ? (
        <div className="readonly-banner" role="status" data-testid="group-disabled">
          {d.siteOpen
            ? t("group.disabled_banner", {
                group: t("nav.group.pre_registration"),
                page: t(navLabel("/admin/setup/settings")),
              })
            : t("group.site_closed")}
        </div>
      ) : null}
      <p>
        <a href="/admin/group/template" download>
          {t("group.download_template")}
        </a>
      </p>
      <p className="muted">{t("group.import_hint")}</p>
      {/* Keyed by the last import, so the file input is cleared once a result is shown. */}
      <Form method="post" encType="multipart/form-data" className="form" key={d.last?.id ?? "none"}>
        <fieldset disabled={!open || busy}>
          <label>
            {t("group.file")}
            <input type="file" name="file" accept=".zip,application/zip" required />
          </label>
          <label className="check">
            <input type="checkbox" name="overwrite" /> {t("group.overwrite")}
          </label>
          <button type="submit" className="primary">
            {t("group.import_submit")}
          </button>
        </fieldset>
      </Form>
      <ActionError result={r} />
      {d.earlierSheets.length > 0 ? (
        <div className="notice" data-testid="earlier-credentials">
          <p>
            {t("group.credentials_earlier")} <span className="small muted">{t("group.credentials_once")}</span>
          </p>
          <ul>
            {d.earlierSheets.map((s) => (
              <li key={s.id}>
                {fmt(s.created_at)}:{" "}
                {s.ready ? (
                  <a href={`/admin/group/credentials/${s.id}`}>{t("group.credentials_link", { count: s.accounts })}</a>
                ) : (
                  t("group.credentials_pending")
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ImportOutcome
        last={d.last}
        refused={refused}
        title={t("group.import_title")}
        heading="group.last_import"
        ok={(result) => (
          <>
            <p className="notice success" role="status">
              {t("group.import_ok", {
                rows: result.rows ?? 0,
                created: result.created ?? 0,
                updated: result.updated ?? 0,
                added: result.entriesAdded ?? 0,
                removed: result.entriesRemoved ?? 0,
              })}
            </p>
            <p>{t("group.accounts_ok", { created: result.accountsCreated ?? 0, bound: result.accountsBound ?? 0 })}</p>
            {result.takenOver?.length ? (
              <div className="notice" data-testid="taken-over">
                <p>{t("group.accounts_taken_over", { count: result.takenOver.length })}</p>
                <ul>
                  {result.takenOver.map((x) => (
                    <li key={x.row}>{t("group.taken_over", { row: x.row, email: x.email })}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            {cred ? (
              cred.downloaded_at ? (
                <p className="muted" data-testid="credentials-done">
                  {t("group.credentials_done", { at: fmt(cred.downloaded_at), by: cred.downloaded_by ?? "—" })}
                </p>
              ) : cred.ready ? (
                <p data-testid="credentials">
                  <a className="button primary" href={`/admin/group/credentials/${cred.id}`}>
                    {t("group.credentials_link", { count: cred.accounts })}
                  </a>{" "}
                  <span className="small muted">{t("group.credentials_once")}</span>
                </p>
              ) : (
                <p className="muted">{t("group.credentials_pending")}</p>
              )
            ) : null}
          </>
        )}
        failure={(result) => (
          <RowImportFailure result={result} failed="group.import_failed" report="group.download_report" />
        )}
      />
    </section>
  );
}
