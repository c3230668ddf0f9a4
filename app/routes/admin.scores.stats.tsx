import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StatsPageHead } from "~/components/stats-page-head";
import { SubjectStack } from "~/components/stats-charts";
import { rate, SCORE_BUCKETS } from "~/domain/scores";
import { resolveStatsScope } from "~/services/registration-statistics.server";
import { scoreStatistics } from "~/services/score-statistics.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";
import { useT } from "~/utils/use-t";

import statsCss from "~/styles/stats.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: statsCss }];

/**
 * SCO-3 (manual §四十四): per subject, excellent … other with counts and rates, for the viewer's scope
 * (ORG-2) and per site for a superior; counts only (finance reads them too), never window-gated.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "statistics");
    const scope = await resolveStatsScope(ctx, new URL(request.url).searchParams.get("site"));
    const stats = await scoreStatistics(ctx.sitting.id, scope.sites);
    return {
      viewer: { code: ctx.org.code, name: ctx.org.name },
      scope: { root: scope.root, narrowed: scope.narrowed },
      subjects: stats.subjects,
      total: stats.total,
      people: stats.people,
      sites: scope.drillDown ? scope.sites.map((s) => ({ ...s, counts: stats.bySite.get(s.id)! })) : [],
      generatedAt: new Date(),
    };
  });
}

export default function ScoreStatistics() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const buckets = SCORE_BUCKETS.map((b) => ({ key: b, label: t(`scores.bucket.${b}`) }));
  const cells = (c: (typeof d)["total"]) => (
    <>
      {buckets.map((b) => (
        <td key={b.key} className="num" title={rate(c[b.key], c.total)}>
          {c[b.key]}
        </td>
      ))}
      <td className="num">{c.total}</td>
      <td className="num">{rate(c.excellent + c.good + c.pass, c.total)}</td>
    </>
  );
  return (
    <section className="stats">
      <StatsPageHead
        title={t("scores.stats_title")}
        scope={d.scope}
        viewer={d.viewer}
        generatedAt={d.generatedAt}
        exportHref="/admin/scores/stats/export"
        exportLabel={t("scores.stats_export")}
        hint={t("scores.stats_hint")}
      />
      {d.total.total === 0 ? (
        <p className="muted" data-testid="score-stats-empty">
          {t("scores.empty")}
        </p>
      ) : (
        <>
          <SubjectStack title={t("scores.stats_chart")} series={buckets} subjects={d.subjects} />
          <div className="table-scroll">
            <table className="grid compact" data-testid="score-stats">
              <thead>
                <tr>
                  <th>{t("scores.col_subject")}</th>
                  {buckets.map((b) => (
                    <th key={b.key} className="num">
                      {b.label}
                    </th>
                  ))}
                  <th className="num">{t("scores.col_entries")}</th>
                  <th className="num">{t("scores.pass_rate")}</th>
                </tr>
              </thead>
              <tbody>
                {d.subjects.map((s) => (
                  <tr key={s.code} data-subject={s.code}>
                    <td>
                      ({s.code}) {s.name}
                    </td>
                    {cells(s)}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-subject="total">
                  <th scope="row">{t("scores.col_total")}</th>
                  {cells(d.total)}
                </tr>
              </tfoot>
            </table>
          </div>
          <p data-testid="score-people">{t("scores.people", { count: d.people })}</p>
        </>
      )}
      {d.sites.length > 1 ? (
        <>
          <h2>{t("scores.stats_by_site")}</h2>
          <div className="table-scroll">
            <table className="grid compact" data-testid="score-stats-sites">
              <thead>
                <tr>
                  <th>{t("scores.col_site")}</th>
                  {buckets.map((b) => (
                    <th key={b.key} className="num">
                      {b.label}
                    </th>
                  ))}
                  <th className="num">{t("scores.col_entries")}</th>
                  <th className="num">{t("scores.pass_rate")}</th>
                </tr>
              </thead>
              <tbody>
                {d.sites.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={`?site=${s.id}`}>
                        ({s.code}) {s.name}
                      </Link>
                    </td>
                    {cells(s.counts)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
