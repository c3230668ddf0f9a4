/**
 * SET-4 capacity arithmetic. 99999 means "unlimited"; a subject capacity of 0 means "not offered";
 * null means "not set yet".
 */
export const UNLIMITED = 99999;
export const MIN_TOTAL = 100;

export type CapacityProblem = "capacity.total_range" | "capacity.subject_range" | "capacity.below_taken";

export function checkTotalCapacity(total: number, taken: number): CapacityProblem | null {
  if (!Number.isInteger(total) || total < MIN_TOTAL || total > UNLIMITED) return "capacity.total_range";
  if (total < taken) return "capacity.below_taken";
  return null;
}

export function checkSubjectCapacity(capacity: number, taken: number): CapacityProblem | null {
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > UNLIMITED) return "capacity.subject_range";
  if (capacity < taken) return "capacity.below_taken";
  return null;
}

/** Seats left; Infinity when unlimited, 0 when not set or not offered. */
export function remaining(capacity: number | null, taken: number): number {
  if (capacity === null || capacity === 0) return 0;
  if (capacity >= UNLIMITED) return Infinity;
  return Math.max(0, capacity - taken);
}

/**
 * How much of a capacity is left (§二十九 4): the one rule by which the setup page colours its rows and
 * the statistics page its remaining-capacity cells.
 */
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

/** The level of a capacity with this many seats left (sums of several sites use it directly). */
export function levelOfRemaining(capacity: number, remaining: number): CapacityLevel {
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
