import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { memStatus, printResult, runAsScript } from "./child";

// The children of bench/predata.ts (issue 18). Each measurement in its own process, so each peak RSS
// (VmHWM, reset just before the measured part) is that measurement's alone.
//
//   dbf-raw <n>                 bare dbffile: the CBT layout, n GBK records built in memory, 2,000 an append
//   zip-raw <n> <photo.jpg>     bare yazl: the same JPEG added n times from disk, stored, streamed to a file
//   app <kind> <n> <photo.jpg>  DATABASE_URL's scratch database seeded with the demo, 990101 given n
//                               allocated, numbered entries with photos; then the real generate-file
//                               path of `kind` (cbt_data | photo_package | sign_in_sheets): query, build, zip, store

const resetPeak = () => {
  try {
    fs.writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    /* not Linux */
  }
};

async function dbfRaw(n: number) {
  const { DBFFile } = await import("dbffile");
  const { CBT_FIELDS } = await import("../app/domain/cbt-data");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-bench-dbf-"));
  try {
    resetPeak();
    const t0 = performance.now();
    const dbf = await DBFFile.create(
      path.join(dir, "990101.DBF"),
      CBT_FIELDS.map((f) => ({ name: f.name, type: "C", size: f.size })),
      { encoding: "gbk" },
    );
    for (let from = 0; from < n; from += 2000) {
      const records = [];
      for (let i = from; i < Math.min(n, from + 2000); i++)
        records.push({
          ZKZH: `14799901${String(1 + Math.floor(i / 1200)).padStart(2, "0")}${String(i + 1).padStart(6, "0")}`,
          BMH: `79990101${String(i).padStart(6, "0")}`,
          XM: `压测考生${i + 1}`,
          XB: "1",
          CSRQ: "19900101",
          ZJLX: "1",
          ZJH: "110101199001010011",
          MZ: "01",
          KSKM: "14",
          KDDM: "990101",
          KCH: "01",
          PCH: "01",
          ZWH: String((i % 50) + 1).padStart(2, "0"),
          KSRQ: "20270327",
          KSSJ: "0800",
          ZP: `14799901${String(i + 1).padStart(8, "0")}.jpg`,
        });
      await dbf.appendRecords(records);
    }
    const ms = performance.now() - t0;
    printResult({ ms: Math.round(ms), bytes: fs.statSync(path.join(dir, "990101.DBF")).size });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function zipRaw(n: number, photoPath: string) {
  const yazl = (await import("yazl")).default;
  const { pipeline } = await import("node:stream/promises");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-bench-zip-"));
  try {
    resetPeak();
    const t0 = performance.now();
    const zip = new yazl.ZipFile();
    const size = fs.statSync(photoPath).size;
    for (let i = 0; i < n; i++)
      zip.addReadStreamLazy(
        `990101/${String(i).padStart(16, "0")}.jpg`,
        { compress: false, mtime: new Date(0), size },
        (cb) => cb(null, fs.createReadStream(photoPath)),
      );
    zip.end();
    await pipeline(zip.outputStream, fs.createWriteStream(path.join(dir, "p.zip")));
    const ms = performance.now() - t0;
    printResult({ ms: Math.round(ms), bytes: fs.statSync(path.join(dir, "p.zip")).size });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function app(kind: "cbt_data" | "photo_package" | "sign_in_sheets", n: number, photoPath: string) {
  const { boot, shutdown } = await import("../app/boot.server");
  const { generateFile } = await import("../app/services/generated-files.server");
  const { seedNumberedSite } = await import("./seed-numbered");
  await boot({ seed: true, runJobs: false });
  // 99 rooms of 50 seats: 100,000 entries take 21 batches a room.
  const { sittingId, siteId } = await seedNumberedSite(n, photoPath, 99);
  const rssBeforeKb = memStatus().rssKb;
  resetPeak();
  const t0 = performance.now();
  const r = await generateFile(kind, {
    sittingId,
    siteId,
    siteCode: "990101",
    locale: "zh-CN",
    actorName: "bench",
    accountId: null,
  });
  const ms = performance.now() - t0;
  const peakKb = memStatus().hwmKb;
  await shutdown();
  printResult({ ms: Math.round(ms), bytes: r.size, rssBeforeKb, generatePeakKb: peakKb });
}

await runAsScript(import.meta.url, "predata-child", async ([mode, a, b, c]) => {
  if (mode === "dbf-raw") await dbfRaw(Number(a));
  else if (mode === "zip-raw") await zipRaw(Number(a), b);
  else if (mode === "app") await app(a as "cbt_data" | "photo_package" | "sign_in_sheets", Number(b), c);
  else throw new Error(`unknown mode ${mode}`);
});
