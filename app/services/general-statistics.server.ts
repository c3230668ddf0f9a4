import ExcelJS from "exceljs";
import { sql, type RawBuilder } from "kysely";
import { nameOf } from "~templates/code-tables";
import { getDb } from "~db/client";
import { listOrgSubtree } from "~db/queries/orgs";
import { listSittingSubjects } from "~db/queries/setup";
import type { Org } from "~db/schema";
import { AppError } from "~/domain/errors";
import {
  COLUMN_VALUES,
  MONEY_METRICS,
  NONE,
  PIVOT_COLUMNS,
  ROW_CAP,
  columnLabel,
  groupingSets,
  isOneDimensional,
  metricLabel,
  parsePivotQuery,
  rowColumnsOf,
  shapePivot,
  specParams,
  valueMessage,
  type GroupedRow,
  type PivotColumn,
  type PivotForm,
  type PivotMetric,
  type PivotSpec,
  type PivotTable,
} from "~/domain/pivot";
import { GRADE_CODES, SCORE_BUCKETS, bucketOf } from "~/domain/scores";
import { formatDateTime, renderMessage, translator, type Locale, type Translate } from "~/i18n";
import type { AdminContext } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import { resolveStatsScope, type StatsScope } from "./registration-statistics.server";

// STAT-1 (manual §五十三 通用统计): the general statistics of the viewer's scope (ORG-2: the sites
// under the viewer's organisation, or under one organisation of its subtree picked with `?site=`,
// checked by requireOrgInScope), for every role with `statistics` (ORG-11: administrators and finance
// staff). Never window-gated (WIN-6). The unit counted is the entry (报考科次); a candidate is a
// registration with at least one entry in the group.
//
// One query: the entries of the scope's sites, joined only to what the chosen columns need, grouped
// by grouping sets (cells, the pivot's totals row, each row's total, the grand total) so that
// distinct counts add up correctly, with `count(*) FILTER (WHERE …)` for the metrics. Every SQL
// fragment below is a constant of this file chosen by a catalogue name the domain checked
// (app/domain/pivot.ts); values (sitting, sites, filter values, N, x, y) are bound parameters.

type Join = "registration" | "org" | "score";

// Grade buckets (SCO-3) from the score's grade code, written out once from the domain's own mapping.
const GRADE_SQL = (() => {
  const arms = SCORE_BUCKETS.map((b) => {
    const codes = GRADE_CODES.filter((g) => bucketOf(g) === b);
    return codes.length ? `when c.grade_code in (${codes.join(", ")}) then '${b}'` : "";
  }).filter(Boolean);
  const sqlText = `case when c.entry_id is null then '${NONE}' ${arms.join(" ")} else 'other' end`;
  // Built from our constants only; a name that is not a plain word would be a programming error.
  if (![...SCORE_BUCKETS, NONE].every((b) => /^[a-z_]+$/.test(b))) throw new Error("grade bucket names");
  return sqlText;
})();

/** The catalogue's SQL: one expression per data column, and the joins it needs. */
const COLUMN_SQL: Record<PivotColumn, { expr: string; joins: Join[] }> = {
  // ORG-1: a site's parent is its city (or, exceptionally, its province); the city's parent its province.
  province: {
    expr: "case when p1.level = 'province' then p1.code when p2.level = 'province' then p2.code end",
    joins: ["org"],
  },
  city: { expr: "case when p1.level = 'city' then p1.code end", joins: ["org"] },
  site: { expr: "s.code", joins: ["org"] },
  subject: { expr: "e.subject_code", joins: [] },
  gender: { expr: "g.gender", joins: ["registration"] },
  channel: { expr: "g.channel", joins: ["registration"] },
  education: { expr: "g.education", joins: ["registration"] },
  registry: {
    expr: "case when g.registry_candidate then 'registry' else 'public' end",
    joins: ["registration"],
  },
  preferred_date: { expr: "to_char(g.preferred_date, 'YYYY-MM-DD')", joins: ["registration"] },
  payment: { expr: "case when e.paid then 'paid' else 'unpaid' end", joins: [] },
  allocation: { expr: "case when e.batch_id is not null then 'seated' else 'unseated' end", joins: [] },
  grade: { expr: GRADE_SQL, joins: ["score"] },
};

const SCORE_METRICS: readonly PivotMetric[] = ["score_gte", "score_range"];

function metricSql(m: PivotMetric, spec: PivotSpec): RawBuilder<number> {
  switch (m) {
    case "entries":
      return sql`count(*)`;
    case "candidates":
      return sql`count(distinct t.reg)`;
    case "paid":
      return sql`count(*) filter (where t.paid)`;
    case "fees":
      return sql`coalesce(sum(t.fee) filter (where t.paid), 0)`;
    case "score_gte":
      return sql`count(*) filter (where t.score >= ${spec.gte}::int)`;
    case "score_range":
      return sql`count(*) filter (where t.score >= ${spec.range.from}::int and t.score < ${spec.range.to}::int)`;
  }
}

const d = (i: number) => sql.ref(`t.d${i}`);

/** The one query of a spec over a sitting and a list of sites; its rows in the order shapePivot reads. */
export function pivotQuery(sittingId: number, siteIds: readonly number[], spec: PivotSpec) {
  const joins = new Set<Join>();
  for (const c of [...spec.columns, ...spec.filters.map((f) => f.column)])
    for (const j of COLUMN_SQL[c].joins) joins.add(j);
  if (spec.metrics.some((m) => SCORE_METRICS.includes(m))) joins.add("score");

  const dims = spec.columns.map((c, i) => sql`${sql.raw(COLUMN_SQL[c].expr)} as ${sql.raw(`d${i}`)}`);
  const where = [
    sql`e.sitting_id = ${sittingId}`,
    sql`e.org_id = any(${[...siteIds]}::int[])`,
    ...spec.filters.map((f) =>
      f.value === NONE
        ? sql`${sql.raw(COLUMN_SQL[f.column].expr)} is null`
        : sql`${sql.raw(COLUMN_SQL[f.column].expr)} = ${f.value}`,
    ),
  ];
  const inner = sql`select ${sql.join([
    ...dims,
    sql`e.registration_id as reg`,
    sql`e.paid`,
    sql`e.fee_fen as fee`,
    joins.has("score") ? sql`c.score` : sql`null::int as score`,
  ])}
    from entry e
    ${joins.has("registration") ? sql`join registration g on g.id = e.registration_id` : sql``}
    ${
      joins.has("org")
        ? sql`join org s on s.id = e.org_id left join org p1 on p1.id = s.parent_id left join org p2 on p2.id = p1.parent_id`
        : sql``
    }
    ${joins.has("score") ? sql`left join score c on c.entry_id = e.id` : sql``}
    where ${sql.join(where, sql` and `)}`;

  const metrics = spec.metrics.map((m, i) => sql`${metricSql(m, spec)} as ${sql.raw(`m${i}`)}`);
  if (spec.columns.length === 0)
    return sql<Record<string, unknown>>`/* STAT-1 general statistics */
      select 0 as lvl, ${sql.join(metrics)} from (${inner}) t`;

  const all = spec.columns.map((_, i) => d(i));
  const idx = (cols: readonly PivotColumn[]) => cols.map((c) => spec.columns.indexOf(c));
  const sets = groupingSets(spec).map((s) => sql`(${s.length ? sql.join(idx(s).map(d)) : sql``})`);
  // Totals first (the grand total, then the pivot's totals row), then row by row: each row's total
  // before its cells. A cut at ROW_CAP then leaves whole totals and at most one partial row.
  const order: RawBuilder<unknown>[] = [];
  for (const part of [idx(rowColumnsOf(spec)), idx(spec.pivot)]) {
    if (part.length === 0) continue;
    order.push(sql`grouping(${sql.join(part.map(d))}) desc`, ...part.map(d));
  }
  return sql<Record<string, unknown>>`/* STAT-1 general statistics */
    select ${sql.join(all)}, grouping(${sql.join(all)}) as lvl, ${sql.join(metrics)}
    from (${inner}) t
    group by grouping sets (${sql.join(sets)})
    order by ${sql.join(order)}
    limit ${ROW_CAP + 1}`;
}

/** STAT-1: the spec's table over the sites (no sites, no query). */
export async function runPivot(sittingId: number, siteIds: readonly number[], spec: PivotSpec): Promise<PivotTable> {
  if (siteIds.length === 0) return shapePivot(spec, []);
  const result = await pivotQuery(sittingId, siteIds, spec).execute(getDb());
  const capped = result.rows.length > ROW_CAP;
  const rows: GroupedRow[] = result.rows.slice(0, ROW_CAP).map((r) => {
    const mask = Number(r.lvl);
    return {
      keys: spec.columns.map((_, i) => {
        const v = r[`d${i}`];
        return v === null || v === undefined ? NONE : String(v);
      }),
      mask,
      values: spec.metrics.map((_, i) => Number(r[`m${i}`] ?? 0)),
    };
  });
  return shapePivot(spec, rows, capped);
}

// ---------------------------------------------------------------------------------------------
// Names: categories from the messages, organisations and subjects from the database, code-table
// codes from the code tables, in the viewer's language. No person is ever named.

interface OrgName {
  id: number;
  code: string;
  name: string;
  level: Org["level"];
  parent_id: number | null;
}

interface Names {
  orgs: Map<string, string>;
  subjects: Map<string, string>;
}

function valueLabel(t: Translate, locale: Locale, names: Names, c: PivotColumn, v: string): string {
  const m = valueMessage(c, v);
  if (m) return renderMessage(t, m.key, m.params);
  if (c === "province" || c === "city" || c === "site") {
    const name = names.orgs.get(`${c}:${v}`);
    return name ? `(${v}) ${name}` : v;
  }
  if (c === "subject") {
    const name = names.subjects.get(v);
    return name ? `(${v}) ${name}` : v;
  }
  if (c === "gender" || c === "education") return nameOf(c, v, locale) || v;
  return v;
}

export interface PivotView {
  rowHeads: string[];
  pivotHeads: string[];
  metricHeads: Array<{ label: string; money: boolean }>;
  /** Each pivot combination's value labels (and its codes). */
  colKeys: Array<{ codes: string[]; labels: string[] }>;
  rows: Array<{ codes: string[]; labels: string[]; cells: number[]; total: number[] | null }>;
  totals: { cells: number[]; total: number[] | null };
  capped: boolean;
  columnsCapped: boolean;
  /** One-dimensional results are also drawn as bars (of the first metric). */
  chart: { title: string; metric: string; bars: Array<{ label: string; value: number }> } | null;
}

const yuan = (fen: number) => Math.round(fen) / 100;

/** The table with every header and value named, money in yuan: what the page and the export show. */
export function viewOf(t: Translate, locale: Locale, names: Names, spec: PivotSpec, table: PivotTable): PivotView {
  const M = table.metrics.length;
  const money = table.metrics.map((m) => MONEY_METRICS.includes(m));
  const cellsOf = (cells: number[]) => cells.map((v, i) => (money[i % M] ? yuan(v) : v));
  const totalOf = (total: number[] | null) => (total ? total.map((v, i) => (money[i] ? yuan(v) : v)) : null);
  const metricHeads = table.metrics.map((m, i) => {
    const l = metricLabel(m, spec);
    return { label: renderMessage(t, l.key, l.params), money: money[i] };
  });
  const rows = table.rows.map((r) => ({
    codes: r.keys,
    labels: r.keys.map((v, i) => valueLabel(t, locale, names, table.rowColumns[i], v)),
    cells: cellsOf(r.cells),
    total: totalOf(r.total),
  }));
  const chart =
    isOneDimensional(spec) && rows.length > 0
      ? {
          title: t("pivot.chart", { metric: metricHeads[0].label, column: t(columnLabel(spec.columns[0])) }),
          metric: metricHeads[0].label,
          bars: rows.map((r) => ({ label: r.labels[0], value: r.cells[0] })),
        }
      : null;
  return {
    rowHeads: table.rowColumns.map((c) => t(columnLabel(c))),
    pivotHeads: table.pivotColumns.map((c) => t(columnLabel(c))),
    metricHeads,
    colKeys: table.colKeys.map((k) => ({
      codes: k,
      labels: k.map((v, i) => valueLabel(t, locale, names, table.pivotColumns[i], v)),
    })),
    rows,
    totals: { cells: cellsOf(table.totals.cells), total: totalOf(table.totals.total) },
    capped: table.capped,
    columnsCapped: table.columnsCapped,
    chart,
  };
}

// ---------------------------------------------------------------------------------------------
// The page and the export: scope, check, one query, names.

interface Context {
  scope: StatsScope;
  /** The viewer's subtree (the selector) and path (a city's own province), for names. */
  subtree: OrgName[];
  names: Names;
  subjects: Array<{ code: string; name: string }>;
}

async function contextOf(ctx: AdminContext, siteParam: string | null): Promise<Context> {
  // ORG-2: throws before anything is read when `?site=` is outside the viewer's subtree.
  const scope = await resolveStatsScope(ctx, siteParam);
  const db = getDb();
  const [subtree, subjects] = await Promise.all([
    listOrgSubtree(db, ctx.org.id, ctx.sitting.id),
    listSittingSubjects(db, ctx.sitting.id),
  ]);
  const orgs: OrgName[] = [
    ...ctx.orgPath
      .slice(0, -1)
      .map((o) => ({ id: o.id, code: o.code, name: o.name, level: o.level, parent_id: o.parent_id })),
    ...subtree.map((o) => ({ id: o.org_id, code: o.code, name: o.name, level: o.level, parent_id: o.parent_id })),
  ];
  return {
    scope,
    subtree: orgs.filter((o) => subtree.some((s) => s.org_id === o.id)),
    names: {
      orgs: new Map(orgs.map((o) => [`${o.level}:${o.code}`, o.name])),
      subjects: new Map(subjects.map((s) => [s.code, s.name])),
    },
    subjects: subjects.map((s) => ({ code: s.code, name: s.name })),
  };
}

/** The organisations under `rootId` within `orgs` (itself included), in tree order. */
function under(orgs: readonly OrgName[], rootId: number): OrgName[] {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of orgs)
      if (o.parent_id !== null && ids.has(o.parent_id) && !ids.has(o.id)) {
        ids.add(o.id);
        grew = true;
      }
  }
  return orgs.filter((o) => ids.has(o.id));
}

export type FilterOptions = Record<PivotColumn, Array<{ value: string; label: string }>>;

async function filterOptions(
  t: Translate,
  locale: Locale,
  ctx: AdminContext,
  c: Context,
  form: PivotForm,
): Promise<FilterOptions> {
  const inScope = under(c.subtree, c.scope.root.id);
  const orgsAt = (level: Org["level"]) => {
    const own = [...ctx.orgPath.filter((o) => o.level === level), ...inScope.filter((o) => o.level === level)];
    return [...new Map(own.map((o) => [o.code, o])).values()]
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((o) => ({ value: o.code, label: `(${o.code}) ${o.name}` }));
  };
  const quotaDates =
    c.scope.sites.length === 0
      ? []
      : await getDb()
          .selectFrom("preferred_date_quota")
          .select("exam_date")
          .distinct()
          .where("sitting_id", "=", ctx.sitting.id)
          .where(
            "org_id",
            "in",
            c.scope.sites.map((s) => s.id),
          )
          .orderBy("exam_date")
          .execute();
  const label = (col: PivotColumn) => (v: string) => ({ value: v, label: valueLabel(t, locale, c.names, col, v) });
  const options = Object.fromEntries(
    PIVOT_COLUMNS.map((col) => [col, (COLUMN_VALUES[col] ?? []).map(label(col))]),
  ) as FilterOptions;
  options.province = orgsAt("province");
  options.city = orgsAt("city");
  options.site = orgsAt("site");
  options.subject = c.subjects.map((s) => ({ value: s.code, label: `(${s.code}) ${s.name}` }));
  options.preferred_date = [...quotaDates.map((q) => q.exam_date), NONE].map(label("preferred_date"));
  // A value set by hand (or a bookmark from another scope) stays selectable, so the form says what ran.
  for (const col of PIVOT_COLUMNS) {
    const v = form.filters[col];
    if (v && !options[col].some((o) => o.value === v)) options[col].push(label(col)(v));
  }
  return options;
}

export interface GeneralStatisticsPage {
  viewer: { id: number; code: string; name: string };
  scope: { root: StatsScope["root"]; narrowed: boolean; sites: number };
  /** The usual selector: the viewer's organisation and its subtree (none for a site). */
  orgs: Array<{ id: number; code: string; name: string; level: Org["level"] }>;
  form: PivotForm;
  filterOptions: FilterOptions;
  errors: string[];
  result: PivotView | null;
  /** The export of exactly this result (same parameters). */
  exportQuery: string | null;
  generatedAt: string;
}

/** STAT-1: the page. Bad input comes back as messages, with no query run. */
export async function loadGeneralStatistics(
  ctx: AdminContext,
  params: URLSearchParams,
): Promise<GeneralStatisticsPage> {
  const t = translator(ctx.locale);
  const parsed = parsePivotQuery(params);
  const c = await contextOf(ctx, params.get("site"));
  const site = c.scope.narrowed ? String(c.scope.root.id) : null;
  let result: PivotView | null = null;
  let exportQuery: string | null = null;
  if (parsed.state === "ok") {
    const table = await runPivot(
      ctx.sitting.id,
      c.scope.sites.map((s) => s.id),
      parsed.spec,
    );
    result = viewOf(t, ctx.locale, c.names, parsed.spec, table);
    const q = specParams(parsed.spec);
    if (site) q.set("site", site);
    exportQuery = q.toString();
  }
  return {
    viewer: { id: ctx.org.id, code: ctx.org.code, name: ctx.org.name },
    scope: { root: c.scope.root, narrowed: c.scope.narrowed, sites: c.scope.sites.length },
    orgs:
      ctx.org.level === "site" ? [] : c.subtree.map((o) => ({ id: o.id, code: o.code, name: o.name, level: o.level })),
    form: parsed.form,
    filterOptions: await filterOptions(t, ctx.locale, ctx, c, parsed.form),
    errors: parsed.state === "invalid" ? parsed.errors.map((e) => renderMessage(t, e.key, e.params)) : [],
    result,
    exportQuery,
    generatedAt: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// .xlsx (manual §五十三 7): the result as one header row (pivot values and metric joined with " / "),
// its rows and the totals row; a second sheet with the conditions it was made with.

export async function exportGeneralStatistics(ctx: AdminContext, params: URLSearchParams) {
  const t = translator(ctx.locale);
  const parsed = parsePivotQuery(params);
  if (parsed.state === "invalid") throw new AppError(parsed.errors[0].key, parsed.errors[0].params ?? {}, 400);
  if (parsed.state === "idle") throw new AppError("pivot.err.no_metric", {}, 400);
  const spec = parsed.spec;
  const c = await contextOf(ctx, params.get("site"));
  const table = await runPivot(
    ctx.sitting.id,
    c.scope.sites.map((s) => s.id),
    spec,
  );
  const view = viewOf(t, ctx.locale, c.names, spec, table);
  const body = await workbookOf(t, view, [
    [t("pivot.cond.scope"), `(${c.scope.root.code}) ${c.scope.root.name}`],
    [
      t("pivot.cond.columns"),
      list(
        t,
        spec.columns.map((x) => t(columnLabel(x))),
      ),
    ],
    [
      t("pivot.cond.pivot"),
      list(
        t,
        spec.pivot.map((x) => t(columnLabel(x))),
      ),
    ],
    [
      t("pivot.cond.metrics"),
      list(
        t,
        view.metricHeads.map((m) => m.label),
      ),
    ],
    [
      t("pivot.cond.filters"),
      list(
        t,
        spec.filters.map(
          (f) => `${t(columnLabel(f.column))} = ${valueLabel(t, ctx.locale, c.names, f.column, f.value)}`,
        ),
      ),
    ],
    [t("pivot.cond.generated"), formatDateTime(new Date(), ctx.locale, getEnv().timeZone)],
    ...(view.capped ? [[t("pivot.cond.capped"), t("pivot.capped", { cap: ROW_CAP })]] : []),
  ]);
  return { body, fileName: `${t("pivot.file_name")}-${c.scope.root.code}.xlsx` };
}

const list = (t: Translate, xs: string[]) => (xs.length ? xs.join("; ") : t("pivot.cond.none"));

async function workbookOf(t: Translate, view: PivotView, conditions: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Kaowu";
  wb.created = new Date();
  const ws = wb.addWorksheet(t("pivot.sheet_result").slice(0, 31));
  const pivoted = view.pivotHeads.length > 0;
  // One header cell per value column, and whether it holds money (yuan, two decimals).
  const valueCols = [
    ...view.colKeys.flatMap((k) =>
      view.metricHeads.map((m) => ({ head: [...k.labels, m.label].join(" / "), money: m.money })),
    ),
    ...(pivoted ? view.metricHeads.map((m) => ({ head: `${t("pivot.total")} / ${m.label}`, money: m.money })) : []),
  ];
  const lead = Math.max(1, view.rowHeads.length);
  const head = [...(view.rowHeads.length ? view.rowHeads : [""]), ...valueCols.map((v) => v.head)];
  ws.addRow(head).font = { bold: true };
  for (const r of view.rows)
    ws.addRow([...(r.labels.length ? r.labels : [t("pivot.total")]), ...r.cells, ...(r.total ?? [])]);
  if (view.rowHeads.length > 0) {
    ws.addRow([
      t("pivot.total"),
      ...Array<string>(lead - 1).fill(""),
      ...view.totals.cells,
      ...(view.totals.total ?? []),
    ]).font = { bold: true };
  }
  ws.views = [{ state: "frozen", ySplit: 1, xSplit: lead }];
  head.forEach((h, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.max(10, Math.min(40, h.length * 2 + 2));
    if (i >= lead && valueCols[i - lead].money) col.numFmt = "0.00";
  });
  if (view.rowHeads.length > 0) ws.getColumn(1).width = 28;
  const cs = wb.addWorksheet(t("pivot.sheet_conditions").slice(0, 31));
  for (const r of conditions) cs.addRow(r);
  cs.getColumn(1).width = 16;
  cs.getColumn(2).width = 80;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
