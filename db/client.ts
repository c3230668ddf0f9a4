import fs from "node:fs";
import path from "node:path";
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationProvider } from "kysely";
import type { PGlite } from "@electric-sql/pglite";
import type { DB } from "./schema";
import { migrations } from "./migrations/index";

export type DbKind = "pglite" | "postgres";
export interface DbHandle {
  db: Kysely<DB>;
  kind: DbKind;
  pglite?: PGlite;
}

// Both backends must return the same JS types: int8 and counts as numbers, dates as 'YYYY-MM-DD' strings.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

export interface CreateDbOptions {
  databaseUrl?: string;
  dataDir?: string;
  poolMax?: number;
  /** An already-open PGlite (tests load a snapshot into one). */
  pglite?: PGlite;
}

export async function createDb(opts: CreateDbOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const pg = await import("pg");
    const Pool = pg.default.Pool;
    const types = pg.default.types;
    const pool = new Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolMax ?? 20,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") => {
          if (oid === INT8) return (v: string) => Number(v);
          if (oid === DATE) return (v: string) => v;
          if (oid === NUMERIC) return (v: string) => Number(v);
          return types.getTypeParser(oid, format as "text");
        }) as typeof types.getTypeParser,
      },
    });
    return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), kind: "postgres" };
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
