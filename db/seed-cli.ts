import { boot, shutdown } from "../app/boot.server";
import { getDb } from "./client";
import { seedDemo, truncateAll, DEMO_PASSWORD } from "./seed";

const reset = process.argv.includes("--reset");
const info = await boot({ seed: false, runJobs: false });
if (reset) await truncateAll(getDb());
const seeded = await seedDemo(getDb());
console.log(
  seeded
    ? `[db:seed] ${info.db}: demo data written (password for every demo account: ${DEMO_PASSWORD})`
    : `[db:seed] ${info.db}: the database already has data; use "npm run db:seed -- --reset" to start over`,
);
await shutdown();
