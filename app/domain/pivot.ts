import { z } from "zod";
import { CODE_TABLES } from "~templates/code-tables";
import type { MessageKey, MessageParams } from "~/i18n";
import { toHalfWidth } from "./import-values";
import { SCORE_BUCKETS } from "./scores";

// STAT-1 (manual §五十三 通用统计): general statistics as pure rules. The user picks data columns
// (what to group by) from a fixed catalogue, metric columns (counts and sums whose numbers, not
// format, can be edited), equality filters, and which data columns to turn into columns (行转列).
// This module turns the page's query into a typed spec or messages, and the database's grouped rows
// into the table the page and the export show. Nothing here names a database column: the SQL for
// each catalogue entry lives in app/services/general-statistics.server.ts, keyed by these names.

/** The data columns, in the order the form lists them. Categories and codes only: never a person. */
export const PIVOT_COLUMNS = [
  "province",
  "city",
  "site",
  "subject",
  "gender",
  "channel",
  "education",
  "registry",
  "preferred_date",
  "payment",
  "allocation",
  "grade",
] as const;
export type PivotColumn = (typeof PIVOT_COLUMNS)[number];

/** The metric columns. `score_gte` and `score_range` carry their numbers in the spec (N; x, y). */
export const PIVOT_METRICS = ["entries", "candidates", "paid", "fees", "score_gte", "score_range"] as const;
export type PivotMetric = (typeof PIVOT_METRICS)[number];

/** Metrics summed in fen and shown in yuan. */
export const MONEY_METRICS: readonly PivotMetric[] = ["fees"];

export const MAX_DATA_COLUMNS = 5;
/** Manual §五十三 5: one metric with up to two pivot columns, or several metrics with one. */
export const MAX_PIVOT_ONE_METRIC = 2;
export const MAX_PIVOT_SEVERAL_METRICS = 1;
/** Rows read from the database at most (the query asks for one more, to know it was cut). */
export const ROW_CAP = 5000;
/** Column groups a pivot spreads across the header at most. */
export const COLUMN_CAP = 200;

export const DEFAULT_GTE = 60;
export const DEFAULT_RANGE = { from: 60, to: 80 } as const;

/** A value that is not there: no city above the site, no preferred date chosen, no score. */
export const NONE = "none";

/** Each enumerated column's values, in display order (codes as stored, or our own category names). */
export const COLUMN_VALUES: Partial<Record<PivotColumn, readonly string[]>> = {
  gender: CODE_TABLES.gender.map((e) => e.code),
  channel: ["online", "group"],
  education: CODE_TABLES.education.map((e) => e.code),
  registry: ["registry", "public"],
  payment: ["paid", "unpaid"],
  allocation: ["seated", "unseated"],
  grade: [...SCORE_BUCKETS, NONE],
};

/** How a filter value of an open-ended column is written (codes, dates). */
const VALUE_FORMAT: Partial<Record<PivotColumn, RegExp>> = {
  province: /^\d{2}$/,
  city: /^\d{4}$/,
  site: /^\d{6}$/,
  subject: /^\d{2}$/,
  preferred_date: /^\d{4}-\d{2}-\d{2}$/,
};

/** Columns whose value can be missing (filtered as NONE). */
export const NULLABLE_COLUMNS: readonly PivotColumn[] = ["province", "city", "preferred_date"];

export interface PivotFilter {
  column: PivotColumn;
  value: string;
}

/** A checked request: only catalogue names, numbers in range, the manual's pivot rule kept. */
export interface PivotSpec {
  /** Data columns in order; every pivot column is one of them. */
  columns: PivotColumn[];
  pivot: PivotColumn[];
  metrics: PivotMetric[];
  gte: number;
  range: { from: number; to: number };
  filters: PivotFilter[];
}

export interface PivotMessage {
  key: MessageKey;
  params?: MessageParams;
}

/** What the form shows again: the user's own choices (cut short), valid or not. */
export interface PivotForm {
  columns: string[];
  pivot: string[];
  metrics: string[];
  gte: string;
  from: string;
  to: string;
  filters: Record<string, string>;
}

export type PivotParse =
  | { state: "idle"; form: PivotForm }
  | { state: "invalid"; form: PivotForm; errors: PivotMessage[] }
  | { state: "ok"; form: PivotForm; spec: PivotSpec };

export const isPivotColumn = (s: string): s is PivotColumn => (PIVOT_COLUMNS as readonly string[]).includes(s);
export const isPivotMetric = (s: string): s is PivotMetric => (PIVOT_METRICS as readonly string[]).includes(s);

export const columnLabel = (c: PivotColumn): MessageKey => `pivot.col.${c}` as MessageKey;

/** A metric's header: its format is fixed, its numbers are the spec's. */
export function metricLabel(m: PivotMetric, spec: Pick<PivotSpec, "gte" | "range">): PivotMessage {
  if (m === "score_gte") return { key: "pivot.metric.score_gte", params: { n: spec.gte } };
  if (m === "score_range") return { key: "pivot.metric.score_range", params: { x: spec.range.from, y: spec.range.to } };
  return { key: `pivot.metric.${m}` as MessageKey };
}

/**
 * The name of a value that is ours to name (categories, "none"); null for data (organisations,
 * subjects, code-table codes, dates), which the service names from the database and code tables.
 */
export function valueMessage(c: PivotColumn, v: string): PivotMessage | null {
  if (c === "grade") return { key: v === NONE ? "pivot.value.no_score" : (`scores.bucket.${v}` as MessageKey) };
  if (v === NONE) return { key: c === "preferred_date" ? "pivot.value.no_date" : "pivot.value.none" };
  if (c === "channel" || c === "registry" || c === "payment" || c === "allocation")
    return { key: `pivot.value.${c}.${v}` as MessageKey };
  return null;
}

/** A filter's value is one the column can hold (a code of its list, or written as its codes are). */
export function isFilterValue(c: PivotColumn, v: string): boolean {
  if (v === NONE) return NULLABLE_COLUMNS.includes(c) || (COLUMN_VALUES[c]?.includes(v) ?? false);
  const list = COLUMN_VALUES[c];
  if (list) return list.includes(v);
  return VALUE_FORMAT[c]?.test(v) ?? false;
}

/** Values in display order: a list's own order, else codes and dates ascending; "none" last. */
export function compareValues(c: PivotColumn, a: string, b: string): number {
  if (a === b) return 0;
  if (a === NONE) return 1;
  if (b === NONE) return -1;
  const list = COLUMN_VALUES[c];
  if (list) {
    const ia = list.indexOf(a);
    const ib = list.indexOf(b);
    // A stored code the table does not know goes after the known ones.
    if (ia !== ib) return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
  }
  return a < b ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------
// Parsing the query (the form is a GET: a result can be bookmarked and exported with the same URL).
//   col=site&col=subject   data columns, in order
//   pivot=subject          data columns turned into columns (a pivot column not chosen as a data column is added)
//   metric=entries         metrics
//   gte=60  from=60 to=80  the numbers of "score ≥ N" and "score in [x, y)"
//   f.subject=14           equality filters ("none" = no value)
//   run=1                  the form was sent (an empty choice is then an error, not a blank form)

const text = z.string().max(200);
const QuerySchema = z.object({
  col: z.array(text).max(30),
  pivot: z.array(text).max(30),
  metric: z.array(text).max(30),
  gte: text.optional(),
  from: text.optional(),
  to: text.optional(),
  filters: z.array(z.tuple([text, text])).max(30),
});

const FILTER_PREFIX = "f.";
const shown = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** A whole number 0–100 as typed (full-width digits and spaces allowed); null if it is not one. */
export function parseScoreNumber(raw: string | undefined): number | null {
  const s = toHalfWidth(raw ?? "").trim();
  if (!/^\d{1,3}$/.test(s)) return null;
  const n = Number(s);
  return n <= 100 ? n : null;
}

function emptyForm(): PivotForm {
  return {
    columns: [],
    pivot: [],
    metrics: [],
    gte: String(DEFAULT_GTE),
    from: String(DEFAULT_RANGE.from),
    to: String(DEFAULT_RANGE.to),
    filters: {},
  };
}

/** STAT-1: the page's query as a typed spec, or every reason it is not one. */
export function parsePivotQuery(params: URLSearchParams): PivotParse {
  const filterPairs = [...params.entries()].filter(([k]) => k.startsWith(FILTER_PREFIX));
  const sent = ["col", "pivot", "metric", "run"].some((k) => params.has(k)) || filterPairs.length > 0;
  const raw = QuerySchema.safeParse({
    col: params.getAll("col"),
    pivot: params.getAll("pivot"),
    metric: params.getAll("metric"),
    gte: params.get("gte") ?? undefined,
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
    filters: filterPairs.map(([k, v]) => [k.slice(FILTER_PREFIX.length), v]),
  });
  if (!raw.success) return { state: "invalid", form: emptyForm(), errors: [{ key: "pivot.err.bad_request" }] };
  const q = raw.data;
  const form: PivotForm = {
    columns: [...new Set(q.col)].map(shown),
    pivot: [...new Set(q.pivot)].map(shown),
    metrics: [...new Set(q.metric)].map(shown),
    gte: shown(q.gte ?? String(DEFAULT_GTE)),
    from: shown(q.from ?? String(DEFAULT_RANGE.from)),
    to: shown(q.to ?? String(DEFAULT_RANGE.to)),
    filters: Object.fromEntries(q.filters.filter(([, v]) => v !== "").map(([k, v]) => [shown(k), shown(v)])),
  };
  if (!sent) return { state: "idle", form };

  const errors: PivotMessage[] = [];
  // Names first: anything not in the catalogue is refused by name and never goes further.
  for (const name of [...form.columns, ...form.pivot])
    if (!isPivotColumn(name)) errors.push({ key: "pivot.err.unknown_column", params: { name } });
  for (const name of form.metrics)
    if (!isPivotMetric(name)) errors.push({ key: "pivot.err.unknown_metric", params: { name } });
  for (const name of Object.keys(form.filters))
    if (!isPivotColumn(name)) errors.push({ key: "pivot.err.unknown_column", params: { name } });
  const pivot = form.pivot.filter(isPivotColumn);
  const columns = [...form.columns.filter(isPivotColumn)];
  for (const p of pivot) if (!columns.includes(p)) columns.push(p);
  const metrics = form.metrics.filter(isPivotMetric);

  if (columns.length > MAX_DATA_COLUMNS)
    errors.push({ key: "pivot.err.too_many_columns", params: { max: MAX_DATA_COLUMNS } });
  if (form.metrics.length === 0) errors.push({ key: "pivot.err.no_metric" });
  if (pivot.length > MAX_PIVOT_ONE_METRIC)
    errors.push({ key: "pivot.err.pivot_too_many", params: { max: MAX_PIVOT_ONE_METRIC } });
  else if (form.metrics.length > 1 && pivot.length > MAX_PIVOT_SEVERAL_METRICS)
    errors.push({ key: "pivot.err.pivot_several_metrics", params: { max: MAX_PIVOT_SEVERAL_METRICS } });

  // The numbers of a metric count only when the metric is chosen.
  const gte = parseScoreNumber(form.gte);
  if (metrics.includes("score_gte") && gte === null) errors.push({ key: "pivot.err.gte", params: { value: form.gte } });
  const from = parseScoreNumber(form.from);
  const to = parseScoreNumber(form.to);
  if (metrics.includes("score_range")) {
    if (from === null || to === null) errors.push({ key: "pivot.err.range_number" });
    else if (from >= to) errors.push({ key: "pivot.err.range_order", params: { x: from, y: to } });
  }

  const filters: PivotFilter[] = [];
  for (const [name, value] of Object.entries(form.filters)) {
    if (!isPivotColumn(name)) continue;
    const v = toHalfWidth(value).trim();
    if (!isFilterValue(name, v))
      errors.push({ key: "pivot.err.filter_value", params: { columnKey: columnLabel(name), value } });
    else filters.push({ column: name, value: v });
  }

  if (errors.length) return { state: "invalid", form, errors };
  return {
    state: "ok",
    form,
    spec: {
      columns,
      pivot,
      metrics,
      gte: gte ?? DEFAULT_GTE,
      range: { from: from ?? DEFAULT_RANGE.from, to: to ?? DEFAULT_RANGE.to },
      filters: filters.sort((a, b) => PIVOT_COLUMNS.indexOf(a.column) - PIVOT_COLUMNS.indexOf(b.column)),
    },
  };
}

/** The query of a spec (presets, the export link): parsePivotQuery reads it back as the same spec. */
export function specParams(spec: PivotSpec): URLSearchParams {
  const p = new URLSearchParams();
  for (const c of spec.columns) p.append("col", c);
  for (const c of spec.pivot) p.append("pivot", c);
  for (const m of spec.metrics) p.append("metric", m);
  p.set("gte", String(spec.gte));
  p.set("from", String(spec.range.from));
  p.set("to", String(spec.range.to));
  for (const f of spec.filters) p.set(`${FILTER_PREFIX}${f.column}`, f.value);
  p.set("run", "1");
  return p;
}

// ---------------------------------------------------------------------------------------------
// Presets (manual §五十三 6: 常用报考统计, 常用编排统计, 常用其他统计): one click fills the form.

export const PRESET_GROUPS = ["registration", "allocation", "other"] as const;
export type PresetGroup = (typeof PRESET_GROUPS)[number];

const preset = (s: Partial<PivotSpec> & Pick<PivotSpec, "columns" | "metrics">): PivotSpec => ({
  pivot: [],
  gte: DEFAULT_GTE,
  range: { ...DEFAULT_RANGE },
  filters: [],
  ...s,
});

export const PIVOT_PRESETS: ReadonlyArray<{ id: string; group: PresetGroup; spec: PivotSpec }> = [
  {
    id: "entries_by_site_subject",
    group: "registration",
    spec: preset({ columns: ["site", "subject"], pivot: ["subject"], metrics: ["entries", "paid"] }),
  },
  {
    id: "paid_by_site",
    group: "registration",
    spec: preset({ columns: ["site", "payment"], pivot: ["payment"], metrics: ["entries", "candidates", "fees"] }),
  },
  {
    id: "candidates_by_channel",
    group: "registration",
    spec: preset({ columns: ["site", "channel", "registry"], pivot: ["channel", "registry"], metrics: ["candidates"] }),
  },
  {
    id: "seating_by_site_subject",
    group: "allocation",
    spec: preset({ columns: ["site", "subject", "allocation"], pivot: ["allocation"], metrics: ["entries"] }),
  },
  {
    id: "seating_by_date",
    group: "allocation",
    spec: preset({
      columns: ["site", "preferred_date", "allocation"],
      pivot: ["allocation"],
      metrics: ["entries"],
      filters: [{ column: "payment", value: "paid" }],
    }),
  },
  {
    id: "grades_by_subject",
    group: "other",
    spec: preset({ columns: ["subject", "grade"], pivot: ["grade"], metrics: ["entries"] }),
  },
  {
    id: "scores_by_subject",
    group: "other",
    spec: preset({ columns: ["subject"], metrics: ["entries", "score_gte", "score_range"] }),
  },
  {
    id: "candidates_by_gender_education",
    group: "other",
    spec: preset({ columns: ["education", "gender"], pivot: ["gender"], metrics: ["candidates"] }),
  },
];

// ---------------------------------------------------------------------------------------------
// Shaping: the database answers one row per group of each grouping set (the details, each pivot
// column's total, each row's total, the grand total); the table puts them in place.

/** The data columns that stay rows. */
export const rowColumnsOf = (spec: Pick<PivotSpec, "columns" | "pivot">) =>
  spec.columns.filter((c) => !spec.pivot.includes(c));

/**
 * The grouping sets the query needs, as lists of data columns, without repeats: every column (the
 * table's cells), the pivot columns alone (the totals row), the row columns alone (each row's total),
 * and none (the grand total).
 */
export function groupingSets(spec: Pick<PivotSpec, "columns" | "pivot">): PivotColumn[][] {
  const sets = [spec.columns, spec.pivot, rowColumnsOf(spec), []];
  const seen = new Set<string>();
  return sets.filter((s) => {
    const k = s.join(",");
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Which data columns a row is grouped by, from PostgreSQL's GROUPING(c1, …, cn): bit n−i (from the
 * right, 1-based) is 1 when column i is aggregated away.
 */
export function groupedColumns(mask: number, n: number): boolean[] {
  return Array.from({ length: n }, (_, i) => ((mask >> (n - 1 - i)) & 1) === 0);
}

/** One row of the query: a value per data column ("" where aggregated away), the mask, a number per metric. */
export interface GroupedRow {
  keys: string[];
  mask: number;
  values: number[];
}

export interface PivotTableRow {
  keys: string[];
  /** Per column key, per metric (`colKeys.length × metrics.length`, column key major). */
  cells: number[];
  /** Per metric, across the pivot columns (null without a pivot). */
  total: number[] | null;
}

export interface PivotTable {
  rowColumns: PivotColumn[];
  pivotColumns: PivotColumn[];
  metrics: PivotMetric[];
  /** The pivot columns' value combinations (one empty key without a pivot). */
  colKeys: string[][];
  rows: PivotTableRow[];
  totals: { cells: number[]; total: number[] | null };
  /** The query hit ROW_CAP: the last, possibly partial, row was left out; totals are still whole. */
  capped: boolean;
  /** More than COLUMN_CAP pivot combinations: the first are shown. */
  columnsCapped: boolean;
}

const keyOf = (keys: readonly string[]) => keys.join("\u0001");

function compareKeys(columns: readonly PivotColumn[], a: readonly string[], b: readonly string[]) {
  for (let i = 0; i < columns.length; i++) {
    const d = compareValues(columns[i], a[i], b[i]);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * STAT-1 行转列: grouped rows (in the query's order: totals first, then row by row) into a table.
 * `capped`: the query returned more than ROW_CAP rows (and only the first ROW_CAP are passed).
 */
export function shapePivot(spec: PivotSpec, rows: readonly GroupedRow[], capped = false): PivotTable {
  const n = spec.columns.length;
  const M = spec.metrics.length;
  const rowIdx = spec.columns.map((c, i) => (spec.pivot.includes(c) ? -1 : i)).filter((i) => i >= 0);
  const colIdx = spec.pivot.map((c) => spec.columns.indexOf(c));
  const pick = (r: GroupedRow, idx: number[]) => idx.map((i) => r.keys[i] ?? "");

  type Kind = "detail" | "row" | "col" | "grand";
  const kinds: Array<{ r: GroupedRow; kind: Kind }> = [];
  for (const r of rows) {
    const inc = groupedColumns(r.mask, n);
    const rowsIn = rowIdx.filter((i) => inc[i]).length;
    const colsIn = colIdx.filter((i) => inc[i]).length;
    if (rowsIn === 0 && colsIn === 0) kinds.push({ r, kind: "grand" });
    else if (rowsIn === rowIdx.length && colsIn === colIdx.length) kinds.push({ r, kind: "detail" });
    else if (rowsIn === 0 && colsIn === colIdx.length) kinds.push({ r, kind: "col" });
    else if (colsIn === 0 && rowsIn === rowIdx.length) kinds.push({ r, kind: "row" });
  }
  const of = (kind: Kind) => kinds.filter((x) => x.kind === kind).map((x) => x.r);
  const details = of("detail");
  const colTotals = of("col");
  const grand = of("grand")[0]?.values ?? null;
  const zeros = () => Array<number>(M).fill(0);

  // Column keys: every combination the totals row has (complete: totals come first), in order.
  const colMap = new Map<string, string[]>();
  for (const r of [...colTotals, ...details]) {
    const k = pick(r, colIdx);
    colMap.set(keyOf(k), k);
  }
  let colKeys = [...colMap.values()].sort((a, b) => compareKeys(spec.pivot, a, b));
  const columnsCapped = colKeys.length > COLUMN_CAP;
  if (columnsCapped) colKeys = colKeys.slice(0, COLUMN_CAP);
  if (colIdx.length === 0) colKeys = [[]];
  const colPos = new Map(colKeys.map((k, i) => [keyOf(k), i]));

  // Rows in the query's order (each row's total, then its cells); when cut, the last row may be
  // partial and is left out.
  const rowMap = new Map<string, PivotTableRow>();
  let last = "";
  for (const { r, kind } of kinds) {
    if (kind !== "detail" && kind !== "row") continue;
    const keys = pick(r, rowIdx);
    const k = keyOf(keys);
    last = k;
    let row = rowMap.get(k);
    if (!row) {
      row = { keys, cells: Array<number>(colKeys.length * M).fill(0), total: colIdx.length ? zeros() : null };
      rowMap.set(k, row);
    }
    if (kind === "row") {
      row.total = [...r.values];
      continue;
    }
    const c = colPos.get(keyOf(pick(r, colIdx)));
    if (c !== undefined) for (let m = 0; m < M; m++) row.cells[c * M + m] = r.values[m];
  }
  if (capped && rowMap.size > 0) rowMap.delete(last);
  // Every data column pivoted: the one row's total is the grand total.
  if (rowIdx.length === 0 && colIdx.length > 0 && grand) for (const row of rowMap.values()) row.total = [...grand];

  const totals = {
    cells: Array<number>(colKeys.length * M).fill(0),
    total: colIdx.length ? (grand ? [...grand] : zeros()) : null,
  };
  if (colIdx.length === 0) {
    if (grand) totals.cells = [...grand];
  } else {
    for (const r of colTotals) {
      const c = colPos.get(keyOf(pick(r, colIdx)));
      if (c !== undefined) for (let m = 0; m < M; m++) totals.cells[c * M + m] = r.values[m];
    }
  }

  return {
    rowColumns: rowIdx.map((i) => spec.columns[i]),
    pivotColumns: [...spec.pivot],
    metrics: [...spec.metrics],
    colKeys,
    rows: [...rowMap.values()].sort((a, b) =>
      compareKeys(
        rowIdx.map((i) => spec.columns[i]),
        a.keys,
        b.keys,
      ),
    ),
    totals,
    capped,
    columnsCapped,
  };
}

/** A one-dimensional result (one row column, no pivot) is drawn as bars of its first metric. */
export function isOneDimensional(spec: Pick<PivotSpec, "columns" | "pivot">): boolean {
  return spec.columns.length === 1 && spec.pivot.length === 0;
}
