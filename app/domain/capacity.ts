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

/** How full a capacity is, for colouring: ok below 80 %, low below 100 %, full at 100 %. */
export function fillLevel(capacity: number | null, taken: number): "unset" | "closed" | "ok" | "low" | "full" {
  if (capacity === null) return "unset";
  if (capacity === 0) return "closed";
  if (capacity >= UNLIMITED) return "ok";
  const r = taken / capacity;
  return r >= 1 ? "full" : r >= 0.8 ? "low" : "ok";
}
