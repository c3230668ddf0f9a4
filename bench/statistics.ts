import path from "node:path";
import { childEnv, createScratchDb, dropScratchDbs, postgresReachable, runChild } from "./children";
import { ms, summary, tempDataDir } from "./server";

// npm run bench -- statistics
//
// Issue 20 item 4 (STAT-1, general statistics) on PostgreSQL: 100,000 registrations (with entries)
// over 50 sites in a scratch database, then p50/p95 of the page's data (scope, names, filter lists
// and the one GROUPING SETS query) over 30 runs: (a) province 99 with two pivot columns, (b) each
// preset province-wide, (c) one site with the same request as (a); with the query alone beside (a)
// and (c). Targets: province < 500 ms p95, site < 150 ms p95. Figures only.
//
// BENCH_STATISTICS_ROWS    registrations (default 100000)
// BENCH_STATISTICS_REPEAT  runs per figure (default 30)

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const PROVINCE_TARGET = 500;
const SITE_TARGET = 150;

export async function statisticsBench() {
  const n = Number(process.env.BENCH_STATISTICS_ROWS ?? 100_000);
  const repeat = Number(process.env.BENCH_STATISTICS_REPEAT ?? 30);
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  console.log(`\n[statistics] ${n.toLocaleString("en-US")} registrations over 50 sites on PostgreSQL`);
  if (!(await postgresReachable(adminUrl))) return;
  const dir = tempDataDir();
  try {
    const url = await createScratchDb(adminUrl, "kaowu_bench_statistics");
    const r = await runChild(
      "bench/statistics-child.ts",
      "statistics",
      [String(n), String(repeat)],
      900_000,
      childEnv({ DATABASE_URL: url, DATA_DIR: path.join(dir, "data") }),
    );
    const fmt = (v: unknown) => Number(v).toLocaleString("en-US");
    const line = (label: string, runs: unknown, target: number, query?: unknown) => {
      const s = summary(runs as number[]);
      const q = query ? summary(query as number[]) : null;
      const verdict = s.p95 < target ? "met" : "MISSED";
      console.log(
        `  ${label.padEnd(44)} p50 ${ms(s.p50).padStart(7)}  p95 ${ms(s.p95).padStart(7)}  (target < ${target} ms p95: ${verdict})` +
          (q ? `   query alone p50 ${ms(q.p50)}, p95 ${ms(q.p95)}` : ""),
      );
    };
    console.log(
      `  data: ${fmt(r.regs)} registrations, ${fmt(r.entries)} entries (${fmt(r.seated)} seated, ${fmt(r.scored)} scored) at ${r.sites} sites; seeded in ${(Number(r.seedMs) / 1000).toFixed(1)} s`,
    );
    console.log(
      `  province 99: ${r.provinceSites} sites, ${fmt(r.provinceRegs)} registrations; site 990101: ${fmt(r.siteRegs)} registrations; ${repeat} runs each after 3 warm-ups`,
    );
    line(`(a) province, 2 pivot columns (${r.aRows} rows × ${r.aColumns} columns)`, r.a, PROVINCE_TARGET, r.aQuery);
    console.log("  (b) presets, province-wide:");
    for (const [id, runs] of Object.entries(r.presets as Record<string, number[]>))
      line(`    ${id}`, runs, PROVINCE_TARGET);
    line("(c) site 990101, same request as (a)", r.c, SITE_TARGET, r.cQuery);
    console.log(`  peak RSS of the process: ${r.peakRssKb ? `${Math.round(Number(r.peakRssKb) / 1024)} MB` : "n/a"}`);
  } finally {
    await dropScratchDbs("statistics");
  }
}
