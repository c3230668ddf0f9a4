// What a database error means, in one place.

/** A unique constraint refused the write (SQLSTATE 23505); with `constraint`, that one only. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (!err || typeof err !== "object" || err.code !== "23505") return false;
  if (!constraint) return true;
  // PGlite does not always fill `constraint`; its message names it.
  return (
    err.constraint === undefined ||
    err.constraint === constraint ||
    (typeof err.message === "string" && err.message.includes(constraint))
  );
}

/**
 * Decision 0051: a capacity written below the seats its shards have handed out (SQLSTATE 23514, as
 * the CHECK it replaced), raised by `seat_capacity_set` under the shards' locks.
 */
export function isCapacityBelowTaken(e: unknown): boolean {
  const err = e as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (!err || typeof err !== "object" || err.code !== "23514") return false;
  return (
    err.constraint === "seat_capacity_below_taken" ||
    (typeof err.message === "string" && /^capacity \d+ below the \d+ seats taken/.test(err.message))
  );
}

/**
 * Decision 0060: the counters short (the site total `*`, subject codes) when a statement failed in
 * `seat_change_or_fail` (migration 0036, SQLSTATE KW409); undefined for any other error.
 */
export function seatsShortOfError(e: unknown): string[] | undefined {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (!err || typeof err !== "object" || err.code !== "KW409" || typeof err.message !== "string") return undefined;
  return err.message.split(",");
}

// Issue 13 item 1: which errors mean "the database is away" (a restart, a failover, a terminated
// connection, a refused or timed-out connect), as opposed to a query the database refused. Those
// answer 503 with a retry and start the health probe; every other error stays a 500.

/** SQLSTATE classes and codes of a lost or refused connection (PostgreSQL appendix A). */
const UNAVAILABLE_CODES = new Set([
  "57P01", // admin_shutdown: pg_terminate_backend, a fast shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up, shutting down, in recovery
  "53300", // too_many_connections
  "3D000", // invalid_catalog_name: the database is not there (yet)
]);

/** Errors of the socket under the driver. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNABORTED",
]);

/** Messages node-postgres and pg-pool throw without a code. */
const DRIVER_MESSAGES = [
  "connection terminated",
  "timeout exceeded when trying to connect",
  "is not queryable",
  "not currently accepting connections",
  "client was closed and is not queryable",
  "connection ended",
];

export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== "object" || depth > 3) return false;
  const err = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof err.code === "string" ? err.code : "";
  if (code.startsWith("08") || UNAVAILABLE_CODES.has(code) || NETWORK_CODES.has(code)) return true;
  // 55000 is also "object not in prerequisite state" for queries: only the connect refusal counts.
  const message = typeof err.message === "string" ? err.message.toLowerCase() : "";
  if (DRIVER_MESSAGES.some((m) => message.includes(m))) return true;
  // AggregateError (several addresses refused), and errors wrapped by a caller.
  if (Array.isArray(err.errors) && err.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(err.cause, depth + 1);
}
