import fs from "node:fs";
import path from "node:path";
import { childEnv, createScratchDb, dropScratchDbs, postgresReachable, runChild, type ChildResult } from "./children";
import { mb, tempDataDir } from "./server";
import { compliantPhoto } from "../tests/fixtures/photos";

// npm run bench -- predata
//
// Issue 18: the pre-exam data end to end on PostgreSQL through the real generate-file path (query,
// build, zip, store), each next to the bare library doing the same work in the same run:
//   CBT data (DOC-6) of 100,000 entries vs bare dbffile writing the same layout (target ≤ 1.3×);
//   photo package (DOC-5) of 10,000 photos vs bare yazl streaming the same files (target ≥ 80 % of
//   its throughput, peak RSS < 300 MB); sign-in sheets (DOC-7) for 10,000 candidates with photos
//   (candidates a second, peak RSS). Figures only.
//
// BENCH_PREDATA_CBT     entries for the CBT data (default 100000)
// BENCH_PREDATA_PHOTOS  entries for the photo package and the sign-in sheets (default 10000)
// BENCH_PREDATA_ONLY    some of cbt,photos,sheets (default all three)
// DATABASE_URL          the PostgreSQL server for the scratch database (default postgres://postgres@127.0.0.1:5432/postgres)

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export async function predataBench() {
  const cbtN = Number(process.env.BENCH_PREDATA_CBT ?? 100_000);
  const photoN = Number(process.env.BENCH_PREDATA_PHOTOS ?? 10_000);
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  const dir = tempDataDir();
  const photo = path.join(dir, "photo.jpg");
  fs.writeFileSync(photo, await compliantPhoto());
  console.log(`\n[predata] pre-exam data (photo ${Math.round(fs.statSync(photo).size / 1024)} KB)`);
  if (!(await postgresReachable(adminUrl))) return;
  const appRun = async (kind: string, n: number): Promise<ChildResult> => {
    const url = await createScratchDb(adminUrl, "kaowu_bench_predata");
    try {
      return await runChild(
        "bench/predata-child.ts",
        `predata ${kind}`,
        ["app", kind, String(n), photo],
        600_000,
        childEnv(
          {
            DATABASE_URL: url,
            DATA_DIR: path.join(dir, `data-${kind}`),
            NODE_ENV: "production",
            PAYMENT_PROVIDER: "simulated",
            MESSAGE_PROVIDER: "outbox",
          },
          ["REDIS_URL"],
        ),
      );
    } finally {
      await dropScratchDbs("predata");
      fs.rmSync(path.join(dir, `data-${kind}`), { recursive: true, force: true });
    }
  };
  const s = (r: ChildResult) => Number(r.ms) / 1000;
  const only = new Set((process.env.BENCH_PREDATA_ONLY ?? "cbt,photos,sheets").split(","));
  try {
    if (only.has("cbt")) {
      const dbfRaw = await runChild(
        "bench/predata-child.ts",
        "dbf raw",
        ["dbf-raw", String(cbtN)],
        300_000,
        childEnv({}),
      );
      const dbfApp = await appRun("cbt_data", cbtN);
      console.log(
        [
          `  CBT data, ${cbtN.toLocaleString("en-US")} records: bare dbffile ${s(dbfRaw).toFixed(2)} s (${mb(Number(dbfRaw.bytes) / 1024)}, peak RSS ${mb(Number(dbfRaw.peakRssKb))})`,
          `    app (query, GBK check and cut, dbffile, code page, zip, store): ${s(dbfApp).toFixed(2)} s, ${(s(dbfApp) / s(dbfRaw)).toFixed(2)}× bare (target ≤ 1.3×); peak RSS while generating ${mb(Number(dbfApp.generatePeakKb))}`,
        ].join("\n"),
      );
    }
    if (only.has("photos")) {
      const zipRaw = await runChild(
        "bench/predata-child.ts",
        "zip raw",
        ["zip-raw", String(photoN), photo],
        300_000,
        childEnv({}),
      );
      const zipApp = await appRun("photo_package", photoN);
      const rate = (r: ChildResult) => Number(r.bytes) / 1048576 / s(r);
      console.log(
        [
          `  photo package, ${photoN.toLocaleString("en-US")} photos: bare yazl ${rate(zipRaw).toFixed(0)} MB/s (${s(zipRaw).toFixed(2)} s, ${mb(Number(zipRaw.bytes) / 1024)}, peak RSS ${mb(Number(zipRaw.peakRssKb))})`,
          `    app (query, check files, zip, store): ${rate(zipApp).toFixed(0)} MB/s (${s(zipApp).toFixed(2)} s), ${Math.round((100 * rate(zipApp)) / rate(zipRaw))} % of bare (target ≥ 80 %); peak RSS while generating ${mb(Number(zipApp.generatePeakKb))} (target < 300 MB)`,
        ].join("\n"),
      );
    }
    if (only.has("sheets")) {
      const sheets = await appRun("sign_in_sheets", photoN);
      console.log(
        `  sign-in sheets, ${photoN.toLocaleString("en-US")} candidates with photos: ${Math.round(photoN / s(sheets))} candidates/s (${s(sheets).toFixed(1)} s, zip ${mb(Number(sheets.bytes) / 1024)}); RSS before ${mb(Number(sheets.rssBeforeKb))}, peak while generating ${mb(Number(sheets.generatePeakKb))}`,
      );
    }
  } finally {
    await dropScratchDbs("predata");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
