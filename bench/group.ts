import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { childEnv, createScratchDb, dropScratchDbs, psql, runChild as run, type ChildResult } from "./children";
import { mb, tempDataDir } from "./server";

// npm run bench -- group
//
// Issue 6: a group file of 5,000 candidates (GRP-1 … GRP-4, ORG-9: new accounts with one-time
// passwords) and a photo zip of 10,000 photos (PHO-1 … PHO-4) imported through their job handlers,
// next to the raw limit of the same work measured in the same run: exceljs's streaming read of the
// sheet, and yauzl unzipping the photos while reading each JPEG's header. Every measurement runs in
// its own process (bench/group-child.ts), so each peak RSS (VmHWM) is that measurement's alone.
// Issue 21 item 5: the ratios against the raw parts are printed with their targets (group ≤ 3×,
// photos ≤ 2× the raw unzip); the photos also against unzip + re-encoding every photo, the least an
// import could do were every photo re-encoded (decision 0055 re-encodes only those that need it).
// Benchmarks print figures; they never assert.
//
// BENCH_GROUP_CANDIDATES    rows in the group file (default 5000)
// BENCH_GROUP_PHOTOS        photos in the zip (default 10000; beyond the candidates, registrations are created directly)
// BENCH_GROUP_CHECK_PHOTOS  photos imported with the ID-photo check (default 1000: it decodes every photo)
// BENCH_GROUP_PGLITE=0      leaves out the group import on PGlite
// BENCH_PG_URL              the PostgreSQL server for the scratch database (default postgres://postgres@127.0.0.1:5432/test)

const DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/test";
const LIMIT_MS = { gen: 300_000, raw: 300_000, group: 900_000, prep: 120_000, photos: 1_200_000, check: 1_200_000 };

/** Runs `tsx bench/group-child.ts …args`. The children take their database from their arguments only; DATA_DIR is the job's file store. */
const runChild = (label: string, args: string[], timeoutMs: number, env: { tmpDir: string; dataDir?: string }) =>
  run(
    "bench/group-child.ts",
    label,
    args,
    timeoutMs,
    childEnv({ TMPDIR: env.tmpDir, DATA_DIR: env.dataDir }, ["DATABASE_URL"]),
  );

const num = (v: unknown) => (typeof v === "number" ? v : NaN);
const kbOf = (v: unknown) => (typeof v === "number" ? v : null);
const sec = (ms: number) => (ms / 1000).toFixed(2);
const rate = (items: number, ms: number) => items / (ms / 1000);
const fmtRate = (r: number) => Math.round(r).toLocaleString("en-US");
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

interface Line {
  work: string;
  items: number;
  ms: number;
  rssKb: number | null;
  /** Items per second of the raw limit this line is compared with. */
  rawRate?: number;
}

export async function groupBench() {
  const candidates = Number(process.env.BENCH_GROUP_CANDIDATES) || 5_000;
  const photos = Number(process.env.BENCH_GROUP_PHOTOS) || 10_000;
  const checkPhotos = Math.min(photos, Number(process.env.BENCH_GROUP_CHECK_PHOTOS) || 1_000);
  const withLite = process.env.BENCH_GROUP_PGLITE !== "0";
  const adminUrl = process.env.BENCH_PG_URL || DEFAULT_PG_URL;
  const dir = tempDataDir();
  const f = (name: string) => path.join(dir, name);
  const started = performance.now();
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
  console.log(
    `[group] ${candidates.toLocaleString("en-US")} candidates, ${photos.toLocaleString("en-US")} photos (${checkPhotos.toLocaleString("en-US")} with the ID-photo check); ` +
      `${os.cpus().length} CPUs, load average ${load()} (other work on the machine skews the times; one run each: figures are noisy)`,
  );

  const lines: Line[] = [];
  const notes: string[] = [];
  /** Issue 21 item 5: app ÷ raw time per item, with the target, printed under the table. */
  const ratios: string[] = [];
  const ratio = (what: string, appMs: number, appItems: number, rawRate: number, target?: number) => {
    const x = rawRate / rate(appItems, appMs);
    const verdict =
      target === undefined ? "" : x <= target ? ` (target ≤ ${target}×: met)` : ` (target ≤ ${target}×: NOT met)`;
    ratios.push(`${what}: ${x.toFixed(2)}×${verdict}`);
  };
  const failures: string[] = [];
  try {
    const gen = await runChild(
      "generate",
      ["gen", dir, String(candidates), String(photos), String(checkPhotos)],
      LIMIT_MS.gen,
      { tmpDir: dir },
    );
    console.log(
      `[group] generated group.zip (${(num(gen.xlsxBytes) / 1024).toFixed(0)} KB .xlsx, ${sec(num(gen.groupMs))} s), ` +
        `photos.zip ${(num(gen.photosZipBytes) / 1048576).toFixed(0)} MB stored, 50 folders (${gen.distinctJpegs} distinct 600×800 JPEGs of ≈ ${Math.round(num(gen.jpegBytes) / photos / 1024)} KB, ` +
        `encoded in ${sec(num(gen.encodeMs))} s, zips written in ${sec(num(gen.zipMs))} s), photos-check.zip ${(num(gen.checkZipBytes) / 1048576).toFixed(0)} MB`,
    );

    // The raw limits.
    const rawXlsx = await runChild("raw xlsx", ["raw-xlsx", f("group.xlsx")], LIMIT_MS.raw, { tmpDir: dir });
    const rawXlsxRate = rate(num(rawXlsx.rows), num(rawXlsx.ms));
    lines.push({
      work: "raw: exceljs streaming read of the sheet",
      items: num(rawXlsx.rows),
      ms: num(rawXlsx.ms),
      rssKb: kbOf(rawXlsx.peakRssKb),
    });
    console.log(`[group] raw exceljs read: ${rawXlsx.rows} rows in ${sec(num(rawXlsx.ms))} s`);
    const rawZip = await runChild("raw unzip", ["raw-photos", f("photos.zip")], LIMIT_MS.raw, { tmpDir: dir });
    const rawZipRate = rate(num(rawZip.photos), num(rawZip.ms));
    if (num(rawZip.compliant) !== num(rawZip.photos))
      failures.push(`raw unzip: only ${rawZip.compliant} of ${rawZip.photos} headers read 600×800`);
    console.log(`[group] raw unzip + SOF: ${rawZip.photos} photos in ${sec(num(rawZip.ms))} s`);
    const writeDir = f("raw-write");
    fs.mkdirSync(writeDir);
    const rawWrite = await runChild("raw unzip + write", ["raw-photos", f("photos.zip"), writeDir], LIMIT_MS.raw, {
      tmpDir: dir,
    });
    fs.rmSync(writeDir, { recursive: true, force: true });
    console.log(`[group] raw unzip + SOF + write each: ${rawWrite.photos} photos in ${sec(num(rawWrite.ms))} s`);
    const rawEncode = await runChild("raw unzip + re-encode", ["raw-encode", f("photos.zip")], LIMIT_MS.photos, {
      tmpDir: dir,
    });
    const rawEncodeRate = rate(num(rawEncode.photos), num(rawEncode.ms));
    console.log(
      `[group] raw unzip + decode, scale and encode each (the re-encoded form, 4 at a time): ${rawEncode.photos} photos in ${sec(num(rawEncode.ms))} s`,
    );

    // The app on PostgreSQL: one fresh database for the group import, then the photos.
    let pgUrl: string | null = null;
    try {
      await psql(adminUrl, "select 1", 10_000);
      pgUrl = await createScratchDb(adminUrl, `kaowu_bench_${process.pid}_group`);
    } catch (e) {
      notes.push(
        `PostgreSQL measurements skipped: not reachable at ${new URL(adminUrl).host} (set BENCH_PG_URL): ${errText(e)}`,
      );
    }
    const groupNotes = (name: string, r: ChildResult) => {
      notes.push(
        `${name}: read + validate ${sec(num(r.readMs))} s; lock + plan under lock ${sec(num(r.plan1Ms))} s; ` +
          `${r.hashes} one-time passwords made and hashed (HMAC-SHA-256, decision 0046) ≈ ${sec(num(r.hashMs))} s (${(num(r.hashMs) / Math.max(1, num(r.hashes))).toFixed(2)} ms each); ` +
          `accounts insert + photo lookup + first 1,000 registrations ${sec(num(r.txStartMs))} s; registration batches ${r.regBatches} × ≈ ${sec(num(r.regBatchMs))} s; ` +
          `entries + seats + audit + credentials sheet recorded (its .xlsx written meanwhile) + commit ${sec(num(r.tailMs))} s`,
      );
      const top = (r.topQueries as Array<{ label: string; n: number; ms: number }>)
        .map((q) => `${q.label} ×${q.n} ${sec(q.ms)} s`)
        .join(", ");
      notes.push(
        `${name}: ${r.queries} queries, ${sec(num(r.queryMs))} s in all (${top}); before queueing (route: unpack the zip, store the .xlsx) ${sec(num(r.routeMs))} s, not counted`,
      );
      notes.push(
        `${name} memory: RSS ${mb(kbOf(r.rssAfterOpenKb))} after loading the modules and opening the database, ${mb(kbOf(r.rssBeforeKb))} after migrate + seed, peak ${mb(kbOf(r.peakRssKb))}`,
      );
    };
    if (pgUrl) {
      try {
        const g = await runChild(
          "group import on PostgreSQL",
          ["group", f("group.zip"), "postgres", pgUrl],
          LIMIT_MS.group,
          { tmpDir: dir, dataDir: f("data-pg") },
        );
        if (num(g.stored) !== candidates || num(g.accountsCreated) !== candidates)
          failures.push(`group import on PostgreSQL stored ${g.stored} registrations, ${g.accountsCreated} accounts`);
        lines.push({
          work: "app: group import, PostgreSQL (job handler)",
          items: candidates,
          ms: num(g.totalMs),
          rssKb: kbOf(g.peakRssKb),
          rawRate: rawXlsxRate,
        });
        console.log(
          `[group] group import on PostgreSQL: ${g.stored} registrations, ${g.entries} entries, ${g.accountsCreated} accounts in ${sec(num(g.totalMs))} s`,
        );
        ratio("group import, PostgreSQL ÷ raw exceljs read", num(g.totalMs), candidates, rawXlsxRate, 3);
        groupNotes("group, PostgreSQL", g);
      } catch (e) {
        failures.push(errText(e));
      }
    }
    if (withLite) {
      try {
        const g = await runChild("group import on PGlite", ["group", f("group.zip"), "pglite"], LIMIT_MS.group, {
          tmpDir: dir,
          dataDir: f("data-lite"),
        });
        if (num(g.stored) !== candidates) failures.push(`group import on PGlite stored ${g.stored} registrations`);
        lines.push({
          work: "app: group import, PGlite in memory (job handler)",
          items: candidates,
          ms: num(g.totalMs),
          rssKb: kbOf(g.peakRssKb),
          rawRate: rawXlsxRate,
        });
        console.log(`[group] group import on PGlite: ${g.stored} registrations in ${sec(num(g.totalMs))} s`);
        ratio("group import, PGlite ÷ raw exceljs read", num(g.totalMs), candidates, rawXlsxRate);
        groupNotes("group, PGlite", g);
      } catch (e) {
        failures.push(errText(e));
      }
    } else notes.push("group import on PGlite left out (BENCH_GROUP_PGLITE=0)");

    const photoNotes = (name: string, r: ChildResult) => {
      notes.push(
        `${name}: names + the site's registrations ${sec(num(r.listMs))} s; judge (header and structure; re-encode only what needs it, decision 0055) + write each file's bytes, ` +
          `and on PostgreSQL the rows of every 500 meanwhile (decision 0058) ${sec(num(r.checkMs))} s; ` +
          `the rows left after the last photo is judged ${sec(num(r.writeMs))} s; audit + commit + remove the zip ${sec(num(r.tailMs))} s`,
      );
      const top = (r.topQueries as Array<{ label: string; n: number; ms: number }>)
        .map((q) => `${q.label} ×${q.n} ${sec(q.ms)} s`)
        .join(", ");
      notes.push(
        `${name}: ${r.queries} queries, ${sec(num(r.queryMs))} s summed (the judging overlaps up to 10 photos; the rows are one transaction, overlapping the judging on PostgreSQL) (${top}); before queueing (route: sniff, checkZip, store the upload) ${sec(num(r.routeMs))} s, not counted`,
      );
    };
    if (pgUrl) {
      try {
        const prep = await runChild(
          "photo prep",
          ["photo-prep", pgUrl, String(candidates), String(photos)],
          LIMIT_MS.prep,
          { tmpDir: dir },
        );
        if (num(prep.found) !== photos)
          throw new Error(
            `photo prep: ${prep.found} of ${photos} photos have a registration (did the group import fail?)`,
          );
        console.log(`[group] ${prep.created} registrations created directly, so that all ${photos} photos have one`);
        lines.push({
          work: "raw: yauzl unzip, one read + CRC-32 each, SOF scan",
          items: num(rawZip.photos),
          ms: num(rawZip.ms),
          rssKb: kbOf(rawZip.peakRssKb),
        });
        lines.push({
          work: "raw: … + write each photo to its own file (info)",
          items: num(rawWrite.photos),
          ms: num(rawWrite.ms),
          rssKb: kbOf(rawWrite.peakRssKb),
          rawRate: rawZipRate,
        });
        lines.push({
          work: "raw: … + decode, scale, encode each (info)",
          items: num(rawEncode.photos),
          ms: num(rawEncode.ms),
          rssKb: kbOf(rawEncode.peakRssKb),
          rawRate: rawZipRate,
        });
        const p = await runChild("photo import", ["photos", f("photos.zip"), pgUrl, "nocheck"], LIMIT_MS.photos, {
          tmpDir: dir,
          dataDir: f("data-pg"),
        });
        if (num(p.imported) !== photos) failures.push(`photo import: ${p.imported} of ${photos} imported`);
        lines.push({
          work: "app: photo import, PostgreSQL, no ID-photo check",
          items: photos,
          ms: num(p.totalMs),
          rssKb: kbOf(p.peakRssKb),
          rawRate: rawZipRate,
        });
        console.log(`[group] photo import: ${p.imported} photos in ${sec(num(p.totalMs))} s`);
        ratio("photo import, no ID-photo check ÷ raw unzip + SOF", num(p.totalMs), photos, rawZipRate, 2);
        ratio(
          "photo import, no ID-photo check ÷ raw unzip + re-encode every photo",
          num(p.totalMs),
          photos,
          rawEncodeRate,
        );
        photoNotes("photos, no check", p);
        const c = await runChild(
          "photo import with the ID-photo check",
          ["photos", f("photos-check.zip"), pgUrl, "check"],
          LIMIT_MS.check,
          { tmpDir: dir, dataDir: f("data-pg") },
        );
        if (num(c.imported) !== checkPhotos)
          failures.push(`photo import with the check: ${c.imported} of ${checkPhotos} imported`);
        lines.push({
          work: `app: photo import, PostgreSQL, ID-photo check${checkPhotos < photos ? " (subset)" : ""}`,
          items: checkPhotos,
          ms: num(c.totalMs),
          rssKb: kbOf(c.peakRssKb),
          rawRate: rawZipRate,
        });
        console.log(`[group] photo import with the ID-photo check: ${c.imported} photos in ${sec(num(c.totalMs))} s`);
        photoNotes("photos, ID-photo check", c);
        if (checkPhotos < photos) {
          notes.push(
            `the ID-photo check decodes every photo: run on every ${Math.round(photos / checkPhotos)}th photo (${checkPhotos.toLocaleString("en-US")}, a fresh start: no photos stored); ` +
              `all ${photos.toLocaleString("en-US")} at this rate ≈ ${(photos / rate(checkPhotos, num(c.totalMs))).toFixed(0)} s (BENCH_GROUP_CHECK_PHOTOS=${photos} to measure it)`,
          );
        }
      } catch (e) {
        failures.push(errText(e));
      }
    } else {
      lines.push({
        work: "raw: yauzl unzip, one read + CRC-32 each, SOF scan",
        items: num(rawZip.photos),
        ms: num(rawZip.ms),
        rssKb: kbOf(rawZip.peakRssKb),
      });
    }
    notes.push(
      "photo imports on PostgreSQL only (the photos need the group import's registrations; PGlite is measured for the group import)",
    );

    // The table.
    const w = 56;
    console.log(
      `group: ${candidates.toLocaleString("en-US")} candidates, ${photos.toLocaleString("en-US")} photos; one run of each measurement, each in its own process; ${os.cpus().length} CPUs, load average now ${load()}`,
    );
    console.log(
      `  ${"work".padEnd(w)} ${"items".padStart(7)} ${"seconds".padStart(8)} ${"items/s".padStart(8)} ${"peak RSS".padStart(9)} ${"× raw".padStart(6)}`,
    );
    for (const l of lines) {
      const r = rate(l.items, l.ms);
      const x = l.rawRate ? (l.rawRate / r).toFixed(1) : "";
      console.log(
        `  ${l.work.padEnd(w)} ${l.items.toLocaleString("en-US").padStart(7)} ${sec(l.ms).padStart(8)} ${fmtRate(r).padStart(8)} ${mb(l.rssKb).padStart(9)} ${x.padStart(6)}`,
      );
    }
    console.log(
      "  × raw = raw items/s ÷ app items/s (time per item against the raw limit: exceljs read for the group file, unzip + SOF scan for the photos)",
    );
    console.log(
      "  app = the job handler as the runner calls it; its progress callback only notes times (the runner writes the job row at most every 250 ms)",
    );
    console.log(
      "  peak RSS = each child process's VmHWM (PostgreSQL's memory not counted); V8's lazy GC moves peaks by tens of MB between runs",
    );
    console.log("  ratios (time per item, app ÷ raw, this run):");
    for (const r of ratios) console.log(`    ${r}`);
    for (const n of notes) console.log(`  ${n}`);
    for (const e of failures) console.log(`  FAILED: ${e}`);
    console.log(`  (whole group benchmark: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    if (failures.length) process.exitCode = 1;
  } finally {
    await dropScratchDbs("group");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
