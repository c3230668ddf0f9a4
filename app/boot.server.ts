import { createDb, migrateToLatest, setDbHandle, getDbHandle, type DbHandle } from "~db/client";
import { seedDemo } from "~db/seed";
import { resumeInlineJobs, runnerMode } from "~jobs/runner";
import { getEnv } from "~/utils/env.server";
import { watchDatabase } from "~/utils/db-health.server";

export interface BootInfo {
  db: DbHandle["kind"];
  jobs: ReturnType<typeof runnerMode>;
  migrated: string[];
  seeded: boolean;
  ms: number;
}

/** Start-up: open the database (PGlite under DATA_DIR unless DATABASE_URL), migrate, seed an empty one. */
export async function boot(opts: { seed?: boolean; runJobs?: boolean } = {}): Promise<BootInfo> {
  const t0 = Date.now();
  const env = getEnv();
  const handle = await createDb({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.dataDir,
    poolMax: env.PG_POOL_MAX,
    prepareThreshold: env.PG_PREPARE_THRESHOLD,
  });
  setDbHandle(handle);
  // Issue 13 item 1: a database that is not up yet (a host restarting with it) is waited for, not a crash.
  await waitForDatabase(handle);
  watchDatabase();
  const migrated = await migrateToLatest(handle.db);
  const seeded = (opts.seed ?? env.SEED_ON_START === "true") ? await seedDemo(handle.db) : false;
  if (opts.runJobs !== false) await resumeInlineJobs();
  return { db: handle.kind, jobs: runnerMode(), migrated, seeded, ms: Date.now() - t0 };
}

async function waitForDatabase(handle: DbHandle) {
  if (!handle.probe) return;
  for (let attempt = 1, delay = 500; ; attempt++, delay = Math.min(delay * 2, 10_000)) {
    try {
      await handle.probe(5_000);
      if (attempt > 1) console.log("[kaowu] database: reachable");
      return;
    } catch (e) {
      console.warn(
        `[kaowu] database: not reachable (${e instanceof Error ? e.message : String(e)}); trying again in ${delay / 1000} s`,
      );
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

export async function shutdown() {
  try {
    await getDbHandle().db.destroy();
  } catch {
    /* not started */
  }
}
