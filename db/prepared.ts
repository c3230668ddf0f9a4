// Decision 0053: statements a process sends often are prepared on each PostgreSQL connection, so the
// server parses and plans them once per connection instead of once per request (pgjdbc's
// prepareThreshold, with its bounded cache). Kysely's PostgreSQL driver sends every query as an
// unnamed statement; this wraps each pooled client's `query` to name the frequent ones.

/** How statements are chosen: texts seen `threshold` times in this process, at most `perConnection` on one connection. */
export interface PrepareOptions {
  /** Uses of a text (process-wide) before it is prepared; 0 turns preparing off. */
  threshold: number;
  /** Named statements one connection keeps at most (the server holds each one's plan). */
  perConnection: number;
  /** Distinct texts counted at most; beyond this new texts are never prepared (dynamic SQL). */
  maxCounted: number;
  /**
   * Statements with more values than this are never prepared: bulk work (a chunk of 500 ID numbers
   * in an IN list, a 1,000-row insert), where planning is small next to running, and where a generic
   * plan, blind to the list, filters every row of a site against it instead of probing an index
   * (the photo import's lookups: 50–160 ms a chunk instead of a few).
   */
  maxValues: number;
}

export const DEFAULT_PREPARE: PrepareOptions = { threshold: 3, perConnection: 256, maxCounted: 10_000, maxValues: 64 };

/** Process-wide: how often each statement text was sent. */
export function statementCounter(opts: PrepareOptions = DEFAULT_PREPARE) {
  const counts = new Map<string, number>();
  return (text: string): number => {
    const n = (counts.get(text) ?? 0) + 1;
    if (n > 1 || counts.size < opts.maxCounted) counts.set(text, n);
    return n;
  };
}

interface QueryableClient {
  query: (...args: never[]) => unknown;
}

/**
 * Makes `client` send texts seen often as named statements. Only `query(text, values)` with at least
 * one value is affected (what Kysely sends); statements without values (BEGIN, COMMIT, a migration's
 * script) keep the simple protocol, and callbacks, configs and streams pass through untouched.
 */
export function prepareFrequentStatements(
  client: QueryableClient,
  count: (text: string) => number,
  opts: PrepareOptions = DEFAULT_PREPARE,
): void {
  if (opts.threshold <= 0) return;
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  const names = new Map<string, string>();
  let made = 0;
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    if (
      args.length === 2 &&
      typeof text === "string" &&
      Array.isArray(values) &&
      values.length > 0 &&
      values.length <= opts.maxValues
    ) {
      let name = names.get(text);
      if (name === undefined && count(text) >= opts.threshold && names.size < opts.perConnection) {
        name = `kaowu_${++made}`;
        names.set(text, name);
      }
      if (name !== undefined) {
        const out = original({ name, text, values });
        // A table it reads changed shape (a migration by another process): this use fails, the next
        // one prepares the text afresh under a new name.
        if (out instanceof Promise)
          out.catch((e: unknown) => {
            if (isStalePlan(e) && names.get(text) === name) names.delete(text);
          });
        return out;
      }
    }
    return original(...args);
  }) as QueryableClient["query"];
}

/** PostgreSQL's refusal to run a prepared statement whose result columns changed since it was planned. */
export function isStalePlan(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  return err?.code === "0A000" && typeof err.message === "string" && err.message.includes("cached plan");
}
