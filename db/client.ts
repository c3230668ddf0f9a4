import fs from "node:fs";
import path from "node:path";
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationProvider } from "kysely";
import type { PGlite } from "@electric-sql/pglite";
import type { DB } from "./schema";
import { migrations } from "./migrations/index";
import { DEFAULT_PREPARE, prepareFrequentStatements, statementCounter } from "./prepared";

export type DbKind = "pglite" | "postgres";
export interface DbHandle {
  db: Kysely<DB>;
  kind: DbKind;
  pglite?: PGlite;
  /**
   * PostgreSQL: opens one connection of its own and runs `select 1`; rejects if the database cannot
   * be reached. Outside the pool, so a pool busy with the registration rush never looks like an outage.
   */
  probe?: (timeoutMs?: number) => Promise<void>;
}

// Both backends must return the same JS types: int8 and counts as numbers, dates as 'YYYY-MM-DD' strings.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

export interface CreateDbOptions {
  databaseUrl?: string;
  dataDir?: string;
  poolMax?: number;
  /** PostgreSQL: how long a new connection may take before the query fails (ms). */
  connectTimeoutMs?: number;
  /** An already-open PGlite (tests load a snapshot into one). */
  pglite?: PGlite;
  /** PostgreSQL: uses of a statement before each connection prepares it (decision 0053); 0 never. */
  prepareThreshold?: number;
}

export async function createDb(opts: CreateDbOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const pg = await import("pg");
    const Pool = pg.default.Pool;
    const types = pg.default.types;
    const pool = new Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolMax ?? 20,
      // A database host that does not answer must not hold a request (or a pool slot) forever.
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") => {
          if (oid === INT8) return (v: string) => Number(v);
          if (oid === DATE) return (v: string) => v;
          if (oid === NUMERIC) return (v: string) => Number(v);
          return types.getTypeParser(oid, format as "text");
        }) as typeof types.getTypeParser,
      },
    });
    // Issue 13 item 1: a connection the server ends (a restart, a failover, pg_terminate_backend)
    // emits "error" on its client, idle or checked out; without a listener Node ends the process.
    // The pool drops the broken client and opens a new one on the next query; the health tracker
    // (app/utils/db-health.server.ts) is told so it can probe and answer 503 while the database is away.
    pool.on("error", (e) => reportConnectionError(e));
    const prepare = { ...DEFAULT_PREPARE, threshold: opts.prepareThreshold ?? DEFAULT_PREPARE.threshold };
    const count = statementCounter(prepare);
    pool.on("connect", (client) => {
      client.on("error", (e) => reportConnectionError(e));
      prepareFrequentStatements(client, count, prepare);
    });
    const connectionString = opts.databaseUrl;
    const probe = async (timeoutMs = 2_000) => {
      const client = new pg.default.Client({
        connectionString,
        connectionTimeoutMillis: timeoutMs,
        query_timeout: timeoutMs,
      });
      client.on("error", () => {
        /* answered through connect/query */
      });
      try {
        await client.connect();
        await client.query("select 1");
      } finally {
        await client.end().catch(() => {});
      }
    };
    return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), kind: "postgres", probe };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGliteDialect } = await import("kysely-pglite-dialect");
  let pglite = opts.pglite;
  if (!pglite) {
    const dir = path.resolve(opts.dataDir ?? "./data", "pglite");
    fs.mkdirSync(dir, { recursive: true });
    pglite = await PGlite.create(dir, { parsers: pgliteParsers });
  }
  return { db: new Kysely<DB>({ dialect: new PGliteDialect(pglite) }), kind: "pglite", pglite };
}

export const pgliteParsers = {
  [INT8]: (v: string) => Number(v),
  [DATE]: (v: string) => v,
  [NUMERIC]: (v: string) => Number(v),
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

// Connection errors go to whoever listens (the health tracker); one listener per process.
const ERR_KEY = Symbol.for("kaowu.db.connectionErrorListener");
type GE = typeof globalThis & { [ERR_KEY]?: (e: unknown) => void };

export function onConnectionError(listener: ((e: unknown) => void) | undefined) {
  (globalThis as GE)[ERR_KEY] = listener;
}

function reportConnectionError(e: unknown) {
  const listener = (globalThis as GE)[ERR_KEY];
  if (listener) listener(e);
  else console.warn("[db] connection error:", e instanceof Error ? e.message : e);
}

// One handle per process: the Remix bundle and server.ts load this module separately, and PGlite
// must never be opened twice on one folder (a second instance silently loses writes).
const KEY = Symbol.for("kaowu.db");
type G = typeof globalThis & { [KEY]?: DbHandle };

export function setDbHandle(handle: DbHandle | undefined) {
  (globalThis as G)[KEY] = handle;
}

export function getDbHandle(): DbHandle {
  const h = (globalThis as G)[KEY];
  if (!h) throw new Error("Database not initialised: call initDb() at start-up");
  return h;
}

export function getDb(): Kysely<DB> {
  return getDbHandle().db;
}
