import { boot, shutdown } from "../app/boot.server";

const info = await boot({ seed: false, runJobs: false });
console.log(`[db:migrate] ${info.db}: ${info.migrated.length ? info.migrated.join(", ") : "already up to date"}`);
await shutdown();
