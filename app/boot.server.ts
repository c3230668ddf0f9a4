import { createDb, migrateToLatest, setDbHandle, getDbHandle, type DbHandle } from "~db/client";
import { seedDemo } from "~db/seed";
import { resumeInlineJobs, runnerMode } from "~jobs/runner";
import { getEnv } from "~/utils/env.server";

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
  const handle = await createDb({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir, poolMax: env.PG_POOL_MAX });
  setDbHandle(handle);
  const migrated = await migrateToLatest(handle.db);
  const seeded = (opts.seed ?? env.SEED_ON_START === "true") ? await seedDemo(handle.db) : false;
  if (opts.runJobs !== false) await resumeInlineJobs();
  return { db: handle.kind, jobs: runnerMode(), migrated, seeded, ms: Date.now() - t0 };
}

export async function shutdown() {
  try {
    await getDbHandle().db.destroy();
  } catch {
    /* not started */
  }
}
