import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import type { CaseResult } from "./management-child";
import { childEnv, createScratchDb, dropScratchDbs, runChild } from "./children";
import { mb, percentile, tempDataDir } from "./server";

// npm run bench -- management
//
// Issue 7 (MGT-1, MGT-6): the candidate search page (filtered, sorted, paged) and the statistics
// pages over 100,000 registrations with their entries, payments, group payment batches and photos,
// spread unevenly over 50 sites (990101 holds a fifth, 990201 a tenth, then a long tail). The route
// loaders are called in-process as Remix calls them, with a real session cookie, for the big site's
// administrator and for the province's (province99@example.com). Next to each, the yardstick: the
// same SQL statements replayed one after another on a plain pg client. Target p95 < 150 ms.
// Seeding and measuring run in their own processes (bench/management-child.ts), on a scratch
// PostgreSQL database created here and dropped at the end. Benchmarks print figures; they never assert.
//
// BENCH_MGT_REGISTRATIONS   registrations to seed (default 100000)
// BENCH_MGT_RUNS            timed requests per case (default 200), after BENCH_MGT_WARMUP (default 20)
// BENCH_MGT_REPLAYS         replays of a case's SQL on a plain client (default 50)
// BENCH_MGT_PLANS=1         print the slowest query's plan of every case (default: only cases with p95 ≥ 150 ms)
// BENCH_MGT_KEEP=1          keep the scratch database (its name is printed) for EXPLAIN by hand
// BENCH_PG_URL              the PostgreSQL server for the scratch database (default postgres://postgres@127.0.0.1:5432/test)

const DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/test";
const TARGET_P95_MS = 150;
const LIMIT_MS = { seed: 600_000, measure: 1_800_000 };

const intEnv = (name: string, dflt: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : dflt;
};

const num = (v: unknown) => (typeof v === "number" ? v : NaN);
const int = (v: unknown) => num(v).toLocaleString("en-US");
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 100 ? 1 : 0) : "–");
const pct = (xs: number[], p: number) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    p,
  );
/** padEnd by display width: a CJK character takes two columns. */
const padWide = (s: string, width: number) =>
  s + " ".repeat(Math.max(0, width - [...s].reduce((a, ch) => a + (/[\u2e80-\uffef]/.test(ch) ? 2 : 1), 0)));

export async function managementBench() {
  const registrations = intEnv("BENCH_MGT_REGISTRATIONS", 100_000);
  const runs = intEnv("BENCH_MGT_RUNS", 200);
  const warmups = intEnv("BENCH_MGT_WARMUP", 20);
  const replays = intEnv("BENCH_MGT_REPLAYS", 50);
  const adminUrl = process.env.BENCH_PG_URL || DEFAULT_PG_URL;
  const started = performance.now();
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
  console.log(
    `[management] ${registrations.toLocaleString("en-US")} registrations; ${runs} timed requests per case after ${warmups} warm-ups; ` +
      `${os.cpus().length} CPUs, load average ${load()}`,
  );

  const name = `kaowu_bench_mgt_${randomBytes(4).toString("hex")}`;
  const keep = process.env.BENCH_MGT_KEEP === "1";
  const dir = tempDataDir();
  try {
    const url = await createScratchDb(adminUrl, name, { keep });
    // The app's modules read DATABASE_URL, DATA_DIR and NODE_ENV from the environment: the scratch database's, a scratch folder, production.
    const env = childEnv(
      {
        DATABASE_URL: url,
        DATA_DIR: dir,
        TMPDIR: dir,
        NODE_ENV: "production",
        COOKIE_SECURE: "false",
        PAYMENT_PROVIDER: "simulated",
        MESSAGE_PROVIDER: "outbox",
      },
      ["REDIS_URL"],
    );

    const s = await runChild(
      "bench/management-child.ts",
      "seed",
      ["seed", url, String(registrations)],
      LIMIT_MS.seed,
      env,
    );
    const phases = Object.entries(s.phases as Record<string, number>)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
      .join(", ");
    const sizes = [...(s.sizes as number[])].sort((a, b) => b - a);
    console.log(
      `[management] seeded ${int(s.regs)} registrations, ${int(s.entries)} entries (${((num(s.paid) / num(s.entries)) * 100).toFixed(0)} % paid), ` +
        `${int(s.payments)} payments, ${int(s.batches)} group payment batches, ${int(s.photos)} photos over ${s.sites} sites ` +
        `(largest ${sizes
          .slice(0, 5)
          .map((n) => n.toLocaleString("en-US"))
          .join(", ")} …, smallest ${sizes.at(-1)?.toLocaleString("en-US")}) ` +
        `in ${(num(s.seedMs) / 1000).toFixed(1)} s (${phases}); peak RSS ${mb(s.peakRssKb)}`,
    );

    const m = await runChild(
      "bench/management-child.ts",
      "measure",
      ["measure", url, String(runs), String(warmups), String(replays)],
      LIMIT_MS.measure,
      env,
    );
    const results = m.results as CaseResult[];
    const skipped = m.skipped as string[];

    const w = 40;
    console.log(
      `management: ${int(s.regs)} registrations, ${int(s.entries)} entries; site 990101 = ${int(s.bigN)} registrations, province 99 = ${int(s.provinceN)}; ` +
        `${runs} requests per case, one at a time; ${os.cpus().length} CPUs, load average now ${load()}`,
    );
    console.log(
      `  ${"case".padEnd(w)} ${"p50".padStart(6)} ${"p95".padStart(6)} ${"p99".padStart(6)} ${"max".padStart(6)}  ${"queries".padStart(7)} ${"SQL p50".padStart(7)}  ${"raw p50".padStart(7)} ${"raw p95".padStart(7)}  ${"slowest".padStart(7)}  matches`,
    );
    const slow: CaseResult[] = [];
    for (const r of results) {
      if (r.error) {
        console.log(`  ${padWide(r.label, w)} FAILED: ${r.error}`);
        continue;
      }
      const p95 = pct(r.times, 95);
      if (p95 >= TARGET_P95_MS || process.env.BENCH_MGT_PLANS === "1") slow.push(r);
      const flag = p95 >= TARGET_P95_MS ? " ✗" : "";
      console.log(
        `  ${padWide(r.label, w)} ${f1(pct(r.times, 50)).padStart(6)} ${f1(p95).padStart(6)} ${f1(pct(r.times, 99)).padStart(6)} ${f1(Math.max(...r.times)).padStart(6)}  ` +
          `${String(r.queries).padStart(7)} ${f1(pct(r.sqlSums, 50)).padStart(7)}  ${f1(pct(r.replay, 50)).padStart(7)} ${f1(pct(r.replay, 95)).padStart(7)}  ` +
          `${f1(r.slowest?.ms ?? NaN).padStart(7)}  ${r.total !== undefined ? `${r.total.toLocaleString("en-US")}${r.rows !== undefined ? ` (${r.rows} shown)` : ""}` : ""}${flag}`,
      );
    }
    const vias = [...new Set(results.map((r) => r.via))];
    console.log(
      `  times in ms. p50 … max: the ${vias.join(" / ")} as called in-process (session cookie → guard → queries → the loader's data), target p95 < ${TARGET_P95_MS} ms`,
    );
    console.log(
      "  queries: statements per request (the session and guard included); SQL p50: their summed time as the pg client saw them (some run at once)",
    );
    console.log(
      `  raw: the same read statements replayed one after another on a plain pg client (${replays} times); slowest: the slowest statement alone (best of 5)`,
    );
    console.log(
      `  site = site990101@example.com (990101); province = province99@example.com; province → site = the province narrowed to 990101 (&site=)`,
    );
    if (results.some((r) => r.via === "query functions"))
      console.log(
        "  the search route did not exist: its query function (searchRegistrations) was measured behind requireAdmin instead of the loader",
      );
    for (const k of skipped) console.log(`  not measured: ${k}`);
    console.log(
      `  measuring process: RSS ${mb(num(m.rssAfterOpenKb))} after loading the modules, peak ${mb(m.peakRssKb)} (PostgreSQL's memory not counted)`,
    );
    for (const r of slow) {
      if (!r.slowest) continue;
      console.log(`\n  ${r.label}: ${r.queries} statements; the reads alone (best of 5), slowest first:`);
      for (const st of (r.statements ?? []).slice(0, 5))
        console.log(`    ${f1(st.ms).padStart(6)} ms  ${st.text.slice(0, 140)}`);
      console.log(
        `  ${r.label} — slowest statement (${f1(r.slowest.ms)} ms; EXPLAIN ANALYZE ${f1(r.slowest.explainMs ?? NaN)} ms):`,
      );
      console.log(r.slowest.text.replace(/\s+/g, " ").replace(/^/, "    "));
      console.log(r.slowest.plan.replace(/^/gm, "    "));
    }
    if (keep) console.log(`  scratch database kept: ${url}`);
    console.log(`  (whole management benchmark: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    if (results.some((r) => r.error)) process.exitCode = 1;
  } finally {
    await dropScratchDbs("management"); // not a kept one (BENCH_MGT_KEEP=1)
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
