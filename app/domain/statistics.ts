import { UNLIMITED, capacityLevel, levelOfRemaining, type CapacityState } from "./capacity";

/**
 * MGT-6 registration statistics (manual §二十八, §二十九): pure arithmetic over the per-site rows
 * that db/queries/statistics.ts aggregates in SQL. Sums for a superior are sums of its sites' rows.
 */

export const STATS_VIEWS = ["entries", "payments", "candidates", "capacity"] as const;
export type StatsView = (typeof STATS_VIEWS)[number];

export function parseStatsView(value: string | null | undefined): StatsView {
  return (STATS_VIEWS as readonly string[]).includes(value ?? "") ? (value as StatsView) : "entries";
}

/** The export's `?view=`: one view, or every view (anything else). */
export function parseExportWhich(value: string | null | undefined): StatsView | "all" {
  return (STATS_VIEWS as readonly string[]).includes(value ?? "") ? (value as StatsView) : "all";
}

// One capacity-level rule for every page (the setup page and the statistics page): app/domain/capacity.ts.
export { CAPACITY_LEVELS, capacityLevel, type CapacityLevel, type CapacityState } from "./capacity";

/** A capacity as shown: null = not set; `unlimited` = 99999 (or, summed, any site unlimited). */
export interface CapacityFigure {
  capacity: number | null;
  taken: number;
  /** Seats left (never negative); null when not set or unlimited. */
  remaining: number | null;
  unlimited: boolean;
  level: CapacityState;
}

export function capacityFigure(capacity: number | null, taken: number): CapacityFigure {
  const unlimited = capacity !== null && capacity >= UNLIMITED;
  return {
    capacity: unlimited ? null : capacity,
    taken,
    remaining: capacity === null || unlimited ? null : Math.max(0, capacity - taken),
    unlimited,
    level: capacityLevel(capacity, taken),
  };
}

/**
 * Several sites' capacities as one: capacities, seats taken and seats left add up (a site's seats
 * left are its own, so one full site does not hide another's free seats). Sites without a capacity
 * add only what they took; if none has one, the sum has none either. One unlimited site makes the
 * sum unlimited. The level is that of the summed capacity and seats left.
 */
export function sumCapacity(figures: readonly CapacityFigure[]): CapacityFigure {
  const taken = figures.reduce((a, f) => a + f.taken, 0);
  if (figures.some((f) => f.unlimited))
    return { capacity: null, taken, remaining: null, unlimited: true, level: "plenty" };
  const set = figures.filter((f) => f.capacity !== null);
  if (set.length === 0) return { capacity: null, taken, remaining: null, unlimited: false, level: "unset" };
  const capacity = set.reduce((a, f) => a + (f.capacity ?? 0), 0);
  const remaining = set.reduce((a, f) => a + (f.remaining ?? 0), 0);
  const level: CapacityState = capacity === 0 ? "not_offered" : levelOfRemaining(capacity, remaining);
  return { capacity, taken, remaining, unlimited: false, level };
}

/** Adds up the named numeric fields of per-site rows (a superior's totals). */
export function sumRows<K extends string>(
  rows: ReadonlyArray<Readonly<Record<K, number>>>,
  keys: readonly K[],
): Record<K, number> {
  const total = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const row of rows) for (const k of keys) total[k] += row[k] ?? 0;
  return total;
}

/** Adds up counts by key (e.g. subject code, preferred date) over several sites; keys sorted. */
export function sumByKey<R>(
  rows: readonly R[],
  key: (r: R) => string,
  count: (r: R) => number,
): Array<{ key: string; count: number }> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + count(r));
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, count]) => ({ key: k, count }));
}

/** A share in per cent with one decimal; null when there is nothing to share. */
export function percent(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/** Rows grouped by a key, in first-seen order. */
export function groupBy<R, K>(rows: readonly R[], key: (r: R) => K): Map<K, R[]> {
  const m = new Map<K, R[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/**
 * Issue 15 item 9: the per-site rows of an export with each city's subtotal after its sites (when
 * there is more than one city). `lead` cells (code, name) hold the subtotal's label; a column is
 * summed only where every site's cell is a number (a capacity of "unlimited" has no sum).
 */
export function rowsWithCitySubtotals<R>(
  rows: readonly R[],
  cityOf: (r: R) => string | null,
  cells: (r: R) => Array<string | number>,
  opts: { lead: number; label: (city: string | null) => string },
): Array<{ cells: Array<string | number>; subtotal: boolean }> {
  const byCity = groupBy(rows, cityOf);
  const out: Array<{ cells: Array<string | number>; subtotal: boolean }> = [];
  for (const [city, cityRows] of byCity) {
    const table = cityRows.map(cells);
    for (const c of table) out.push({ cells: c, subtotal: false });
    if (byCity.size < 2) continue;
    const width = Math.max(0, ...table.map((c) => c.length));
    const sum: Array<string | number> = [opts.label(city)];
    for (let i = 1; i < width; i++) {
      const column = table.map((c) => c[i]);
      const numbers = i >= opts.lead && column.every((v) => typeof v === "number");
      // Money is in yuan with two decimals: keep the sum to the fen.
      sum.push(numbers ? Math.round((column as number[]).reduce((a, b) => a + b, 0) * 100) / 100 : "");
    }
    out.push({ cells: sum, subtotal: true });
  }
  return out;
}
