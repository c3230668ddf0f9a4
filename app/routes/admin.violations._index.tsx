import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~db/client";
import { ActionError, ActionNotice } from "~/components/alerts";
import { Pager } from "~/components/pager";
import { SitePageHead } from "~/components/site-page-head";
import { AppError } from "~/domain/errors";
import { isRowId } from "~/domain/row-id";
import { isViolationKind, kindLabel, kindSanction, normaliseAdmissionNo, VIOLATION_KINDS } from "~/domain/violations";
import {
  addViolation,
  deleteViolation,
  findNumberedEntry,
  listViolations,
  updateViolation,
} from "~/services/violations.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import {
  canChange,
  getWindowView,
  isSite,
  requireAdminMutation,
  requireCapability,
  requireCapabilityOf,
} from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useT } from "~/utils/use-t";

const PAGE = 50;

/**
 * VIO-1 (manual §三十八): the site's violations: look a candidate up by admission number and record
 * an absence or violation, edit, delete, import, export. Changes only inside the violations window;
 * superiors read any site of their scope.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const url = new URL(request.url);
    const q = (url.searchParams.get("q") ?? "").trim().slice(0, 40);
    const kindParam = url.searchParams.get("kind") ?? "";
    const kind = isViolationKind(kindParam) ? kindParam : null;
    const page = Math.max(1, Math.min(10_000, Number(url.searchParams.get("page")) || 1));
    const noParam = url.searchParams.get("no");
    const db = getDb();
    const [list, window] = await Promise.all([
      listViolations(db, ctx.sitting.id, site.id, { q, kind, offset: (page - 1) * PAGE, limit: PAGE }),
      getWindowView(ctx, "violations"),
    ]);
    let lookup: { no: string; found: Awaited<ReturnType<typeof findNumberedEntry>> } | null = null;
    if (noParam !== null && noParam.trim() !== "") {
      const no = normaliseAdmissionNo(noParam);
      lookup = {
        no: no ?? noParam.trim().slice(0, 40),
        found: no ? await findNumberedEntry(db, ctx.sitting.id, site.id, no) : null,
      };
    }
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      window,
      writable: isSite(ctx) && canChange(ctx, window),
      q,
      kind,
      page,
      pages: Math.max(1, Math.ceil(list.total / PAGE)),
      total: list.total,
      rows: list.rows,
      lookup: lookup && {
        no: lookup.no,
        found: lookup.found && {
          name: lookup.found.name,
          idNumber: lookup.found.id_number,
          subject: `(${lookup.found.subject_code}) ${lookup.found.subject_name}`,
          existing: lookup.found.violation_kind,
        },
      },
    };
  });
}

const Kind = z.string().refine(isViolationKind, "violations.kind_unknown");
const AddForm = z.object({
  intent: z.literal("add"),
  admissionNo: z.string(),
  kind: Kind,
  remark: z.string().default(""),
});
const UpdateForm = z.object({
  intent: z.literal("update"),
  id: z.coerce.number(),
  kind: Kind,
  remark: z.string().default(""),
});
const DeleteForm = z.object({ intent: z.literal("delete"), id: z.coerce.number() });

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    // WIN-2: the violations window gates every change (manual §三十八 1).
    const ctx = await requireAdminMutation(request, { window: "violations" });
    requireCapabilityOf(ctx, "personal_data");
    const intent = form.get("intent");
    if (intent === "add") {
      const f = parseForm(form, AddForm);
      const no = normaliseAdmissionNo(f.admissionNo);
      if (!no) throw new AppError("violations.no_such_entry", {}, 404);
      const made = await addViolation(ctx, { admissionNo: no, kind: f.kind as never, remark: f.remark });
      return { ok: true as const, done: "added" as const, name: made.name, kind: f.kind };
    }
    if (intent === "update") {
      const f = parseForm(form, UpdateForm);
      if (!isRowId(f.id)) throw new AppError("violations.not_found", {}, 404);
      await updateViolation(ctx, f.id, { kind: f.kind as never, remark: f.remark });
      return { ok: true as const, done: "updated" as const };
    }
    const f = parseForm(form, DeleteForm);
    if (!isRowId(f.id)) throw new AppError("violations.not_found", {}, 404);
    await deleteViolation(ctx, f.id);
    return { ok: true as const, done: "deleted" as const };
  });
}

export default function Violations() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const [params] = useSearchParams();
  const editing = Number(params.get("edit")) || null;
  // Once saved, the looked-up candidate is done with: the form is ready for the next number.
  const lookup = r && r.ok && r.done === "added" ? null : d.lookup;
  const siteParam = d.sites.length > 1 ? `site=${d.site.id}&` : "";
  return (
    <section>
      <SitePageHead title={t("violations.title")} site={d.site} sites={d.sites} window={d.window} />
      <p className="muted">{t("violations.hint")}</p>
      <p>
        <Link to="/admin/violations/import">{t("violations.import_title")}</Link> ·{" "}
        <a href={`/admin/violations/export?${siteParam}`} download>
          {t("violations.export")}
        </a>{" "}
        · <Link to={`/admin/violations/stats`}>{t("violations.stats_title")}</Link>
      </p>
      <ActionError result={r} />
      <ActionNotice result={r} testId="violation-saved">
        {(done) =>
          done.done === "added"
            ? t("violations.added", { name: done.name, kind: t(kindLabel(done.kind as never)) })
            : t(`violations.${done.done}`)
        }
      </ActionNotice>
      {d.writable ? (
        <fieldset data-testid="add-violation">
          <legend>{t("violations.add")}</legend>
          <Form method="get" className="form inline">
            <label>
              {t("violations.col_no")}
              <input
                name="no"
                defaultValue={lookup?.no ?? ""}
                key={lookup ? "lookup" : "next"}
                inputMode="numeric"
                autoComplete="off"
                size={20}
                required
              />
            </label>
            <button type="submit">{t("violations.find")}</button>
          </Form>
          {lookup && !lookup.found ? (
            <p className="error" role="alert">
              {t("violations.no_such_entry")}
            </p>
          ) : null}
          {lookup?.found ? (
            <Form method="post" className="form" key={lookup.no}>
              <input type="hidden" name="intent" value="add" />
              <input type="hidden" name="admissionNo" value={lookup.no} />
              <p data-testid="found-candidate">
                {t("violations.found", {
                  name: lookup.found.name,
                  id: lookup.found.idNumber,
                  subject: lookup.found.subject,
                })}
              </p>
              {lookup.found.existing ? (
                <p className="notice partial">
                  {t("violations.exists", { kind: t(kindLabel(lookup.found.existing)) })}
                </p>
              ) : (
                <>
                  <KindFields />
                  <button type="submit" className="primary">
                    {t("violations.save")}
                  </button>
                </>
              )}
            </Form>
          ) : null}
        </fieldset>
      ) : null}
      <Form method="get" className="form inline">
        {d.sites.length > 1 ? <input type="hidden" name="site" value={d.site.id} /> : null}
        <label>
          {t("violations.search")}
          <input name="q" defaultValue={d.q} size={18} />
        </label>
        <label>
          {t("violations.col_kind")}
          <select name="kind" defaultValue={d.kind ?? ""}>
            <option value="">{t("violations.all_kinds")}</option>
            {VIOLATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(kindLabel(k))}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("violations.filter")}</button>
      </Form>
      <p data-testid="violation-total">{t("violations.total", { count: d.total })}</p>
      {d.rows.length ? (
        <div className="table-scroll">
          <table className="grid compact" data-testid="violations">
            <thead>
              <tr>
                <th>{t("violations.col_no")}</th>
                <th>{t("violations.col_name")}</th>
                <th>{t("violations.col_id")}</th>
                <th>{t("violations.col_subject")}</th>
                <th>{t("violations.col_kind")}</th>
                <th>{t("violations.col_remark")}</th>
                <th>{t("violations.col_source")}</th>
                {d.writable ? <th>{t("violations.col_actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {d.rows.map((v) =>
                editing === v.id && d.writable ? (
                  <tr key={v.id}>
                    <td>
                      <code>{v.admission_no}</code>
                    </td>
                    <td className="nowrap">{v.name}</td>
                    <td colSpan={6}>
                      <Form method="post" className="form inline" data-testid="edit-violation">
                        <input type="hidden" name="intent" value="update" />
                        <input type="hidden" name="id" value={v.id} />
                        <KindFields kind={v.kind} remark={v.remark} compact />
                        <button type="submit" className="primary">
                          {t("violations.save")}
                        </button>{" "}
                        <Link to="?">{t("common.cancel")}</Link>
                      </Form>
                    </td>
                  </tr>
                ) : (
                  <tr key={v.id} data-kind={v.kind}>
                    <td>
                      <code>{v.admission_no}</code>
                    </td>
                    <td className="nowrap">{v.name}</td>
                    <td>
                      <code>{v.id_number}</code>
                    </td>
                    <td>
                      ({v.subject_code}) {v.subject_name}
                    </td>
                    <td className="nowrap">{t(kindLabel(v.kind))}</td>
                    <td>{v.remark}</td>
                    <td className="nowrap">
                      {t(`violations.source.${v.source}`)}
                      {v.created_by_name ? ` · ${v.created_by_name}` : ""}
                    </td>
                    {d.writable ? (
                      <td className="nowrap">
                        <Link to={`?edit=${v.id}`}>{t("common.edit")}</Link>{" "}
                        <Form
                          method="post"
                          style={{ display: "inline" }}
                          onSubmit={(ev) => {
                            if (!confirm(t("violations.confirm_delete", { no: v.admission_no }))) ev.preventDefault();
                          }}
                        >
                          <input type="hidden" name="intent" value="delete" />
                          <input type="hidden" name="id" value={v.id} />
                          <button type="submit" className="link danger">
                            {t("common.delete")}
                          </button>
                        </Form>
                      </td>
                    ) : null}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{t("violations.empty")}</p>
      )}
      {d.pages > 1 ? <Pager page={d.page} pages={d.pages} /> : null}
    </section>
  );
}

/** The type (with seed 002 §七's sanction of each as help) and the remark. */
function KindFields({ kind, remark, compact }: { kind?: string; remark?: string; compact?: boolean }) {
  const t = useT();
  return (
    <>
      <label>
        {t("violations.col_kind")}
        <select name="kind" defaultValue={kind ?? ""} required data-testid="violation-kind">
          <option value="" disabled>
            {t("violations.choose_kind")}
          </option>
          {VIOLATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(kindLabel(k))}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("violations.col_remark")}
        <input name="remark" defaultValue={remark ?? ""} maxLength={200} size={compact ? 24 : 40} />
      </label>
      {compact ? null : (
        <details className="help">
          <summary>{t("violations.sanctions")}</summary>
          <dl>
            {VIOLATION_KINDS.map((k) => (
              <div key={k}>
                <dt>{t(kindLabel(k))}</dt>
                <dd>{t(kindSanction(k))}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </>
  );
}
