import { boot, shutdown } from "../app/boot.server";
import { getEnv } from "../app/utils/env.server";
import { closeRunner, startBullWorker } from "./runner";
import { startScheduler, stopScheduler } from "./scheduler";

// Separate workers need a shared queue and a shared database: PGlite is one process per data folder.
if (!getEnv().REDIS_URL || !getEnv().DATABASE_URL) {
  console.error(
    "[worker] npm run worker needs REDIS_URL and DATABASE_URL; without them jobs run inside the web process.",
  );
  process.exit(1);
}
const info = await boot({ seed: false, runJobs: false });
await startBullWorker(getEnv().WORKER_CONCURRENCY);
// CAN-8: the release of unpaid holds and payment reconciliation, as Bull repeatable jobs.
await startScheduler();
console.log(`[worker] processing jobs (${info.db}, bull)`);
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, async () => {
    await stopScheduler();
    await closeRunner();
    await shutdown();
    process.exit(0);
  });
}
