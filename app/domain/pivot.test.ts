import { describe, expect, it } from "vitest";
import {
  COLUMN_CAP,
  PIVOT_PRESETS,
  compareValues,
  groupedColumns,
  groupingSets,
  isFilterValue,
  metricLabel,
  parsePivotQuery,
  parseScoreNumber,
  shapePivot,
  specParams,
  type GroupedRow,
  type PivotSpec,
} from "./pivot";

const q = (s: string) => parsePivotQuery(new URLSearchParams(s));
const errorsOf = (s: string) => {
  const r = q(s);
  return r.state === "invalid" ? r.errors.map((e) => e.key) : [];
};
const specOf = (s: string): PivotSpec => {
  const r = q(s);
  if (r.state !== "ok") throw new Error(`not ok: ${JSON.stringify(r)}`);
  return r.spec;
};

describe("general statistics: the request (STAT-1)", () => {
  it("STAT-1: a page opened without a query is a blank form, not an error", () => {
    expect(q("").state).toBe("idle");
    expect(q("site=12").state).toBe("idle");
    // Sent with nothing chosen: say what is missing.
    expect(errorsOf("run=1")).toEqual(["pivot.err.no_metric"]);
  });

  it("STAT-1: data columns, pivot columns, metrics and filters become a typed spec", () => {
    expect(specOf("col=site&col=subject&pivot=subject&metric=entries&metric=paid&f.gender=2&f.subject=14")).toEqual({
      columns: ["site", "subject"],
      pivot: ["subject"],
      metrics: ["entries", "paid"],
      gte: 60,
      range: { from: 60, to: 80 },
      // Filters in catalogue order.
      filters: [
        { column: "subject", value: "14" },
        { column: "gender", value: "2" },
      ],
    });
    // A pivot column not ticked as a data column is one anyway.
    expect(specOf("col=site&pivot=allocation&metric=entries").columns).toEqual(["site", "allocation"]);
    // Repeats count once; an empty filter is no filter.
    expect(specOf("col=site&col=site&metric=entries&metric=entries&f.gender=")).toMatchObject({
      columns: ["site"],
      metrics: ["entries"],
      filters: [],
    });
  });

  it("STAT-1: a column name that is not in the catalogue is refused by name, wherever it is posted", () => {
    const bad = q("col=site&col=id_number;drop table entry&metric=entries");
    expect(bad.state).toBe("invalid");
    if (bad.state === "invalid")
      expect(bad.errors).toEqual([{ key: "pivot.err.unknown_column", params: { name: "id_number;drop table entry" } }]);
    expect(errorsOf("col=site&pivot=name&metric=entries")).toEqual(["pivot.err.unknown_column"]);
    expect(errorsOf("col=site&metric=entries&f.phone=1")).toEqual(["pivot.err.unknown_column"]);
    expect(errorsOf("col=site&metric=count(*)")).toEqual(["pivot.err.unknown_metric"]);
    // Shown back cut short.
    const long = q(`col=${"x".repeat(150)}&metric=entries`);
    expect(long.state === "invalid" && String(long.errors[0].params?.name).length).toBeLessThanOrEqual(41);
    // Absurdly long input is refused whole.
    expect(errorsOf(`col=${"x".repeat(300)}&metric=entries`)).toEqual(["pivot.err.bad_request"]);
  });

  it("STAT-1: three pivot columns are refused; two only with one metric (manual §五十三 5)", () => {
    expect(
      errorsOf("col=site&col=subject&col=gender&col=channel&pivot=subject&pivot=gender&pivot=channel&metric=entries"),
    ).toEqual(["pivot.err.pivot_too_many"]);
    expect(specOf("col=site&col=subject&col=gender&pivot=subject&pivot=gender&metric=entries").pivot).toEqual([
      "subject",
      "gender",
    ]);
    expect(errorsOf("col=site&col=subject&col=gender&pivot=subject&pivot=gender&metric=entries&metric=paid")).toEqual([
      "pivot.err.pivot_several_metrics",
    ]);
    expect(specOf("col=site&col=subject&pivot=subject&metric=entries&metric=paid&metric=fees").metrics).toHaveLength(3);
    expect(errorsOf("col=province&col=city&col=site&col=subject&col=gender&col=channel&metric=entries")).toEqual([
      "pivot.err.too_many_columns",
    ]);
  });

  it.each([
    ["60", 60],
    ["0", 0],
    ["100", 100],
    [" 75 ", 75],
    ["８５", 85],
    ["101", null],
    ["-1", null],
    ["60.5", null],
    ["6e1", null],
    ["", null],
    ["abc", null],
  ] as const)("STAT-1: the N of “score ≥ N” is a whole number 0–100 — %j", (raw, n) => {
    expect(parseScoreNumber(raw)).toBe(n);
  });

  it("STAT-1: ≥ N: the number is editable, the format is not", () => {
    const s = specOf("col=subject&metric=score_gte&gte=85");
    expect(s.gte).toBe(85);
    expect(metricLabel("score_gte", s)).toEqual({ key: "pivot.metric.score_gte", params: { n: 85 } });
    expect(errorsOf("col=subject&metric=score_gte&gte=>=60")).toEqual(["pivot.err.gte"]);
    // An unchosen metric's number is not checked.
    expect(specOf("col=subject&metric=entries&gte=abc").gte).toBe(60);
  });

  it("STAT-1: [x, y) means ≥ x and < y; [90, 80) and [80, 80) are refused", () => {
    const s = specOf("col=subject&metric=score_range&from=70&to=90");
    expect(s.range).toEqual({ from: 70, to: 90 });
    expect(metricLabel("score_range", s)).toEqual({ key: "pivot.metric.score_range", params: { x: 70, y: 90 } });
    const bad = q("col=subject&metric=score_range&from=90&to=80");
    expect(bad.state === "invalid" && bad.errors).toEqual([{ key: "pivot.err.range_order", params: { x: 90, y: 80 } }]);
    expect(errorsOf("col=subject&metric=score_range&from=80&to=80")).toEqual(["pivot.err.range_order"]);
    expect(errorsOf("col=subject&metric=score_range&from=60&to=200")).toEqual(["pivot.err.range_number"]);
  });

  it("STAT-1: filters take only values the column can hold", () => {
    expect(isFilterValue("gender", "2")).toBe(true);
    expect(isFilterValue("gender", "女")).toBe(false);
    expect(isFilterValue("subject", "14")).toBe(true);
    expect(isFilterValue("subject", "14' or 1=1")).toBe(false);
    expect(isFilterValue("site", "990101")).toBe(true);
    expect(isFilterValue("city", "none")).toBe(true);
    expect(isFilterValue("payment", "none")).toBe(false);
    expect(isFilterValue("grade", "none")).toBe(true);
    expect(isFilterValue("preferred_date", "2027-03-27")).toBe(true);
    expect(errorsOf("col=site&metric=entries&f.channel=walk-in")).toEqual(["pivot.err.filter_value"]);
  });

  it("STAT-1: every preset is a valid request that reads back as itself (one click fills the form)", () => {
    for (const p of PIVOT_PRESETS) expect(specOf(specParams(p.spec).toString()), p.id).toEqual(p.spec);
    expect(new Set(PIVOT_PRESETS.map((p) => p.group))).toEqual(new Set(["registration", "allocation", "other"]));
  });
});

describe("general statistics: 行转列 (STAT-1)", () => {
  it("STAT-1: the query's grouping sets: cells, the totals row, each row's total, the grand total", () => {
    expect(groupingSets({ columns: ["site", "subject"], pivot: ["subject"] })).toEqual([
      ["site", "subject"],
      ["subject"],
      ["site"],
      [],
    ]);
    expect(groupingSets({ columns: ["site"], pivot: [] })).toEqual([["site"], []]);
    expect(groupingSets({ columns: ["subject"], pivot: ["subject"] })).toEqual([["subject"], []]);
    // GROUPING(site, subject): 1 = subject aggregated away, 2 = site, 3 = both.
    expect(groupedColumns(0, 2)).toEqual([true, true]);
    expect(groupedColumns(1, 2)).toEqual([true, false]);
    expect(groupedColumns(2, 2)).toEqual([false, true]);
    expect(groupedColumns(3, 2)).toEqual([false, false]);
  });

  const spec: PivotSpec = {
    columns: ["site", "subject"],
    pivot: ["subject"],
    metrics: ["entries", "candidates"],
    gte: 60,
    range: { from: 60, to: 80 },
    filters: [],
  };
  // Two sites, subjects 14 and 65; candidates are distinct, so totals are not the sums of cells.
  const rows: GroupedRow[] = [
    { keys: ["", ""], mask: 3, values: [6, 4] },
    { keys: ["", "14"], mask: 2, values: [4, 4] },
    { keys: ["", "65"], mask: 2, values: [2, 2] },
    { keys: ["990101", ""], mask: 1, values: [5, 3] },
    { keys: ["990101", "14"], mask: 0, values: [3, 3] },
    { keys: ["990101", "65"], mask: 0, values: [2, 2] },
    { keys: ["990102", ""], mask: 1, values: [1, 1] },
    { keys: ["990102", "14"], mask: 0, values: [1, 1] },
  ];

  it("STAT-1: grouped rows become a table: pivot values across, metrics under each, totals from the database", () => {
    const t = shapePivot(spec, rows);
    expect(t.rowColumns).toEqual(["site"]);
    expect(t.colKeys).toEqual([["14"], ["65"]]);
    expect(t.rows).toEqual([
      { keys: ["990101"], cells: [3, 3, 2, 2], total: [5, 3] },
      // 990102 has no 65: a zero, not a gap.
      { keys: ["990102"], cells: [1, 1, 0, 0], total: [1, 1] },
    ]);
    expect(t.totals).toEqual({ cells: [4, 4, 2, 2], total: [6, 4] });
    expect(t.capped).toBe(false);
  });

  it("STAT-1: without a pivot, one row per group and the grand total", () => {
    const flat: PivotSpec = { ...spec, columns: ["subject"], pivot: [], metrics: ["entries"] };
    const t = shapePivot(flat, [
      { keys: [""], mask: 1, values: [6] },
      { keys: ["65"], mask: 0, values: [2] },
      { keys: ["14"], mask: 0, values: [4] },
    ]);
    expect(t.colKeys).toEqual([[]]);
    expect(t.rows).toEqual([
      { keys: ["14"], cells: [4], total: null },
      { keys: ["65"], cells: [2], total: null },
    ]);
    expect(t.totals).toEqual({ cells: [6], total: null });
  });

  it("STAT-1: two pivot columns with one metric; values in their own order, “none” last", () => {
    const two: PivotSpec = {
      ...spec,
      columns: ["site", "subject", "allocation"],
      pivot: ["subject", "allocation"],
      metrics: ["entries"],
    };
    const t = shapePivot(two, [
      { keys: ["", "", ""], mask: 7, values: [5] },
      { keys: ["", "14", "unseated"], mask: 4, values: [1] },
      { keys: ["", "14", "seated"], mask: 4, values: [4] },
      { keys: ["990101", "", ""], mask: 3, values: [5] },
      { keys: ["990101", "14", "unseated"], mask: 0, values: [1] },
      { keys: ["990101", "14", "seated"], mask: 0, values: [4] },
    ]);
    expect(t.colKeys).toEqual([
      ["14", "seated"],
      ["14", "unseated"],
    ]);
    expect(t.rows).toEqual([{ keys: ["990101"], cells: [4, 1], total: [5] }]);
    expect(compareValues("grade", "none", "excellent")).toBeGreaterThan(0);
    expect(compareValues("grade", "excellent", "fail")).toBeLessThan(0);
    expect(compareValues("preferred_date", "2027-03-28", "none")).toBeLessThan(0);
  });

  it("STAT-1: every data column pivoted: one row that is its own total", () => {
    const all: PivotSpec = { ...spec, columns: ["subject"], pivot: ["subject"], metrics: ["entries"] };
    const t = shapePivot(all, [
      { keys: [""], mask: 1, values: [6] },
      { keys: ["14"], mask: 0, values: [4] },
      { keys: ["65"], mask: 0, values: [2] },
    ]);
    expect(t.rowColumns).toEqual([]);
    expect(t.rows).toEqual([{ keys: [], cells: [4, 2], total: [6] }]);
  });

  it("STAT-1: a cut result leaves out its last, possibly partial, row and says so", () => {
    const t = shapePivot(spec, rows.slice(0, 7), true);
    expect(t.capped).toBe(true);
    expect(t.rows.map((r) => r.keys)).toEqual([["990101"]]);
    expect(t.totals.total).toEqual([6, 4]);
  });

  it("STAT-1: at most COLUMN_CAP pivot combinations are spread across the header", () => {
    const wide: PivotSpec = {
      ...spec,
      columns: ["site", "preferred_date"],
      pivot: ["preferred_date"],
      metrics: ["entries"],
    };
    const days = Array.from({ length: COLUMN_CAP + 5 }, (_, i) =>
      new Date(Date.UTC(2027, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
    );
    const t = shapePivot(wide, [
      ...days.map((day) => ({ keys: ["", day], mask: 2, values: [1] })),
      ...days.map((day) => ({ keys: ["990101", day], mask: 0, values: [1] })),
    ]);
    expect(t.columnsCapped).toBe(true);
    expect(t.colKeys).toHaveLength(COLUMN_CAP);
    expect(t.rows[0].cells).toHaveLength(COLUMN_CAP);
  });
});
