import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { STATS_VIEWS, parseStatsView } from "~/domain/statistics";
import { loadStatistics } from "~/services/registration-statistics.server";
import { guardLoader } from "~/utils/http.server";
import { useFormatDateTime, useT } from "~/utils/use-t";
import statsCss from "~/styles/stats.css?url";
import { requireCapability } from "~/utils/permissions.server";
import {
  CandidatesPanel,
  CapacityPanel,
  EntriesPanel,
  PaymentsPanel,
  VIEW_KEY,
  query,
} from "~/components/stats/panels";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: statsCss }];

/**
 * Manual §二十八 (报考统计, 支付统计, 考生统计) and §二十九 (科目容量统计), MGT-6: four views of the
 * registration figures of the viewer's scope (ORG-2), with a drill-down to each site for superiors.
 * Read-only and never window-gated (WIN-6); finance staff see it too (ORG-11).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "statistics");
    const params = new URL(request.url).searchParams;
    const { scope, data } = await loadStatistics(ctx, {
      view: parseStatsView(params.get("view")),
      site: params.get("site"),
    });
    return {
      viewer: { id: ctx.org.id, code: ctx.org.code, name: ctx.org.name },
      scope,
      data,
      generatedAt: new Date().toISOString(),
    };
  });
}

export default function Statistics() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormatDateTime();
  const navigation = useNavigation();
  const view = d.data.view;
  const site = d.scope.narrowed ? d.scope.root.id : null;
  const exportQuery = (which: string) =>
    `/admin/stats/export?${new URLSearchParams({ view: which, ...(site ? { site: String(site) } : {}) })}`;
  return (
    <section className="stats">
      <h1>
        {t("stats.title")}{" "}
        <small>
          ({d.scope.root.code}) {d.scope.root.name}
        </small>
      </h1>
      {d.scope.narrowed ? (
        <p className="stats-crumb">
          <Link to={query(view)}>
            ← ({d.viewer.code}) {d.viewer.name}
          </Link>
        </p>
      ) : null}
      <nav className="tabs" aria-label={t("stats.title")}>
        {STATS_VIEWS.map((v) => (
          <Link
            key={v}
            to={query(v, site)}
            className={v === view ? "active" : undefined}
            aria-current={v === view ? "page" : undefined}
          >
            {t(VIEW_KEY[v])}
          </Link>
        ))}
      </nav>
      <div className="stats-toolbar">
        <Form method="get" className="stats-refresh">
          <input type="hidden" name="view" value={view} />
          {site ? <input type="hidden" name="site" value={site} /> : null}
          <button type="submit" disabled={navigation.state !== "idle"}>
            {t("stats.refresh")}
          </button>
        </Form>
        <span className="muted small" data-testid="stats-generated">
          {t("stats.generated_at", { at: fmt(d.generatedAt) })}
        </span>
        <a href={exportQuery(view)} download>
          {t("stats.export_view")}
        </a>
        <a href={exportQuery("all")} download>
          {t("stats.export_all")}
        </a>
      </div>
      {d.scope.sites.length === 0 ? <p className="muted">{t("stats.no_sites")}</p> : null}
      <p className="muted small">{t("stats.hint")}</p>
      {d.data.view === "entries" ? <EntriesPanel data={d.data} scope={d.scope} t={t} /> : null}
      {d.data.view === "payments" ? <PaymentsPanel data={d.data} scope={d.scope} t={t} /> : null}
      {d.data.view === "candidates" ? <CandidatesPanel data={d.data} scope={d.scope} t={t} /> : null}
      {d.data.view === "capacity" ? <CapacityPanel data={d.data} scope={d.scope} t={t} /> : null}
    </section>
  );
}
