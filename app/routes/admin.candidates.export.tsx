import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { countRegistrations } from "~db/queries/candidate-search";
import { JobProgress } from "~/components/job-progress";
import { filterToParams, parseCandidateFilter } from "~/schemas/candidate-filter";
import { listRecentExports, startCandidateExport } from "~/services/export-candidates.server";
import { listSubtreeSiteIds } from "~db/queries/orgs";
import { guardAction, guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { keepToken, searchParamsOf } from "~/utils/private-search.server";

/**
 * MGT-3 (manual §二十五 7): export the candidate search's results. The search page posts here with
 * its filter in the query string; the export runs as a job (X-2) and this page shows its progress
 * and the file, and the user's earlier exports. No time window; administrators only (ORG-11).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const params = await searchParamsOf(request, ctx.accountId);
    const filter = parseCandidateFilter(params);
    const siteIds = await listSubtreeSiteIds(getDb(), ctx.org.id);
    const count = await countRegistrations(getDb(), { ...filter, sittingId: ctx.sitting.id, siteIds });
    const exports = await listRecentExports(ctx, "candidate-export");
    return { filter: keepToken(filterToParams(filter), params).toString(), count, started: params.get("job"), exports };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    // Read-only: no window and no writable sitting needed (WIN-3, ORG-7); finance staff lack personal_data (ORG-11).
    const ctx = await requireCapability(request, "personal_data");
    const params = await searchParamsOf(request, ctx.accountId);
    const filter = parseCandidateFilter(params);
    const jobId = await startCandidateExport(ctx, filter);
    const next = keepToken(filterToParams(filter), params);
    next.set("job", jobId);
    // Post/redirect/get: reloading the page shows the job instead of starting another.
    return redirect(`/admin/candidates/export?${next}`, 303);
  });
}

export default function CandidateExport() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const back = d.filter ? `/admin/candidates?${d.filter}` : "/admin/candidates";
  return (
    <section>
      <h1>{t("export.title")}</h1>
      <p className="muted">{t("export.hint")}</p>
      <p data-testid="export-count" data-count={d.count}>
        {t(d.filter ? "export.count_filtered" : "export.count_all", { count: d.count })}{" "}
        <Link to={back}>{t("export.back")}</Link>
      </p>
      <Form method="post" action={`/admin/candidates/export${d.filter ? `?${d.filter}` : ""}`}>
        <button type="submit" className="primary" disabled={d.count === 0}>
          {t("export.start", { count: d.count })}
        </button>
      </Form>
      {r && r.ok === false ? (
        <p className="error" role="alert">
          {r.error}
        </p>
      ) : null}
      <h2>{t("export.recent")}</h2>
      {d.exports.length === 0 ? <p className="muted">{t("export.none")}</p> : null}
      {d.exports.map((j) => (
        <div key={j.id} className={j.id === d.started ? "highlight" : undefined} data-job={j.id}>
          <JobProgress jobId={j.id} label={`${t("export.file")} · ${fmt(j.created_at)}`} />
        </div>
      ))}
    </section>
  );
}
