import type { Client, QueryConfig } from "pg";
import { sql } from "kysely";
import { getDb, getDbHandle } from "~db/client";
import { ADVISORY_LOCK } from "~db/queries/locks";
import { getEnv } from "~/utils/env.server";

// Decision 0047: what several web processes on one PostgreSQL database agree on, through session
// advisory locks held on one connection of each process's own (outside the pool: a pool busy with the
// registration rush never holds it up, and PG_POOL_MAX stays whole for requests):
// - presence (ADVISORY_LOCK.webProcesses, shared): a process that starts while no other holds it is
//   the only one up, so the jobs the database still calls "running" were interrupted and may start again;
// - leadership (ADVISORY_LOCK.scheduler, exclusive): the one process that runs the scheduled tasks.
// A process that dies, or loses its connection, loses both locks with it, and another takes over.
// PGlite is one process (decision 0002): nothing here is used with it.

/** A query on the coordination connection that does not answer in this time ends the connection (and its locks). */
const QUERY_TIMEOUT_MS = 10_000;
/** Joining may wait while a process that started alone puts its orphaned jobs back in the queue. */
const JOIN_TIMEOUT_MS = 60_000;

/** pg reads a per-query time limit (its typings do not say so). */
type TimedQuery = QueryConfig & { query_timeout: number };

export class Coordinator {
  #client: Client | undefined;
  #connecting: Promise<Client> | undefined;
  #joined = false;
  #leader = false;
  #closed = false;

  constructor(
    private readonly connectionString: () => Promise<string>,
    private readonly log: (message: string) => void = (m) => console.log(m),
  ) {}

  /** Whether this process holds the scheduler lock (as far as it knows: `lead()` checks). */
  get isLeader() {
    return this.#leader;
  }

  async #connection(): Promise<Client> {
    if (this.#closed) throw new Error("coordination closed");
    if (this.#client) return this.#client;
    this.#connecting ??= (async () => {
      const { default: pg } = await import("pg");
      const client = new pg.Client({
        connectionString: await this.connectionString(),
        connectionTimeoutMillis: 5_000,
        query_timeout: QUERY_TIMEOUT_MS,
        keepAlive: true,
        application_name: "kaowu coordination",
      });
      // Without a listener a dropped connection would end the process; here it only ends the locks.
      client.on("error", (e) => this.#drop(client, e));
      client.on("end", () => this.#drop(client));
      try {
        await client.connect();
        // A process that had joined and lost its connection is present again (it does not count as alone).
        if (this.#joined) {
          const rejoin: TimedQuery = {
            text: "select pg_advisory_lock_shared($1, 0)",
            values: [ADVISORY_LOCK.webProcesses],
            query_timeout: JOIN_TIMEOUT_MS,
          };
          await client.query(rejoin);
        }
      } catch (e) {
        await client.end().catch(() => {});
        throw e;
      }
      this.#client = client;
      return client;
    })().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  /** The connection is gone (or no longer trusted): so are its locks. */
  #drop(client: Client, e?: unknown) {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => {});
    if (this.#leader) {
      this.#leader = false;
      if (!this.#closed)
        this.log(
          `[kaowu] scheduled tasks: process ${process.pid} stopped running them (coordination connection lost${e instanceof Error ? `: ${e.message}` : ""})`,
        );
    }
  }

  async #query<T>(text: string, values: unknown[] = [], timeoutMs = QUERY_TIMEOUT_MS): Promise<T[]> {
    const client = await this.#connection();
    try {
      const q: TimedQuery = { text, values, query_timeout: timeoutMs };
      return (await client.query(q)).rows as T[];
    } catch (e) {
      this.#drop(client, e);
      throw e;
    }
  }

  /**
   * At start-up: this process is one of the web processes from now on. `whenAlone` runs first when no
   * other process is up, and no other can join until it has finished. Returns whether it was alone.
   */
  async join(whenAlone?: () => Promise<void>): Promise<boolean> {
    const key = ADVISORY_LOCK.webProcesses;
    try {
      const [{ alone }] = await this.#query<{ alone: boolean }>("select pg_try_advisory_lock($1, 0) as alone", [key]);
      try {
        if (alone && whenAlone) await whenAlone();
      } finally {
        // Shared from now on; taken before the exclusive lock is let go, so no one starts alone in between.
        await this.#query("select pg_advisory_lock_shared($1, 0)", [key], JOIN_TIMEOUT_MS);
        if (alone) await this.#query("select pg_advisory_unlock($1, 0)", [key]);
      }
      return alone;
    } finally {
      // Present from now on, even if this failed half-way: a new connection takes the shared lock again.
      this.#joined = true;
    }
  }

  /**
   * Whether this process runs the scheduled tasks now: it keeps the scheduler lock while its connection
   * answers, or takes it when no process holds it (the holder stopped, died or lost its connection).
   */
  async lead(): Promise<boolean> {
    try {
      if (this.#leader) {
        await this.#query("select 1");
        return this.#leader;
      }
      const [{ got }] = await this.#query<{ got: boolean }>("select pg_try_advisory_lock($1, 0) as got", [
        ADVISORY_LOCK.scheduler,
      ]);
      if (got && !this.#leader) {
        this.#leader = true;
        this.log(`[kaowu] scheduled tasks: run by this process (pid ${process.pid}) until it stops`);
      }
      return got;
    } catch {
      // The connection is gone: the lock went with it. The next tick tries again.
      return false;
    }
  }

  /** Lets another process run the scheduled tasks (the scheduler stops). */
  async resign(): Promise<void> {
    if (!this.#leader) return;
    this.#leader = false;
    await this.#query("select pg_advisory_unlock($1, 0)", [ADVISORY_LOCK.scheduler]).catch(() => {});
  }

  /** Ends the connection: this process is no longer present nor leading. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#leader = false;
    const pending = this.#connecting;
    const client = this.#client ?? (await pending?.catch(() => undefined));
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}

/** `url` naming `database` instead of its own (the same server and credentials). */
export function sameServer(url: string, database: string): string {
  const u = new URL(url);
  if (decodeURIComponent(u.pathname.replace(/^\//, "")) === database) return url;
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

const KEY = Symbol.for("kaowu.coordination");
type G = typeof globalThis & { [KEY]?: Coordinator };

/**
 * This process's coordinator on PostgreSQL (undefined with PGlite). Its connection goes to the database
 * the pool uses (DATABASE_URL's server; the database the pool is on, which tests give each file its own).
 */
export function coordination(): Coordinator | undefined {
  if (getDbHandle().kind !== "postgres") return undefined;
  const g = globalThis as G;
  g[KEY] ??= new Coordinator(async () => {
    const url = getEnv().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(getDb());
    return sameServer(url, rows[0].db);
  });
  return g[KEY];
}

/** Shutdown (and the end of a test file): the coordination connection is closed, if one was opened. */
export async function closeCoordination() {
  const g = globalThis as G;
  const c = g[KEY];
  g[KEY] = undefined;
  await c?.close();
}
