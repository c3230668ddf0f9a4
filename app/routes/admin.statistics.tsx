import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { ErrorAlert, Notice } from "~/components/alerts";
import { CountBars } from "~/components/stats-charts";
import {
  PIVOT_COLUMNS,
  PIVOT_METRICS,
  PIVOT_PRESETS,
  PRESET_GROUPS,
  ROW_CAP,
  COLUMN_CAP,
  columnLabel,
  isPivotColumn,
  specParams,
  type PivotMetric,
} from "~/domain/pivot";
import type { MessageKey, Translate } from "~/i18n";
import { loadGeneralStatistics, type PivotView } from "~/services/general-statistics.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";
import { useFormatDateTime, useT } from "~/utils/use-t";

import statsCss from "~/styles/stats.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: statsCss }];

/**
 * STAT-1 (manual §五十三 通用统计): data columns, metrics, filters and 行转列 over the viewer's scope
 * (ORG-2), for administrators and finance staff (ORG-11); counts and sums only, never window-gated
 * (WIN-6). The form is a GET, so a result can be bookmarked and its export uses the same query.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "statistics");
    return loadGeneralStatistics(ctx, new URL(request.url).searchParams);
  });
}

const LEVELS = ["centre", "province", "city", "site"];
export default function GeneralStatistics() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormatDateTime();
  const navigation = useNavigation();
  const location = useLocation();
  const site = d.scope.narrowed ? String(d.scope.root.id) : null;
  const withSite = (p: URLSearchParams) => {
    if (site) p.set("site", site);
    return `?${p}`;
  };
  const activeFilters = Object.keys(d.form.filters).length;
  const busy = navigation.state !== "idle";
  return (
    <section className="stats">
      <h1>
        {t("pivot.title")}{" "}
        <small>
          ({d.scope.root.code}) {d.scope.root.name}
        </small>
      </h1>
      {d.scope.narrowed ? (
        <p className="stats-crumb">
          <Link to="?">
            ← ({d.viewer.code}) {d.viewer.name}
          </Link>
        </p>
      ) : null}
      <p className="muted small">{t("pivot.hint")}</p>

      <div className="pivot-box" data-testid="pivot-presets">
        <strong>{t("pivot.presets")}</strong>
        <div className="pivot-grid wide">
          {PRESET_GROUPS.map((g) => (
            <div key={g}>
              <div className="small muted">{t(`pivot.preset_group.${g}` as MessageKey)}</div>
              <ul className="pivot-presets">
                {PIVOT_PRESETS.filter((p) => p.group === g).map((p) => (
                  <li key={p.id}>
                    <Link to={withSite(specParams(p.spec))} data-preset={p.id}>
                      {t(`pivot.preset.${p.id}` as MessageKey)}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </div>

      {d.errors.map((e) => (
        <ErrorAlert key={e} testId="pivot-error">
          {e}
        </ErrorAlert>
      ))}
      {/* Keyed by the query: a preset or a bookmark refills every field. */}
      <Form method="get" key={location.search} data-testid="pivot-form">
        <input type="hidden" name="run" value="1" />
        {d.orgs.length > 1 ? (
          <p className="row-form pivot-scope">
            <label className="row-form">
              {t("pivot.scope")}
              <select name="site" defaultValue={String(d.scope.root.id)} className="site-picker">
                {d.orgs.map((o) => (
                  <option key={o.id} value={o.id}>
                    {`${"\u00a0\u00a0".repeat(Math.max(0, LEVELS.indexOf(o.level) - 1))}(${o.code}) ${o.name}`}
                  </option>
                ))}
              </select>
            </label>
          </p>
        ) : null}

        {/* With a result on the page, the conditions fold to one line so the result fits a 1366×768 screen. */}
        <details open={!d.result} data-testid="pivot-conditions">
          <summary className="pivot-summary">
            {t("pivot.conditions")}
            {d.result ? (
              <span className="muted small">
                {" "}
                {t("pivot.conditions_summary", {
                  columns:
                    d.form.columns
                      .filter(isPivotColumn)
                      .map((c) => t(columnLabel(c)))
                      .join(" · ") || "—",
                  metrics: d.result.metricHeads.map((m) => m.label).join(" · "),
                })}
              </span>
            ) : null}
          </summary>
          <fieldset className="pivot-box">
            <legend>{t("pivot.data_columns")}</legend>
            <p className="muted small pivot-help">{t("pivot.data_columns_hint")}</p>
            <div className="pivot-grid">
              {PIVOT_COLUMNS.map((c) => (
                <div key={c} className="row-form pivot-column">
                  <label className="check">
                    <input type="checkbox" name="col" value={c} defaultChecked={d.form.columns.includes(c)} />
                    {t(columnLabel(c))}
                  </label>
                  <label className="check small muted">
                    <input type="checkbox" name="pivot" value={c} defaultChecked={d.form.pivot.includes(c)} />
                    {t("pivot.to_columns")}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>

          <fieldset className="pivot-box">
            <legend>{t("pivot.metrics")}</legend>
            <p className="muted small pivot-help">{t("pivot.metrics_hint")}</p>
            <div className="pivot-grid">
              {PIVOT_METRICS.map((m) => (
                <MetricChoice key={m} m={m} t={t} form={d.form} />
              ))}
            </div>
          </fieldset>

          <details className="pivot-box" open={activeFilters > 0}>
            <summary>
              {activeFilters ? t("pivot.filters_active", { count: activeFilters }) : t("pivot.filters")}
            </summary>
            <div className="pivot-grid filters">
              {PIVOT_COLUMNS.map((c) => (
                <label key={c} className="small pivot-filter">
                  {t(columnLabel(c))}
                  <select name={`f.${c}`} defaultValue={d.form.filters[c] ?? ""}>
                    <option value="">{t("pivot.filter_any")}</option>
                    {d.filterOptions[c].map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
          </details>
        </details>

        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t("pivot.run")}
          </button>
          <Link to={site ? `?site=${site}` : "?"}>{t("pivot.clear")}</Link>
        </div>
      </Form>

      {d.scope.sites === 0 ? <p className="muted">{t("pivot.no_sites")}</p> : null}
      {d.result ? (
        <Result
          view={d.result}
          t={t}
          exportHref={`/admin/statistics/export?${d.exportQuery}`}
          at={fmt(d.generatedAt)}
        />
      ) : null}
    </section>
  );
}

function MetricChoice({
  m,
  t,
  form,
}: {
  m: PivotMetric;
  t: Translate;
  form: { metrics: string[]; gte: string; from: string; to: string };
}) {
  const box = <input type="checkbox" name="metric" value={m} defaultChecked={form.metrics.includes(m)} />;
  if (m === "score_gte")
    return (
      <span className="row-form pivot-score">
        <label className="check">
          {box}
          {t("pivot.metric_form.score")} ≥
        </label>
        <ScoreNumber name="gte" value={form.gte} label="N" />
      </span>
    );
  if (m === "score_range")
    return (
      <span className="row-form pivot-score span2">
        <label className="check">
          {box}
          {t("pivot.metric_form.score")} [
        </label>
        <ScoreNumber name="from" value={form.from} label="x" />
        ,
        <ScoreNumber name="to" value={form.to} label="y" />)
      </span>
    );
  return (
    <label className="check">
      {box}
      {t(`pivot.metric.${m}` as MessageKey)}
    </label>
  );
}

/** A score bound of a metric (≥ N, [x, y)): only the number is edited, never the format (manual §五十三 3–4). */
function ScoreNumber({ name, value, label }: { name: string; value: string; label: string }) {
  return (
    <input
      type="number"
      name={name}
      min={0}
      max={100}
      step={1}
      defaultValue={value}
      className="pivot-number"
      aria-label={label}
    />
  );
}

const num = (v: number, money: boolean) => (money ? v.toFixed(2) : String(v));

function Result({ view, t, exportHref, at }: { view: PivotView; t: Translate; exportHref: string; at: string }) {
  const M = view.metricHeads.length;
  const pivoted = view.pivotHeads.length > 0;
  const lead = Math.max(1, view.rowHeads.length);
  // Header rows: one per pivot column, then the metrics when there are several (or no pivot).
  const metricRow = !pivoted || M > 1;
  const headRows = view.pivotHeads.length + (metricRow ? 1 : 0);
  const money = view.metricHeads.map((h) => h.money);
  const spans = (level: number) => {
    const out: Array<{ label: string; span: number }> = [];
    let prev = "";
    for (const k of view.colKeys) {
      const id = k.labels.slice(0, level + 1).join("\u0001");
      if (out.length && id === prev) out[out.length - 1].span += M;
      else out.push({ label: k.labels[level], span: M });
      prev = id;
    }
    return out;
  };
  return (
    <div data-testid="pivot-result">
      <div className="stats-toolbar">
        <span className="muted small">{t("pivot.generated_at", { at })}</span>
        <span className="muted small">{t("pivot.rows_count", { count: view.rows.length })}</span>
        <a href={exportHref} download data-testid="pivot-export">
          {t("pivot.export")}
        </a>
      </div>
      {view.capped ? <Notice testId="pivot-capped">{t("pivot.capped", { cap: ROW_CAP })}</Notice> : null}
      {view.columnsCapped ? <Notice>{t("pivot.columns_capped", { cap: COLUMN_CAP })}</Notice> : null}
      {view.rows.length === 0 ? (
        <p className="muted" data-testid="pivot-empty">
          {t("pivot.empty")}
        </p>
      ) : (
        <>
          {view.chart ? <CountBars title={view.chart.title} label={view.chart.metric} bars={view.chart.bars} /> : null}
          <div className="stats-scroll">
            <table className="grid compact stats-table" data-testid="pivot-table">
              <caption>
                {[
                  pivoted && M === 1 ? t("pivot.metric_caption", { metric: view.metricHeads[0].label }) : "",
                  pivoted ? t("pivot.pivot_caption", { columns: view.pivotHeads.join(" × ") }) : "",
                ]
                  .filter(Boolean)
                  .join(t("pivot.caption_separator"))}
              </caption>
              <thead>
                {Array.from({ length: headRows }, (_, level) => (
                  <tr key={level}>
                    {level === 0
                      ? (view.rowHeads.length ? view.rowHeads : [""]).map((h, i) => (
                          <th key={`r${i}`} rowSpan={headRows} scope="col">
                            {h}
                          </th>
                        ))
                      : null}
                    {level < view.pivotHeads.length
                      ? spans(level).map((s, i) => (
                          <th key={i} colSpan={s.span} className="num" scope="colgroup">
                            {s.label}
                          </th>
                        ))
                      : view.colKeys.flatMap((_, c) =>
                          view.metricHeads.map((h, m) => (
                            <th key={`${c}-${m}`} className="num" scope="col">
                              {h.label}
                            </th>
                          )),
                        )}
                    {pivoted && level === 0 ? (
                      <th colSpan={M} rowSpan={metricRow ? headRows - 1 : headRows} className="num" scope="colgroup">
                        {t("pivot.total")}
                      </th>
                    ) : null}
                    {pivoted && metricRow && level === headRows - 1
                      ? view.metricHeads.map((h, m) => (
                          <th key={`t${m}`} className="num" scope="col">
                            {h.label}
                          </th>
                        ))
                      : null}
                  </tr>
                ))}
              </thead>
              <tbody>
                {view.rows.map((r) => (
                  <tr key={r.codes.join("|")} data-row={r.codes.join("|")}>
                    {(r.labels.length ? r.labels : [t("pivot.total")]).map((l, i) => (
                      <th key={i} scope="row" className="pivot-row-head">
                        {l}
                      </th>
                    ))}
                    {r.cells.map((v, i) => (
                      <td key={i} className="num">
                        {num(v, money[i % M])}
                      </td>
                    ))}
                    {r.total?.map((v, i) => (
                      <td key={`t${i}`} className="num">
                        <strong>{num(v, money[i])}</strong>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              {view.rowHeads.length > 0 ? (
                <tfoot>
                  <tr data-row="total">
                    <th scope="row" colSpan={lead}>
                      {t("pivot.total")}
                    </th>
                    {view.totals.cells.map((v, i) => (
                      <td key={i} className="num">
                        {num(v, money[i % M])}
                      </td>
                    ))}
                    {view.totals.total?.map((v, i) => (
                      <td key={`t${i}`} className="num">
                        {num(v, money[i])}
                      </td>
                    ))}
                  </tr>
                </tfoot>
              ) : null}
            </table>
          </div>
          {money.some(Boolean) ? <p className="muted small">{t("pivot.money_note")}</p> : null}
        </>
      )}
    </div>
  );
}
