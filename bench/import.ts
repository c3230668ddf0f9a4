import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { childEnv, createScratchDb, dropScratchDbs, psql, runChild as run, type ChildResult } from "./children";
import { mb, tempDataDir } from "./server";

// npm run bench -- import
//
// SR-3 at scale: a 100,000-row student-record template imported through the job's path (read with
// readXlsxRows, type every row with parseStudentRecordRow, importStudentRecords), on PostgreSQL and
// on PGlite, next to the raw limit measured in the same run: exceljs's streaming read of the same
// file plus a PostgreSQL COPY of the same rows. Target (issue 21): ≤ 1.5× the raw time on PostgreSQL, peak
// RSS < 600 MB. Every measurement runs in its own process (bench/import-child.ts), so each peak
// RSS (VmHWM) is that measurement's alone. Benchmarks print figures; they never assert.
//
// BENCH_IMPORT_ROWS   rows in the file (default 100000)
// BENCH_PG_URL        the PostgreSQL server to create the scratch databases on (any database of it;
//                     default postgres://postgres@127.0.0.1:5432/test). Without one, PGlite only.

const DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/test";
const TARGET_RATIO = 1.5;
const TARGET_RSS_MB = 600;

// Time limits per child, for 100,000 rows on a slow machine; scaled with the row count.
const LIMIT_MS = { gen: 180_000, read: 180_000, copy: 120_000, app: 480_000 };

/**
 * Runs `tsx bench/import-child.ts …args`. The children take their database from their arguments
 * only; exceljs's reader spills the worksheet to a temporary file: kept in our folder, removed at
 * the end even after a kill.
 */
const runChild = (label: string, args: string[], timeoutMs: number, tmpDir: string) =>
  run("bench/import-child.ts", label, args, timeoutMs, childEnv({ TMPDIR: tmpDir }, ["DATABASE_URL"]));

const sec = (ms: number) => (ms / 1000).toFixed(2);
const perSec = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString("en-US");
const kbOf = (v: unknown) => (typeof v === "number" ? v : null);
const num = (v: unknown) => (typeof v === "number" ? v : NaN);

export async function importBench(opts: { rows?: number } = {}) {
  const rows = opts.rows ?? (Number(process.env.BENCH_IMPORT_ROWS) || 100_000);
  const scale = Math.max(1, rows / 100_000);
  const limit = (k: keyof typeof LIMIT_MS) => Math.round(LIMIT_MS[k] * scale);
  const adminUrl = process.env.BENCH_PG_URL || DEFAULT_PG_URL;
  const dir = tempDataDir();
  const xlsx = path.join(dir, "student-records.xlsx");
  const csv = path.join(dir, "student-records.csv");
  const started = performance.now();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  console.log(
    `[import] ${rows.toLocaleString("en-US")} rows; ${os.cpus().length} CPUs, load average ${load} (other work on the machine skews the times)`,
  );

  try {
    // org_id in the CSV: any site id will do, the COPY table has no foreign key.
    const gen = await runChild("generate", ["gen", xlsx, csv, String(rows), "1"], limit("gen"), dir);
    console.log(
      `[import] generated ${path.basename(xlsx)}: ${(num(gen.bytes) / 1048576).toFixed(1)} MB in ${sec(num(gen.genMs))} s ` +
        `(exceljs WorkbookWriter, shared strings; peak RSS ${mb(kbOf(gen.peakRssKb))}); CSV for COPY ${(num(gen.csvBytes) / 1048576).toFixed(1)} MB` +
        (num(gen.mismatches) ? `; WARNING: ${gen.mismatches} sampled rows differ from what the app stores` : ""),
    );

    const read = await runChild("raw read", ["read", xlsx], limit("read"), dir);
    console.log(`[import] raw read: ${read.rows} rows in ${sec(num(read.ms))} s`);

    let pgError: string | null = null;
    let pgSkipped: string | null = null;
    let copy: ChildResult | null = null;
    let appPg: ChildResult | null = null;
    let jobPg: ChildResult | null = null;
    try {
      await psql(adminUrl, "select 1", 10_000);
    } catch (e) {
      pgSkipped = `PostgreSQL not reachable at ${new URL(adminUrl).host} (set BENCH_PG_URL): ${e instanceof Error ? e.message : e}`;
    }
    if (!pgSkipped) {
      try {
        // COPY into a copy of student_record's shape (its indexes, not its foreign key) in one scratch
        // database; the app into another, fresh one (migrated and seeded in the child).
        const rawUrl = await createScratchDb(adminUrl, `kaowu_bench_${process.pid}_raw`);
        copy = await runChild("raw COPY", ["copy", csv, rawUrl], limit("copy"), dir);
        console.log(`[import] raw COPY: ${copy.rows} rows in ${sec(num(copy.ms))} s`);
        const appUrl = await createScratchDb(adminUrl, `kaowu_bench_${process.pid}`);
        appPg = await runChild("app import on PostgreSQL", ["app", xlsx, "postgres", appUrl], limit("app"), dir);
        console.log(`[import] app import on PostgreSQL: ${appPg.stored} rows stored in ${sec(num(appPg.totalMs))} s`);
        const jobUrl = await createScratchDb(adminUrl, `kaowu_bench_${process.pid}_job`);
        jobPg = await runChild("job import on PostgreSQL", ["job", xlsx, jobUrl], limit("app"), dir);
        console.log(
          `[import] the job on PostgreSQL (writing while reading): ${jobPg.rows} rows in ${sec(num(jobPg.totalMs))} s`,
        );
      } catch (e) {
        pgError = e instanceof Error ? e.message : String(e);
      } finally {
        await dropScratchDbs("import");
      }
    }

    let appLite: ChildResult | null = null;
    let liteError: string | null = null;
    try {
      appLite = await runChild("app import on PGlite", ["app", xlsx, "pglite"], limit("app"), dir);
      console.log(`[import] app import on PGlite: ${appLite.stored} rows stored in ${sec(num(appLite.totalMs))} s`);
    } catch (e) {
      liteError = e instanceof Error ? e.message : String(e);
    }

    // The table.
    const line = (name: string, ms: number | null, rss: string) =>
      console.log(
        `  ${name.padEnd(50)} ${(ms === null ? "—" : sec(ms)).padStart(8)}  ${(ms === null ? "—" : perSec(rows, ms)).padStart(9)}  ${rss.padStart(9)}`,
      );
    console.log(
      `import: ${rows.toLocaleString("en-US")} rows, ${path.basename(xlsx)} ${(num(gen.bytes) / 1048576).toFixed(1)} MB; one run of each measurement, each in its own process`,
    );
    console.log(
      `  ${"measurement".padEnd(50)} ${"seconds".padStart(8)}  ${"rows/s".padStart(9)}  ${"peak RSS".padStart(9)}`,
    );
    line("raw: exceljs streaming read (count rows)", num(read.ms), mb(kbOf(read.peakRssKb)));
    if (copy) {
      line("raw: PostgreSQL COPY (psql \\copy, CSV)", num(copy.ms), `${mb(kbOf(copy.psqlPeakRssKb))}¹`);
      line("raw: read + COPY", num(read.ms) + num(copy.ms), "");
    }
    const app = (name: string, r: ChildResult) => {
      line(`${name}: read + validate (job loop)`, num(r.readMs), `${mb(kbOf(r.peakAfterReadKb))}²`);
      line(`${name}: write`, num(r.writeMs), "");
      line(`${name}: total`, num(r.totalMs), mb(kbOf(r.peakRssKb)));
    };
    if (appPg) app("app, PostgreSQL", appPg);
    if (jobPg)
      line("the job on PostgreSQL, writing while reading: total", num(jobPg.totalMs), mb(kbOf(jobPg.peakRssKb)));
    if (appLite) app("app, PGlite in memory", appLite);
    if (copy) console.log("  ¹ psql's own; the PostgreSQL server's memory is not counted in any figure");
    if (appPg || appLite) {
      console.log(
        "  ² peak so far at the end of reading (all rows typed and held, nothing written yet); write = importStudentRecords",
      );
      console.log(
        "  app = the job handler's steps without the job runner: its progress callback only notes times (the runner's writes the job row)",
      );
    }

    const writeParts = (name: string, r: ChildResult) =>
      console.log(
        `  ${name} write: ≈${sec(num(r.beforeFirstBatchMs))} s lock + findExisting + plan, ${r.batches} upsert batches ${sec(num(r.batchesMs))} s ` +
          `(median ${num(r.batchMedianMs).toFixed(0)} ms), ${sec(num(r.afterLastBatchMs))} s audit + commit`,
      );
    const memory = (name: string, r: ChildResult) =>
      console.log(
        `  ${name} memory: RSS ${mb(kbOf(r.rssAfterOpenKb))} after loading the modules and opening the database, ${mb(kbOf(r.rssBeforeKb))} after migrate + seed, ` +
          `${mb(kbOf(r.rssAfterReadKb))} after reading (JS heap ${r.heapAfterReadMb} MB), peak ${mb(kbOf(r.peakRssKb))}`,
      );
    if (appPg) {
      writeParts("PostgreSQL", appPg);
      memory("PostgreSQL", appPg);
    }
    if (appLite) {
      writeParts("PGlite", appLite);
      memory("PGlite", appLite);
    }

    const ratioLine = (name: string, r: ChildResult) => {
      const ratio = num(r.totalMs) / (num(read.ms) + num(copy!.ms));
      console.log(
        `  ${name} ÷ (raw read + raw COPY) = ${sec(num(r.totalMs))} / ${sec(num(read.ms) + num(copy!.ms))} = ${ratio.toFixed(2)}× ` +
          `(target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? "met" : "missed"})`,
      );
    };
    if (appPg && copy) ratioLine("app import on PostgreSQL, read then write", appPg);
    if (jobPg && copy) ratioLine("the job on PostgreSQL, writing while reading", jobPg);
    const rssVerdict = (name: string, r: ChildResult | null) => {
      const kb = r ? kbOf(r.peakRssKb) : null;
      return kb === null ? `${name} n/a` : `${name} ${mb(kb)} (${kb / 1024 < TARGET_RSS_MB ? "yes" : "no"})`;
    };
    console.log(
      `  peak RSS < ${TARGET_RSS_MB} MB: ${rssVerdict("PostgreSQL", appPg)}, ${rssVerdict("PGlite", appLite)} (one run; V8's lazy GC moves peaks by 50–100 MB between runs)`,
    );
    if (pgSkipped) console.log(`  PostgreSQL measurements skipped: ${pgSkipped}`);
    if (pgError) console.log(`  PostgreSQL measurements failed: ${pgError}`);
    if (liteError) console.log(`  PGlite measurement failed: ${liteError}`);
    console.log(`  (whole import benchmark: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    if (pgError || liteError) process.exitCode = 1;
  } finally {
    await dropScratchDbs("import");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
