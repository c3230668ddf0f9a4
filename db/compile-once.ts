import type { Compilable, CompiledQuery, Kysely, Transaction } from "kysely";
import { createQueryId } from "kysely";
import type { DB } from "./schema";

// X-7 (issue 21 item 2, decision 0049): the hot path's queries built by Kysely's query builder once
// per process. Building and compiling a query of twenty columns and a few joins costs Kysely about
// 0.1 ms of CPU each time (its reference parsing and node visiting were ≈ 9 % of the server's CPU
// under the registration benchmark); the SQL text of these queries never changes, only their values.

const SLOT = Symbol("compile-once slot");
type Slot = { readonly [SLOT]: number };
const isSlot = (v: unknown): v is Slot => typeof v === "object" && v !== null && SLOT in v;

type Q = Kysely<DB> | Transaction<DB>;

/**
 * A query whose SQL text does not depend on its arguments' values: `build` is run once with
 * placeholders to learn where each argument goes, and every later call only puts the values in.
 * Every argument must be used as a plain value (compared, inserted, passed to a function), never to
 * choose the query's shape (an `if`, a list's length, `sql.lit`); the first call checks that by
 * building the query with the real values too and comparing.
 */
export function compileOnce<A extends unknown[], R>(
  build: (db: Q, ...args: A) => Compilable<R>,
): (db: Q, ...args: A) => CompiledQuery<R> {
  let shape: { sql: string; query: CompiledQuery<R>["query"]; params: Array<Slot | { value: unknown }> } | null = null;
  const fill = (args: A): unknown[] =>
    shape!.params.map((p) => (isSlot(p) ? args[p[SLOT]] : (p as { value: unknown }).value));
  return (db, ...args) => {
    if (!shape) {
      const slots = args.map((_, i) => ({ [SLOT]: i }) as Slot);
      let c: CompiledQuery<R>;
      try {
        c = build(db, ...(slots as unknown as A)).compile();
      } catch (e) {
        throw new Error("compileOnce: the query's text or parameters depend on its arguments' values", { cause: e });
      }
      shape = { sql: c.sql, query: c.query, params: c.parameters.map((p) => (isSlot(p) ? p : { value: p })) };
      const real = build(db, ...args).compile();
      const filled = fill(args);
      if (
        real.sql !== shape.sql ||
        real.parameters.length !== filled.length ||
        real.parameters.some((p, i) => p !== filled[i])
      ) {
        shape = null;
        throw new Error("compileOnce: the query's text or parameters depend on its arguments' values");
      }
    }
    return { query: shape.query, queryId: createQueryId(), sql: shape.sql, parameters: fill(args) };
  };
}
