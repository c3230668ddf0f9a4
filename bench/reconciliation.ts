import { childEnv, createScratchDb, dropScratchDbs, postgresReachable, runChild } from "./children";
import { tempDataDir } from "./server";
import fs from "node:fs";
import path from "node:path";

// Part of `npm run bench -- statistics` (issue 20, FIN-2): reconciling 100,000 payments against the
// simulated gateway's ledger on PostgreSQL, next to one SQL full join naming the same differences.
// Target: < 10 s. Figures only.
//
// BENCH_RECONCILE_PAYMENTS  payments (default 100000)

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export async function reconciliationBench() {
  const n = Number(process.env.BENCH_RECONCILE_PAYMENTS ?? 100_000);
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  console.log(`\n[reconciliation] ${n.toLocaleString("en-US")} payments on PostgreSQL`);
  if (!(await postgresReachable(adminUrl))) return;
  const dir = tempDataDir();
  try {
    const url = await createScratchDb(adminUrl, "kaowu_bench_reconcile");
    const r = await runChild(
      "bench/reconciliation-child.ts",
      "reconciliation",
      [String(n)],
      600_000,
      childEnv({ DATABASE_URL: url, DATA_DIR: path.join(dir, "data") }),
    );
    const s = (x: unknown) => `${(Number(x) / 1000).toFixed(2)} s`;
    console.log(
      `  bare (one SQL full join, differences counted): ${s(r.bareMs)}  ${Number(r.bareDifferences).toLocaleString("en-US")} differences`,
    );
    console.log(
      `  app reconciliation (ledger paged, stored, matched, differences stored): ${s(r.appMs)}  ${Number(r.records).toLocaleString("en-US")} gateway records, ${Number(r.differences).toLocaleString("en-US")} differences (target < 10 s)`,
    );
  } finally {
    await dropScratchDbs("reconcile");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
