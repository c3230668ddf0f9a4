import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StatsPageHead } from "~/components/stats-page-head";
import { SubjectStack } from "~/components/stats-charts";
import { kindLabel, VIOLATION_KINDS } from "~/domain/violations";
import { resolveStatsScope } from "~/services/registration-statistics.server";
import { violationStatistics } from "~/services/violation-sheets.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";
import { useT } from "~/utils/use-t";

import statsCss from "~/styles/stats.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: statsCss }];

/**
 * VIO-2 (manual §三十九): violations by subject and kind for the viewer's scope (ORG-2), each site's
 * totals for a superior with a link into it; counts only, never window-gated.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "statistics");
    const scope = await resolveStatsScope(ctx, new URL(request.url).searchParams.get("site"));
    const stats = await violationStatistics(ctx.sitting.id, scope.sites);
    return {
      viewer: { code: ctx.org.code, name: ctx.org.name },
      scope: { root: scope.root, narrowed: scope.narrowed },
      subjects: stats.subjects,
      total: stats.total,
      sites: scope.drillDown ? scope.sites.map((s) => ({ ...s, counts: stats.bySite.get(s.id)! })) : [],
      generatedAt: new Date(),
    };
  });
}

export default function ViolationStatistics() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const kinds = VIOLATION_KINDS.map((k) => ({ key: k, label: t(kindLabel(k)) }));
  const rate = (n: number) => (d.total.total ? `${((100 * n) / d.total.total).toFixed(1)}%` : "—");
  return (
    <section className="stats">
      <StatsPageHead
        title={t("violations.stats_title")}
        scope={d.scope}
        viewer={d.viewer}
        generatedAt={d.generatedAt}
        exportHref="/admin/violations/stats/export"
        exportLabel={t("violations.stats_export")}
        hint={t("violations.stats_hint")}
      />
      {d.total.total === 0 ? (
        <p className="muted" data-testid="violation-stats-empty">
          {t("violations.stats_empty")}
        </p>
      ) : (
        <>
          <SubjectStack
            title={t("violations.stats_chart")}
            series={kinds.map((k) => ({ key: k.key, label: k.label }))}
            subjects={d.subjects}
          />
          <div className="table-scroll">
            <table className="grid compact" data-testid="violation-stats">
              <thead>
                <tr>
                  <th>{t("violations.col_subject")}</th>
                  {kinds.map((k) => (
                    <th key={k.key} className="num">
                      {k.label}
                    </th>
                  ))}
                  <th className="num">{t("violations.col_total")}</th>
                  <th className="num">{t("violations.col_share")}</th>
                </tr>
              </thead>
              <tbody>
                {d.subjects.map((s) => (
                  <tr key={s.code} data-subject={s.code}>
                    <td>
                      ({s.code}) {s.name}
                    </td>
                    {kinds.map((k) => (
                      <td key={k.key} className="num">
                        {s[k.key]}
                      </td>
                    ))}
                    <td className="num">{s.total}</td>
                    <td className="num">{rate(s.total)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-subject="total">
                  <th scope="row">{t("violations.col_total")}</th>
                  {kinds.map((k) => (
                    <td key={k.key} className="num">
                      {d.total[k.key]}
                    </td>
                  ))}
                  <td className="num">{d.total.total}</td>
                  <td className="num">{rate(d.total.total)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
      {d.sites.length > 1 ? (
        <>
          <h2>{t("violations.stats_by_site")}</h2>
          <div className="table-scroll">
            <table className="grid compact" data-testid="violation-stats-sites">
              <thead>
                <tr>
                  <th>{t("violations.col_site")}</th>
                  {kinds.map((k) => (
                    <th key={k.key} className="num">
                      {k.label}
                    </th>
                  ))}
                  <th className="num">{t("violations.col_total")}</th>
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
                    {kinds.map((k) => (
                      <td key={k.key} className="num">
                        {s.counts[k.key]}
                      </td>
                    ))}
                    <td className="num">{s.counts.total}</td>
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
