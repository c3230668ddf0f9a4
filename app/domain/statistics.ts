import { UNLIMITED } from "./capacity";

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

/** How much of a capacity is left; the remaining-capacity cell is coloured by it (§二十九 4). */
export type CapacityLevel = "full" | "tight" | "some" | "plenty";
/** A level, or why there is none: capacity not set yet (null), or 0 = subject not offered (SET-4). */
export type CapacityState = CapacityLevel | "unset" | "not_offered";

/** The levels from least to most room, for the legend. */
export const CAPACITY_LEVELS: readonly CapacityLevel[] = ["full", "tight", "some", "plenty"];

/** Below this many seats left a capacity is "tight" whatever its size. */
export const TIGHT_SEATS = 10;
/** Below this share of the capacity left: "tight". */
export const TIGHT_SHARE = 0.1;
/** Below this share of the capacity left: "some" (else "plenty"). */
export const SOME_SHARE = 0.3;

function levelOfRemaining(capacity: number, remaining: number): CapacityLevel {
  if (remaining <= 0) return "full";
  if (remaining < capacity * TIGHT_SHARE || remaining < TIGHT_SEATS) return "tight";
  if (remaining < capacity * SOME_SHARE) return "some";
  return "plenty";
}

/**
 * The level of one capacity, with remaining = capacity − taken:
 * - `full`   remaining ≤ 0;
 * - `tight`  remaining < 10 % of the capacity, or fewer than 10 seats;
 * - `some`   remaining < 30 % of the capacity;
 * - `plenty` otherwise, and always for an unlimited capacity (99999).
 * `unset` when no capacity is set (null), `not_offered` for a capacity of 0.
 */
export function capacityLevel(capacity: number | null, taken: number): CapacityState {
  if (capacity === null) return "unset";
  if (capacity === 0) return "not_offered";
  if (capacity >= UNLIMITED) return "plenty";
  return levelOfRemaining(capacity, capacity - taken);
}

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
  if (figures.some((f) => f.unlimited)) return { capacity: null, taken, remaining: null, unlimited: true, level: "plenty" };
  const set = figures.filter((f) => f.capacity !== null);
  if (set.length === 0) return { capacity: null, taken, remaining: null, unlimited: false, level: "unset" };
  const capacity = set.reduce((a, f) => a + (f.capacity ?? 0), 0);
  const remaining = set.reduce((a, f) => a + (f.remaining ?? 0), 0);
  const level: CapacityState = capacity === 0 ? "not_offered" : levelOfRemaining(capacity, remaining);
  return { capacity, taken, remaining, unlimited: false, level };
}

/** Adds up the named numeric fields of per-site rows (a superior's totals). */
export function sumRows<K extends string>(rows: ReadonlyArray<Readonly<Record<K, number>>>, keys: readonly K[]): Record<K, number> {
  const total = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const row of rows) for (const k of keys) total[k] += row[k] ?? 0;
  return total;
}

/** Adds up counts by key (e.g. subject code, preferred date) over several sites; keys sorted. */
export function sumByKey<R>(rows: readonly R[], key: (r: R) => string, count: (r: R) => number): Array<{ key: string; count: number }> {
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
