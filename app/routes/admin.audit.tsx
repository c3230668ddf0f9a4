import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { getDb } from "~db/client";
import { listRecentJobs } from "~db/queries/jobs";
import { auditEntityNames, auditFilter, searchAudit } from "~db/queries/audit";
import { listSubtreeIds } from "~db/queries/orgs";
import { parseWallClock } from "~/domain/windows";
import { formatYuan } from "~/domain/fees";
import { AUDIT_ACTIONS } from "~/domain/audit";
import { isMessageKey } from "~/i18n";
import { auditExportJob } from "~jobs/definitions/audit-export";
import { startAuditExport } from "~/services/start-audit-export.server";
import { JobProgress } from "~/components/job-progress";
import { Pager } from "~/components/pager";
import { getEnv } from "~/utils/env.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { requireCapability } from "~/utils/permissions.server";
import { ActionError } from "~/components/alerts";

const PAGE = 50;

function filterFrom(params: URLSearchParams) {
  const tz = getEnv().timeZone;
  const day = (s: string | null, plusDay = false) => {
    if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
    const d = parseWallClock(`${s} 00:00`, tz);
    return d ? new Date(d.getTime() + (plusDay ? 86_400_000 : 0)) : undefined;
  };
  return {
    action: params.get("action")?.trim() || undefined,
    actor: params.get("actor")?.trim() || undefined,
    orgCode: params.get("org")?.trim() || undefined,
    fromText: params.get("from") ?? "",
    toText: params.get("to") ?? "",
    from: day(params.get("from")),
    to: day(params.get("to"), true),
  };
}

/** the audit log of the admin's scope (own organisation and descendants, ORG-2), in the viewed sitting. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "audit");
    const params = new URL(request.url).searchParams;
    const page = Math.max(1, Number(params.get("page") ?? 1) || 1);
    const f = filterFrom(params);
    const filter = auditFilter(
      { orgIds: await listSubtreeIds(getDb(), ctx.org.id), sittingId: ctx.sitting.id, accountId: ctx.accountId },
      f,
    );
    const { rows, total } = await searchAudit(getDb(), filter, { limit: PAGE, offset: (page - 1) * PAGE });
    // the user's recent exports, so that leaving the page and coming back finds them again.
    const exports = (await listRecentJobs(getDb(), { type: auditExportJob.id, accountId: ctx.accountId }, 3)).map(
      (j) => ({ id: j.id, created_at: j.created_at }),
    );
    const names = await auditEntityNames(getDb(), rows);
    return {
      // No internal ids leave the server: each row says what it is about by kind and name.
      rows: rows.map(({ entity_id, ...r }) => ({ ...r, entity_name: names[`${r.entity_type}:${entity_id}`] ?? "" })),
      total,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE)),
      exports,
    };
  });
}

/** the export runs as a job; the page shows its progress and the file when it is ready. */
export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    // Exporting changes nothing, so it stays available in past sittings and outside windows (WIN-3, ORG-7).
    const ctx = await requireCapability(request, "audit");
    const params = new URL(request.url).searchParams;
    const f = filterFrom(params);
    const jobId = await startAuditExport(ctx, f);
    return { ok: true as const, jobId };
  });
}

export default function Audit() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const [params] = useSearchParams();
  // Issue 15 item 4: the log in the reader's words: actions and fields by their labels (the
  // stored code in a tooltip), money in yuan, times in the display zone.
  const entityLabel = (type: string) => {
    const key = `audit.entity.${type}`;
    return isMessageKey(key) ? t(key) : type;
  };
  const actionLabel = (code: string) => {
    const key = `audit.action.${code}`;
    return isMessageKey(key) ? t(key) : code;
  };
  const fieldLabel = (k: string) => {
    const key = `field.${k.replace(/_fen$/, "")}`;
    return isMessageKey(key) ? t(key) : k;
  };
  const shown = (k: string, v: unknown) => {
    if (v === null || v === undefined) return "∅";
    if (k.endsWith("_fen") && typeof v === "number") return `¥${formatYuan(v)}`;
    if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return fmt(v);
    if (typeof v === "boolean") return t(v ? "common.yes" : "common.no");
    return String(v);
  };
  return (
    <section>
      <h1>{t("audit.title")}</h1>
      <Form method="get" className="form inline">
        <label>
          {t("audit.col.action")}
          <select name="action" defaultValue={params.get("action") ?? ""}>
            <option value="">{t("common.all")}</option>
            {AUDIT_ACTIONS.map((code) => (
              <option key={code} value={code}>
                {actionLabel(code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("audit.col.actor")}
          <input name="actor" defaultValue={params.get("actor") ?? ""} />
        </label>
        <label>
          {t("org.code")}
          <input name="org" defaultValue={params.get("org") ?? ""} />
        </label>
        <label>
          {t("audit.from")}
          <input type="date" name="from" defaultValue={params.get("from") ?? ""} />
        </label>
        <label>
          {t("audit.to")}
          <input type="date" name="to" defaultValue={params.get("to") ?? ""} />
        </label>
        <button type="submit">{t("common.search")}</button>
      </Form>
      <Form method="post" action={`?${params}`} className="form inline">
        <button type="submit">{t("audit.export", { count: d.total })}</button>
      </Form>
      <ActionError result={r} />
      {d.exports.map((j) => (
        <JobProgress key={j.id} jobId={j.id} label={`${t("audit.export_file")} · ${fmt(j.created_at)}`} />
      ))}
      <p className="muted">{t("common.total", { count: d.total })}</p>
      <table className="grid" data-testid="audit-rows">
        <thead>
          <tr>
            <th>{t("audit.col.at")}</th>
            <th>{t("audit.col.actor")}</th>
            <th>{t("audit.col.org")}</th>
            <th>{t("audit.col.action")}</th>
            <th>{t("audit.col.entity")}</th>
            <th>{t("audit.col.changes")}</th>
          </tr>
        </thead>
        <tbody>
          {d.rows.map((row) => (
            <tr key={String(row.id)}>
              <td>{fmt(row.at)}</td>
              <td>{row.actor_name}</td>
              <td>{row.org_code ? `${row.org_name} (${row.org_code})` : t("audit.no_org")}</td>
              <td title={row.action}>{actionLabel(row.action)}</td>
              <td data-entity={row.entity_type}>
                {entityLabel(row.entity_type)}
                {row.entity_name ? <> · {row.entity_name}</> : null}
              </td>
              <td className="changes">
                {Object.entries(row.changes as Record<string, [unknown, unknown]>).map(([k, [b, a]]) => (
                  <div key={k}>
                    <span title={k}>{fieldLabel(k)}</span>: {shown(k, b)} → {shown(k, a)}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={d.page} pages={d.pages} />
    </section>
  );
}
