import { describe, expect, it } from "vitest";
import {
  capacityFigure,
  rowsWithCitySubtotals,
  capacityLevel,
  parseExportWhich,
  parseStatsView,
  percent,
  sumByKey,
  sumCapacity,
  sumRows,
} from "./statistics";

describe("statistics", () => {
  it("MGT-6: remaining capacity is coloured by level: full, tight (< 10 % or < 10 seats), some (< 30 %), plenty", () => {
    const cases: Array<[number | null, number, string]> = [
      [160, 160, "full"],
      [160, 170, "full"], // never happens (SET-4), but a negative rest is still full
      [160, 159, "tight"], // 1 left
      [160, 151, "tight"], // 9 left: fewer than 10 seats
      [160, 150, "tight"], // 10 left, under 16 (10 %)
      [160, 144, "some"], // 16 left = 10 %, under 48 (30 %)
      [160, 112, "plenty"], // 48 left = 30 %
      [1000, 901, "tight"], // 99 left < 100 (10 %)
      [1000, 900, "some"], // exactly 10 % left
      [1000, 701, "some"], // 299 left < 300 (30 %)
      [1000, 700, "plenty"], // exactly 30 % left
      [1000, 0, "plenty"],
      [20, 11, "tight"], // 9 seats left, 45 %: fewer than 10 seats wins
      [20, 10, "plenty"], // 10 seats, 50 %
      [5, 0, "tight"], // a capacity under 10 is tight from the start
      [99999, 50000, "plenty"], // unlimited
      [null, 0, "unset"],
      [0, 0, "not_offered"],
    ];
    for (const [capacity, taken, level] of cases)
      expect(capacityLevel(capacity, taken), `${capacity}/${taken}`).toBe(level);
  });

  it("MGT-6: a capacity figure says what is left; unlimited and unset have no number", () => {
    expect(capacityFigure(160, 12)).toEqual({
      capacity: 160,
      taken: 12,
      remaining: 148,
      unlimited: false,
      level: "plenty",
    });
    expect(capacityFigure(99999, 12)).toEqual({
      capacity: null,
      taken: 12,
      remaining: null,
      unlimited: true,
      level: "plenty",
    });
    expect(capacityFigure(null, 0)).toEqual({
      capacity: null,
      taken: 0,
      remaining: null,
      unlimited: false,
      level: "unset",
    });
    expect(capacityFigure(0, 0)).toMatchObject({ capacity: 0, remaining: 0, level: "not_offered" });
  });

  it("MGT-6: sites' capacities add up; one full site does not hide another's free seats", () => {
    const s = sumCapacity([capacityFigure(100, 100), capacityFigure(100, 20), capacityFigure(null, 3)]);
    expect(s).toEqual({ capacity: 200, taken: 123, remaining: 80, unlimited: false, level: "plenty" });
    expect(sumCapacity([capacityFigure(100, 95), capacityFigure(100, 96)]).level).toBe("tight");
    expect(sumCapacity([capacityFigure(100, 50), capacityFigure(99999, 1)])).toMatchObject({
      unlimited: true,
      taken: 51,
      level: "plenty",
    });
    expect(sumCapacity([capacityFigure(null, 0), capacityFigure(null, 0)])).toMatchObject({
      capacity: null,
      level: "unset",
    });
    expect(sumCapacity([capacityFigure(0, 0)])).toMatchObject({ capacity: 0, level: "not_offered" });
    expect(sumCapacity([])).toMatchObject({ capacity: null, taken: 0, level: "unset" });
  });

  it("MGT-6: per-site rows sum into totals; counts by key merge across sites", () => {
    expect(
      sumRows(
        [
          { a: 1, b: 2 },
          { a: 3, b: 4 },
        ],
        ["a", "b"] as const,
      ),
    ).toEqual({ a: 4, b: 6 });
    expect(sumRows([], ["a"] as const)).toEqual({ a: 0 });
    const dates = [
      { d: "2027-03-28", n: 2 },
      { d: "2027-03-27", n: 1 },
      { d: "2027-03-28", n: 5 },
    ];
    expect(
      sumByKey(
        dates,
        (r) => r.d,
        (r) => r.n,
      ),
    ).toEqual([
      { key: "2027-03-27", count: 1 },
      { key: "2027-03-28", count: 7 },
    ]);
  });

  it("MGT-6: shares in per cent with one decimal; none of nothing", () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 2)).toBe(100);
    expect(percent(0, 0)).toBeNull();
  });

  it("MGT-6: the view and export parameters fall back to the first view and to every view", () => {
    expect(parseStatsView("capacity")).toBe("capacity");
    expect(parseStatsView("nonsense")).toBe("entries");
    expect(parseStatsView(null)).toBe("entries");
    expect(parseExportWhich("payments")).toBe("payments");
    expect(parseExportWhich("all")).toBe("all");
    expect(parseExportWhich(null)).toBe("all");
  });
});

describe("city subtotals in exports (issue 15 item 9)", () => {
  const rows = [
    { city: "A", code: "1", n: 2, fee: 10.5, cap: 100 },
    { city: "A", code: "2", n: 3, fee: 0.25, cap: "unlimited" },
    { city: "B", code: "3", n: 1, fee: 7, cap: 50 },
  ];
  const cells = (r: (typeof rows)[number]) => [r.code, "name", r.n, r.fee, r.cap];
  it("MGT-6: each city's rows are followed by its subtotal; only all-number columns are summed, money to the fen", () => {
    const out = rowsWithCitySubtotals(rows, (r) => r.city, cells, { lead: 2, label: (c) => `${c} subtotal` });
    expect(out).toEqual([
      { cells: ["1", "name", 2, 10.5, 100], subtotal: false },
      { cells: ["2", "name", 3, 0.25, "unlimited"], subtotal: false },
      { cells: ["A subtotal", "", 5, 10.75, ""], subtotal: true },
      { cells: ["3", "name", 1, 7, 50], subtotal: false },
      { cells: ["B subtotal", "", 1, 7, 50], subtotal: true },
    ]);
  });
  it("MGT-6: one city alone needs no subtotal (the total says it)", () => {
    const one = rowsWithCitySubtotals(rows.slice(0, 2), (r) => r.city, cells, { lead: 2, label: String });
    expect(one.every((r) => !r.subtotal)).toBe(true);
  });
});
