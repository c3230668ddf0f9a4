import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~db/client";
import type { CbtUploadKind } from "~db/schema";
import { ActionError } from "~/components/alerts";
import { sizeText } from "~/components/generated-file";
import { EXCEPTION_STATES, type MockReport } from "~/domain/cbt-uploads";
import { AppError } from "~/domain/errors";
import type { MessageKey } from "~/i18n";
import {
  cbtStatusOfSites,
  deleteCbtException,
  listCbtUploads,
  setCbtExceptionStatus,
  uploadCbtFile,
} from "~/services/cbt-uploads.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { canChange, isSite, requireAdminMutation, requireCapability } from "~/utils/permissions.server";
import { requireSetupSite } from "~/utils/setup-site.server";
import { useFormatDateTime, useT } from "~/utils/use-t";

// Manual §四十八 / §四十九 (DOC-8): `/admin/cbt/reports` and `/admin/cbt/exceptions`. Not limited by
// the site's windows (§四十九 2); a past sitting is read-only like everywhere (requireAdminMutation).
const PAGES = {
  reports: { kind: "mock_report", title: "cbtup.report_title", hint: "cbtup.report_hint" },
  exceptions: { kind: "exception", title: "cbtup.exception_title", hint: "cbtup.exception_hint" },
} as const satisfies Record<string, { kind: CbtUploadKind; title: MessageKey; hint: MessageKey }>;

function pageOf(param: string | undefined) {
  if (param === "reports" || param === "exceptions") return PAGES[param];
  throw new AppError("access.not_found", {}, 404);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const page = pageOf(params.kind);
    const ctx = await requireCapability(request, "personal_data", "manage");
    const siteParam = new URL(request.url).searchParams.get("site");
    // A site sees its own; a superior sees every site's status, and one site's files when it picks one (ORG-2).
    const site = isSite(ctx) ? ctx.org : siteParam ? await requireSetupSite(ctx, Number(siteParam)) : null;
    const uploads = site ? await listCbtUploads(getDb(), ctx.sitting.id, site.id, page.kind) : [];
    return {
      page,
      isSite: isSite(ctx),
      writable: canChange(ctx),
      site: site ? { id: site.id, code: site.code, name: site.name } : null,
      sites: !isSite(ctx) && !site ? await cbtStatusOfSites(ctx) : [],
      uploads: uploads.map((u) => ({ ...u, report: u.report as MockReport | null })),
    };
  });
}

const StatusForm = z.object({
  intent: z.literal("status"),
  id: z.coerce.number().int().positive(),
  status: z.enum(EXCEPTION_STATES),
  note: z.string().max(500).default(""),
});
const DeleteForm = z.object({ intent: z.literal("delete"), id: z.coerce.number().int().positive() });

export async function action({ request, params }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const page = pageOf(params.kind);
    const ctx = await requireAdminMutation(request, { capability: "personal_data" });
    if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
      const { name } = await uploadCbtFile(ctx, request, page.kind);
      return { ok: true as const, message: "cbtup.uploaded" as MessageKey, params: { name } };
    }
    const form = await request.formData();
    if (page.kind !== "exception") throw new AppError("form.invalid");
    if (form.get("intent") === "delete") {
      const name = await deleteCbtException(ctx, parseForm(form, DeleteForm).id);
      return { ok: true as const, message: "cbtup.deleted" as MessageKey, params: { name } };
    }
    const input = parseForm(form, StatusForm);
    await setCbtExceptionStatus(ctx, input.id, input.status, input.note);
    return { ok: true as const, message: "cbtup.saved_status" as MessageKey, params: { name: "" } };
  });
}

export default function CbtUploads() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const busy = useNavigation().state !== "idle";
  const revalidator = useRevalidator();
  const reports = d.page.kind === "mock_report";
  const generating = d.uploads.some((u) => u.status === "generating");
  const statusText = (s: string) =>
    reports && s === "done" ? t("cbtup.status_report_done") : t(`cbtup.status.${s}` as MessageKey);
  return (
    <section>
      <h1>
        {t(d.page.title)}{" "}
        {d.site ? (
          <small>
            ({d.site.code}) {d.site.name}
          </small>
        ) : null}
      </h1>
      <p className="muted">{t(d.isSite ? d.page.hint : "cbtup.superior_hint")}</p>
      <ActionError result={r} />
      {r && r.ok ? (
        <p className="notice success" role="status">
          {t(r.message, r.params)}
        </p>
      ) : null}

      {d.isSite && d.writable ? (
        <Form method="post" encType="multipart/form-data" className="form" key={d.uploads[0]?.id ?? "none"}>
          <fieldset disabled={busy || (reports && generating)}>
            <label>
              {t("cbtup.file")}
              <input type="file" name="file" accept=".zip,application/zip" required />
            </label>
            {!reports ? (
              <label>
                {t("cbtup.remark")}
                <input name="remark" maxLength={500} size={40} />
              </label>
            ) : null}
            <button type="submit" className="primary" data-testid="cbt-upload">
              {t("cbtup.upload")}
            </button>
          </fieldset>
        </Form>
      ) : null}

      {!d.isSite && !d.site ? (
        <table className="grid compact" data-testid="cbt-sites">
          <thead>
            <tr>
              <th>{t("cbtup.col_site")}</th>
              {reports ? <th>{t("cbtup.col_latest_report")}</th> : <th>{t("cbtup.col_exceptions")}</th>}
            </tr>
          </thead>
          <tbody>
            {d.sites.map((s) => (
              <tr key={s.id} data-site={s.code}>
                <td>
                  <Link to={`?site=${s.id}`}>
                    ({s.code}) {s.name}
                  </Link>
                </td>
                {reports ? (
                  <td>{s.report ? `${statusText(s.report)} · ${fmt(s.reportAt!)}` : t("cbtup.no_report")}</td>
                ) : (
                  <td className="num">
                    {s.exceptions.not_started} / {s.exceptions.processing} / {s.exceptions.done}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <>
          {!d.isSite ? (
            <p>
              <Link to="?">{t("cbtup.back")}</Link>
            </p>
          ) : null}
          {reports ? (
            <p>
              <button type="button" onClick={() => revalidator.revalidate()} data-testid="cbt-refresh">
                {t("cbtup.refresh")}
              </button>
            </p>
          ) : null}
          {d.uploads.length === 0 ? (
            <p className="muted empty">{t("cbtup.none")}</p>
          ) : (
            <table className="grid compact" data-testid="cbt-uploads">
              <thead>
                <tr>
                  <th>{t("cbtup.col_file")}</th>
                  <th className="num">{t("cbtup.col_size")}</th>
                  <th>{t("cbtup.col_uploaded")}</th>
                  <th>{t("cbtup.col_status")}</th>
                  <th>{reports ? t("cbtup.col_report") : t("cbtup.col_remark")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {d.uploads.map((u) => (
                  <tr key={u.id} data-status={u.status}>
                    <td>
                      <a href={`/files/${u.file_id}`} download>
                        {u.file_name}
                      </a>
                    </td>
                    <td className="num">{sizeText(u.size)}</td>
                    <td className="small">{t("cbtup.by", { by: u.uploaded_by_name, at: fmt(u.uploaded_at) })}</td>
                    <td>
                      {statusText(u.status)}
                      {!reports && u.status_by_name && u.status !== "not_started" ? (
                        <div className="muted small">
                          {t("cbtup.by", { by: u.status_by_name, at: fmt(u.status_at) })}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      {reports ? (
                        <ReportView report={u.report} />
                      ) : (
                        <>
                          {u.remark}
                          {u.handling_note ? <div className="muted small">{u.handling_note}</div> : null}
                        </>
                      )}
                    </td>
                    <td className="nowrap">
                      {!reports && d.isSite && d.writable && u.status !== "processing" ? (
                        <Form
                          method="post"
                          onSubmit={(ev) => {
                            if (!confirm(t("cbtup.delete_confirm", { name: u.file_name }))) ev.preventDefault();
                          }}
                        >
                          <input type="hidden" name="intent" value="delete" />
                          <input type="hidden" name="id" value={u.id} />
                          <button type="submit" className="link danger">
                            {t("common.delete")}
                          </button>
                        </Form>
                      ) : null}
                      {!reports && !d.isSite && d.writable ? (
                        <Form method="post" className="form inline">
                          <input type="hidden" name="intent" value="status" />
                          <input type="hidden" name="id" value={u.id} />
                          <select name="status" defaultValue={u.status} aria-label={t("cbtup.col_status")}>
                            {EXCEPTION_STATES.map((s) => (
                              <option key={s} value={s}>
                                {t(`cbtup.status.${s}` as MessageKey)}
                              </option>
                            ))}
                          </select>
                          <input
                            name="note"
                            defaultValue={u.handling_note}
                            maxLength={500}
                            size={16}
                            placeholder={t("cbtup.note")}
                            aria-label={t("cbtup.note")}
                          />
                          <button type="submit">{t("cbtup.set_status")}</button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function ReportView({ report }: { report: MockReport | null }) {
  const t = useT();
  if (!report) return null;
  return (
    <details>
      <summary>{t("cbtup.report_summary", { files: report.files, size: sizeText(report.totalBytes) })}</summary>
      <p className="small">{t("cbtup.report_types")}</p>
      <ul className="small">
        {report.byType.map((b) => (
          <li key={b.type}>
            {b.type ? `.${b.type}` : t("cbtup.type_none")}: {b.files} · {sizeText(b.bytes)}
          </li>
        ))}
      </ul>
      <p className="small">{t("cbtup.report_listed", { count: report.listed.length })}</p>
      <ul className="small">
        {report.listed.map((e) => (
          <li key={e.name}>
            <code>{e.name}</code> {sizeText(e.size)}
          </li>
        ))}
      </ul>
    </details>
  );
}
