import fs from "node:fs";
import path from "node:path";
import { childEnv, createScratchDb, dropScratchDbs, postgresReachable, runChild } from "./children";
import { mb, ms, summary, tempDataDir } from "./server";
import { compliantPhoto } from "../tests/fixtures/photos";

// npm run bench -- scores
//
// Issue 19 (SCO-1, SCO-3) on PostgreSQL: importing a 100,000-row GB18030 score file through the
// app's import (read, type, check against the registrations, write all or nothing) next to the bare
// pipeline on the same file in the same process (iconv-lite → csv-parse → COPY); then the score
// statistics of a province with those 100,000 scores. Targets: app ≤ 1.5× bare, bare ≥ 50,000
// rows/s, statistics p95 < 150 ms. Figures only.
//
// BENCH_SCORES_ROWS    rows (default 100000)
// BENCH_SCORES_REPEAT  statistics runs (default 30)

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export async function scoresBench() {
  const n = Number(process.env.BENCH_SCORES_ROWS ?? 100_000);
  const repeat = Number(process.env.BENCH_SCORES_REPEAT ?? 30);
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  console.log(`\n[scores] ${n.toLocaleString("en-US")} score rows on PostgreSQL`);
  if (!(await postgresReachable(adminUrl))) return;
  const dir = tempDataDir();
  const photo = path.join(dir, "photo.jpg");
  fs.writeFileSync(photo, await compliantPhoto());
  try {
    const url = await createScratchDb(adminUrl, "kaowu_bench_scores");
    const r = await runChild(
      "bench/scores-child.ts",
      "scores",
      [String(n), photo, dir, String(repeat)],
      900_000,
      childEnv({ DATABASE_URL: url, DATA_DIR: path.join(dir, "data") }),
    );
    const bareMs = Number(r.bareMs);
    const appMs = Number(r.appMs);
    const rate = (rows: number, t: number) => `${Math.round((rows / t) * 1000).toLocaleString("en-US")} rows/s`;
    const s = summary(r.stats as number[]);
    console.log(`  file: ${(Number(r.bytes) / 1048576).toFixed(1)} MB GB18030, CRLF`);
    console.log(
      `  bare (iconv-lite → csv-parse → COPY):  ${(bareMs / 1000).toFixed(2)} s  ${rate(Number(r.bareRows), bareMs)}`,
    );
    console.log(
      `  app score import (SCO-1, all checks):  ${(appMs / 1000).toFixed(2)} s  ${rate(Number(r.imported), appMs)}  = ${(appMs / bareMs).toFixed(2)}× bare (target ≤ 1.5×)`,
    );
    console.log(
      `    CPU during the import: this process ${ms(Number(r.appCpuMs))}, PostgreSQL ${r.appPgCpuMs === null ? "—" : ms(Number(r.appPgCpuMs))}`,
    );
    console.log(
      `    of which reading and typing ${Number(r.typed).toLocaleString("en-US")} rows alone: ${(Number(r.readMs) / 1000).toFixed(2)} s`,
    );
    console.log(
      `  peak RSS of the process: ${mb(r.peakRssKb as number | null)} (before the import ${mb(r.rssBeforeKb as number | null)})`,
    );
    console.log(
      `  province statistics (${r.sites} sites, ${Number(r.statsTotal).toLocaleString("en-US")} scores), ${repeat} runs: p50 ${ms(s.p50)}, p95 ${ms(s.p95)} (target < 150 ms)`,
    );
  } finally {
    await dropScratchDbs("scores");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
