import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { getDb } from "~db/client";
import {
  listCancellationSites,
  listCancelledSubjects,
  searchCancellations,
  subjectNames,
} from "~db/queries/cancellations";
import { formatYuan } from "~/domain/fees";
import { maskIdNumber } from "~/domain/id-number";
import type { MessageKey } from "~/i18n";
import { JobProgress } from "~/components/job-progress";
import { Pager } from "~/components/pager";
import {
  cancellationFilterToParams,
  cancellationQueryOf,
  parseCancellationFilter,
} from "~/schemas/cancellation-filter";
import { listRecentExports, startCancellationExport } from "~/services/export-candidates.server";
import { listSubtreeSiteIds } from "~db/queries/orgs";
import { getEnv } from "~/utils/env.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { can, requireCapability, isSite } from "~/utils/permissions.server";
import { keepToken, searchParamsOf } from "~/utils/private-search.server";
import { ActionError } from "~/components/alerts";

const PAGE = 50;

/**
 * MGT-5 (manual §二十七): the cancelled registrations of the admin's scope in the viewed sitting,
 * read-only, searchable and exportable, with no time window. A superior sees its sites' (ORG-2),
 * with the site code; ID numbers are masked (X-4).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const db = getDb();
    const params = await searchParamsOf(request, ctx.accountId);
    const page = Math.min(10_000, Math.max(1, Number(params.get("page") ?? 1) || 1));
    const filter = parseCancellationFilter(params);
    const siteIds = await listSubtreeSiteIds(db, ctx.org.id);
    const { rows, total } = await searchCancellations(
      db,
      { ...cancellationQueryOf(filter, getEnv().timeZone), sittingId: ctx.sitting.id, siteIds },
      { limit: PAGE, offset: (page - 1) * PAGE },
    );
    const names = await subjectNames(
      db,
      rows.flatMap((r) => r.subject_codes),
    );
    const superior = !isSite(ctx);
    const canExport = can(ctx, "personal_data");
    return {
      superior,
      canExport,
      total,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE)),
      filter: keepToken(cancellationFilterToParams(filter), params).toString(),
      idNumber: filter.idNumber ?? "",
      subjects: await listCancelledSubjects(db, ctx.sitting.id, siteIds),
      sites: superior ? await listCancellationSites(db, ctx.sitting.id, siteIds) : [],
      rows: rows.map((r) => ({
        id: r.id,
        siteCode: r.site_code,
        siteName: r.site_name,
        name: r.name,
        idNumber: maskIdNumber(r.id_number),
        className: r.class_name,
        channel: r.channel,
        subjects: r.subject_codes.map((c) => ({ code: c, name: names.get(c) ?? "" })),
        paid: formatYuan(r.paid_fen),
        reason: r.reason,
        by: r.cancelled_by_name,
        at: r.cancelled_at,
      })),
      exports: canExport ? await listRecentExports(ctx, "cancellation-export", 3) : [],
    };
  });
}

/** MGT-5 export (X-2): a job; no window (WIN-3), past sittings too (ORG-7); administrators only. */
export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const jobId = await startCancellationExport(
      ctx,
      parseCancellationFilter(await searchParamsOf(request, ctx.accountId)),
    );
    return { ok: true as const, jobId };
  });
}

export default function Cancellations() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const [params] = useSearchParams();
  const v = (k: string) => params.get(k) ?? "";
  return (
    <section>
      <h1>{t("cancel.title")}</h1>
      <p className="muted">{t("cancel.hint")}</p>
      <Form method="post" action="/admin/search" reloadDocument className="form inline">
        <input type="hidden" name="searchTarget" value="/admin/cancellations" />
        <label>
          {t("cancel.col.name")}
          <input name="name" defaultValue={v("name")} />
        </label>
        <label>
          {t("cancel.col.id_number")}
          <input name="idNumber" defaultValue={d.idNumber} />
        </label>
        <label>
          {t("cancel.col.class")}
          <input name="className" defaultValue={v("className")} />
        </label>
        <label>
          {t("cancel.subject")}
          <select name="subject" defaultValue={v("subject")}>
            <option value="">{t("cancel.all")}</option>
            {d.subjects.map((s) => (
              <option key={s.code} value={s.code}>
                ({s.code}) {s.name}
              </option>
            ))}
          </select>
        </label>
        {d.superior ? (
          <label>
            {t("cancel.col.site")}
            <select name="site" defaultValue={v("site")}>
              <option value="">{t("cancel.all")}</option>
              {d.sites.map((s) => (
                <option key={s.id} value={s.id}>
                  ({s.code}) {s.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t("cancel.from")}
          <input type="date" name="from" defaultValue={v("from")} />
        </label>
        <label>
          {t("cancel.to")}
          <input type="date" name="to" defaultValue={v("to")} />
        </label>
        <button type="submit">{t("common.search")}</button>
        <Link to="/admin/cancellations">{t("cancel.reset")}</Link>
      </Form>
      {d.canExport ? (
        <Form method="post" action={`/admin/cancellations${d.filter ? `?${d.filter}` : ""}`} className="form inline">
          <button type="submit" disabled={d.total === 0}>
            {t("cancel.export", { count: d.total })}
          </button>
        </Form>
      ) : null}
      <ActionError result={r} />
      {d.exports.map((j) => (
        <JobProgress key={j.id} jobId={j.id} label={`${t("cancel.export_file")} · ${fmt(j.created_at)}`} />
      ))}
      <p className="muted" data-total={d.total}>
        {t("common.total", { count: d.total })}
      </p>
      {d.total === 0 ? (
        <p className="muted">{t("cancel.none")}</p>
      ) : (
        <table className="grid" data-testid="cancellations">
          <thead>
            <tr>
              {d.superior ? <th>{t("cancel.col.site")}</th> : null}
              <th>{t("cancel.col.name")}</th>
              <th>{t("cancel.col.id_number")}</th>
              <th>{t("cancel.col.class")}</th>
              <th>{t("cancel.col.channel")}</th>
              <th>{t("cancel.col.subjects")}</th>
              <th>{t("cancel.col.paid")}</th>
              <th>{t("cancel.col.reason")}</th>
              <th>{t("cancel.col.by")}</th>
              <th>{t("cancel.col.at")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {d.rows.map((row) => (
              <tr key={row.id} data-cancellation={row.id}>
                {d.superior ? <td title={row.siteName}>{row.siteCode}</td> : null}
                <td>{row.name}</td>
                <td>
                  <code>{row.idNumber}</code>
                </td>
                <td>{row.className}</td>
                <td>{t(`cancel.channel.${row.channel}` as MessageKey)}</td>
                <td>
                  {row.subjects.map((s) => (
                    <div key={s.code} className="nowrap">
                      ({s.code}) {s.name}
                    </div>
                  ))}
                </td>
                <td className="num">{row.paid}</td>
                <td>{row.reason}</td>
                <td>{row.by}</td>
                <td className="nowrap">{fmt(row.at)}</td>
                <td>
                  <Link to={`/admin/cancellations/${row.id}`}>{t("cancel.view")}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={d.page} pages={d.pages} />
    </section>
  );
}
