import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import sharp from "sharp";
import yauzl from "yauzl";
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";
import type { DbHandle } from "../db/client";
import type { JobContext } from "../jobs/define";
import { groupId, groupRow, groupXlsx, zipOf } from "../tests/fixtures/group-registrations";
import { compliantPhoto } from "../tests/fixtures/photos";
import { memStatus, printResult, runAsScript } from "./child";

// One measurement of the group benchmark (bench/group.ts), run in its own process so that its peak
// RSS (VmHWM) is its own. Prints one JSON line on stdout, last; errors go to stderr. The database
// and app modules are imported only by the modes that use them, so the raw figures are the libraries'.
//
//   tsx bench/group-child.ts gen         <dir> <candidates> <photos> <checkPhotos>
//   tsx bench/group-child.ts raw-xlsx    <group.xlsx>
//   tsx bench/group-child.ts raw-photos  <photos.zip> [<writeDir>]
//   tsx bench/group-child.ts raw-encode  <photos.zip>
//   tsx bench/group-child.ts group       <group.zip> postgres <databaseUrl> | pglite        (DATA_DIR: the file store)
//   tsx bench/group-child.ts photo-prep  <databaseUrl> <candidates> <photos>
//   tsx bench/group-child.ts photos      <photos.zip> <databaseUrl> check|nocheck           (DATA_DIR: the file store)

const SITE_CODE = "990101";
const SITE_LOGIN = "site990101@example.com";
const GROUP_SHEET = "集体报名信息";
const TAG = "bench";
/** 1–2 subjects a candidate, all offered at 990101 (max_entries raised to 3 in the bench database). */
const SUBJECTS = ["14", "15；24", "65", "66、14", "24"];

// ---------------------------------------------------------------------------------------------
// Who is who: candidate i of the group file (the fixture's row i), and the candidates created
// directly in the database so that every photo has a registration.

export const groupCandidateId = (i: number) => String(groupRow(i, {}, TAG)["证件号码*"]);
export const directCandidateId = (j: number) =>
  groupId("2004-06-07", (j % 499) * 2 + 2, String(440106 + Math.floor(j / 499)));
export const photoId = (i: number, candidates: number) =>
  i < candidates ? groupCandidateId(i) : directCandidateId(i - candidates);

// ---------------------------------------------------------------------------------------------
// A zip writer for stored (uncompressed) entries, streaming to disk: a photo archive of 10,000
// JPEGs is ~650 MB, which the fixture's in-memory writer would hold whole.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

class StoredZip {
  private fd: number;
  private offset = 0;
  private central: Buffer[] = [];
  private count = 0;
  constructor(file: string) {
    this.fd = fs.openSync(file, "w");
  }
  private write(b: Buffer) {
    fs.writeSync(this.fd, b);
    this.offset += b.length;
  }
  /** A file (or a folder when `data` is null), its name in UTF-8 (flag bit 11). */
  add(nameText: string, data: Buffer | null, crc = data ? crc32(data) : 0) {
    const name = Buffer.from(nameText, "utf8");
    const size = data?.length ?? 0;
    const dosTime = (10 << 11) | (30 << 5); // 10:30
    const dosDate = ((2026 - 1980) << 9) | (11 << 5) | 1; // 2026-11-01
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(10, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(0, 10);
    cd.writeUInt16LE(dosTime, 12);
    cd.writeUInt16LE(dosDate, 14);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(size, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(data ? 0 : 0x10, 38);
    cd.writeUInt32LE(this.offset, 42);
    this.central.push(cd, name);
    this.write(local);
    this.write(name);
    if (data) this.write(data);
    this.count++;
  }
  close() {
    const start = this.offset;
    const cd = Buffer.concat(this.central);
    this.write(cd);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.count, 8);
    end.writeUInt16LE(this.count, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(start, 16);
    this.write(end);
    fs.closeSync(this.fd);
  }
}

// ---------------------------------------------------------------------------------------------

async function gen(dir: string, candidates: number, photos: number, checkPhotos: number) {
  const t0 = performance.now();
  // The group file: the test fixture's rows (unique IDs and e-mails, class 计科2401), 1–2 subjects each.
  const rows = Array.from({ length: candidates }, (_, i) =>
    groupRow(i, { 报考科目: SUBJECTS[i % SUBJECTS.length] }, TAG),
  );
  const xlsx = await groupXlsx(rows);
  fs.writeFileSync(path.join(dir, "group.xlsx"), xlsx);
  fs.writeFileSync(path.join(dir, "group.zip"), zipOf([{ name: "集体报名信息.xlsx", data: xlsx }]));
  const groupMs = performance.now() - t0;

  // A few distinct compliant JPEGs (600×800, light backdrop, ~66 KB), encoded once and reused.
  const t1 = performance.now();
  const jpegs = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => compliantPhoto({ seed })));
  const crcs = jpegs.map(crc32);
  const encodeMs = performance.now() - t1;

  // 50 class folders under one top folder, as a school would send them; every photo matches a candidate.
  const t2 = performance.now();
  const write = (file: string, indexes: number[]) => {
    const zip = new StoredZip(file);
    zip.add("照片/", null);
    let folder = -1;
    let bytes = 0;
    for (const [k, i] of indexes.entries()) {
      const f = Math.floor((k * 50) / indexes.length);
      if (f !== folder) zip.add(`照片/计科24${String(f + 1).padStart(2, "0")}/`, null);
      folder = f;
      const j = i % jpegs.length;
      zip.add(`照片/计科24${String(f + 1).padStart(2, "0")}/${photoId(i, candidates)}.jpg`, jpegs[j], crcs[j]);
      bytes += jpegs[j].length;
    }
    zip.close();
    return bytes;
  };
  const all = Array.from({ length: photos }, (_, i) => i);
  const jpegBytes = write(path.join(dir, "photos.zip"), all);
  // The ID-photo check's archive: every k-th photo, so imported and directly created candidates both appear.
  const step = photos / checkPhotos;
  write(
    path.join(dir, "photos-check.zip"),
    Array.from({ length: checkPhotos }, (_, k) => Math.floor(k * step)),
  );
  const zipMs = performance.now() - t2;
  const size = (f: string) => fs.statSync(path.join(dir, f)).size;
  printResult({
    groupMs,
    encodeMs,
    zipMs,
    xlsxBytes: size("group.xlsx"),
    groupZipBytes: size("group.zip"),
    photosZipBytes: size("photos.zip"),
    checkZipBytes: size("photos-check.zip"),
    jpegBytes,
    distinctJpegs: jpegs.length,
    jpegSizes: jpegs.map((j) => j.length),
  });
}

// ---------------------------------------------------------------------------------------------
// The raw limits

/** exceljs's streaming reader with the app's options (read-rows.server.ts), counting the data sheet's rows: nothing else. */
async function rawXlsx(file: string) {
  const t0 = performance.now();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "emit",
  });
  let rows = 0;
  for await (const ws of reader as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader & { name?: string }>) {
    const data = ws.name === GROUP_SHEET;
    for await (const _row of ws) if (data) rows++;
  }
  printResult({ rows: rows - 1, ms: performance.now() - t0 });
}

/** A JPEG's pixel size from its first SOF segment (the header only, nothing decoded). */
export function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const m = b[i + 1];
    if (m === 0xff) {
      i++;
      continue;
    }
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc)
      return { height: (b[i + 5] << 8) | b[i + 6], width: (b[i + 7] << 8) | b[i + 8] };
    i += 2 + ((b[i + 2] << 8) | b[i + 3]);
  }
  return null;
}

/**
 * The bare read of a photo archive, as the app reads one (zip-reader.server.ts readWholeEntry):
 * yauzl's central directory one entry at a time, each entry's local header, its data in one fs.read,
 * inflated if deflated, its CRC-32 checked with zlib. `onPhoto` may return a promise: up to `inFlight`
 * run while the next entries are read.
 */
async function bareEntries(file: string, inFlight: number, onPhoto: (data: Buffer) => void | Promise<void>) {
  const fd = fs.openSync(file, "r");
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromFd(fd, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (e, z) =>
      e || !z ? reject(e) : resolve(z),
    ),
  );
  const next = () =>
    new Promise<yauzl.Entry | null>((resolve, reject) => {
      const onEntry = (e: yauzl.Entry) => (zip.off("end", onEnd), zip.off("error", reject), resolve(e));
      const onEnd = () => (zip.off("entry", onEntry), zip.off("error", reject), resolve(null));
      zip.once("entry", onEntry).once("end", onEnd).once("error", reject);
      zip.readEntry();
    });
  const running = new Set<Promise<void>>();
  try {
    for (let e = await next(); e; e = await next()) {
      if (e.uncompressedSize === 0) continue;
      const { fileDataStart } = await zip.readLocalFileHeaderPromise(e, { minimal: true });
      const raw = Buffer.allocUnsafe(e.compressedSize);
      await new Promise<void>((resolve, reject) =>
        fs.read(fd, raw, 0, raw.length, fileDataStart, (err) => (err ? reject(err) : resolve())),
      );
      const data = e.compressionMethod === 8 ? zlib.inflateRawSync(raw) : raw;
      if (zlib.crc32(data) !== e.crc32) throw new Error(`CRC-32 mismatch in ${e.fileName.toString()}`);
      const task: Promise<void> = Promise.resolve(onPhoto(data)).finally(() => running.delete(task));
      running.add(task);
      if (running.size >= inFlight) await Promise.race(running);
    }
    await Promise.all(running);
  } finally {
    zip.close();
  }
}

/**
 * The raw limit of a photo import: every photo read whole (bareEntries), its size from the SOF
 * segment. With `writeDir`, each photo is also written to its own file (what storing it costs), 4 at
 * a time as the app stores them.
 */
async function rawPhotos(file: string, writeDir?: string) {
  const t0 = performance.now();
  let photos = 0;
  let compliant = 0;
  let bytes = 0;
  await bareEntries(file, 4, (data) => {
    const size = jpegSize(data);
    photos++;
    bytes += data.length;
    if (size && size.width === 600 && size.height === 800) compliant++;
    if (writeDir) return fs.promises.writeFile(path.join(writeDir, `${photos}.jpg`), data);
  });
  printResult({ photos, compliant, bytes, ms: performance.now() - t0 });
}

/**
 * Unzip + re-encode (information): each photo read as above, decoded, scaled to 360×480 and encoded
 * as a baseline JPEG with the app's settings (process-photo.server.ts), in one sharp pipeline, 4 at a
 * time. What a photo import that re-encoded every photo could at best do; nothing checked or written.
 */
async function rawEncode(file: string) {
  const t0 = performance.now();
  let photos = 0;
  let bytesOut = 0;
  await bareEntries(file, 4, (data) =>
    sharp(data, { autoOrient: true, failOn: "truncated" })
      .resize(360, 480, { fit: "cover" })
      .toColourspace("srgb")
      .removeAlpha()
      .jpeg({
        quality: 90,
        progressive: false,
        trellisQuantisation: true,
        overshootDeringing: true,
        quantisationTable: 3,
        optimiseCoding: true,
        chromaSubsampling: "4:2:0",
      })
      .toBuffer()
      .then((out) => {
        photos++;
        bytesOut += out.length;
      }),
  );
  printResult({ photos, bytesOut, ms: performance.now() - t0 });
}

// ---------------------------------------------------------------------------------------------
// The app: the job handlers, called as the job runner calls them (jobs/runner.ts runJob), with a
// progress callback that notes times instead of writing the job row (the runner writes it at most
// every 250 ms, in the background). Every query's time is summed by kind through a Kysely plugin.

function tableOf(node: unknown): string {
  const n = node as { kind?: string; node?: unknown; table?: { identifier?: { name?: string } } } | undefined;
  if (!n) return "?";
  if (n.kind === "AliasNode") return tableOf(n.node);
  return n.table?.identifier?.name ?? "?";
}

class QueryTimer implements KyselyPlugin {
  private started = new WeakMap<object, { t: number; label: string }>();
  readonly totals = new Map<string, { n: number; ms: number }>();
  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    const n = node as unknown as Record<string, any>;
    let label: string = node.kind;
    if (node.kind === "SelectQueryNode") label = `select ${tableOf(n.from?.froms?.[0])}`;
    else if (node.kind === "InsertQueryNode") label = `insert ${tableOf(n.into)}`;
    else if (node.kind === "UpdateQueryNode") label = `update ${tableOf(n.table)}`;
    else if (node.kind === "DeleteQueryNode") label = `delete ${tableOf(n.from?.froms?.[0])}`;
    else if (node.kind === "RawNode")
      label = `sql ${String((n.sqlFragments as string[]).join("$").trim().split(/\s+/).slice(0, 2).join(" "))}`;
    this.started.set(queryId, { t: performance.now(), label });
    return node;
  }
  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const s = this.started.get(queryId);
    if (s) {
      const tot = this.totals.get(s.label) ?? { n: 0, ms: 0 };
      tot.n++;
      tot.ms += performance.now() - s.t;
      this.totals.set(s.label, tot);
    }
    return result;
  }
  top(k = 6) {
    return [...this.totals.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, k)
      .map(([label, v]) => ({ label, n: v.n, ms: Math.round(v.ms) }));
  }
  sumMs() {
    return [...this.totals.values()].reduce((s, v) => s + v.ms, 0);
  }
}

async function open(kind: "postgres" | "pglite", databaseUrl?: string): Promise<DbHandle> {
  const { createDb, pgliteParsers } = await import("../db/client");
  if (kind === "pglite") {
    const { PGlite } = await import("@electric-sql/pglite");
    return createDb({ pglite: await PGlite.create({ parsers: pgliteParsers }) });
  }
  return createDb({ databaseUrl });
}

async function context(db: DbHandle["db"]) {
  const site = await db.selectFrom("org").select("id").where("code", "=", SITE_CODE).executeTakeFirstOrThrow();
  const account = await db
    .selectFrom("account")
    .select(["id", "name"])
    .where("email", "=", SITE_LOGIN)
    .executeTakeFirstOrThrow();
  const sitting = await db.selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow();
  return { siteId: site.id, account, sittingId: sitting.id };
}

function jobContext(c: Awaited<ReturnType<typeof context>>, ticks: Array<{ t: number; p: number }>): JobContext {
  return {
    jobId: randomUUID(),
    accountId: c.account.id,
    orgId: c.siteId,
    sittingId: c.sittingId,
    progress: async (p) => void ticks.push({ t: performance.now(), p }),
  };
}

/** Route (unpack + store the .xlsx, as admin.group.import.tsx does before queueing), then the job handler. */
async function appGroup(zipFile: string, kind: "postgres" | "pglite", databaseUrl?: string) {
  const { migrateToLatest, setDbHandle } = await import("../db/client");
  const { seedDemo } = await import("../db/seed");
  const { unpackGroupUpload, discardUnpacked } = await import("../app/imports/group-upload.server");
  const { storeStream } = await import("../app/utils/file-store.server");
  const { default: handler } = await import("../jobs/definitions/group-registration-import.handler");
  const handle = await open(kind, databaseUrl);
  const opened = memStatus();
  const timer = new QueryTimer();
  const db = handle.db;
  try {
    await migrateToLatest(db);
    await seedDemo(db);
    const c = await context(db);
    // The bench site: room for everyone, three entries each, group registration on.
    await db
      .updateTable("site_setting")
      .set({ total_capacity: 99999, max_entries: 3, group_registration: true })
      .where("org_id", "=", c.siteId)
      .where("sitting_id", "=", c.sittingId)
      .execute();
    await db
      .updateTable("site_subject")
      .set({ capacity: 99999 })
      .where("org_id", "=", c.siteId)
      .where("sitting_id", "=", c.sittingId)
      .execute();
    setDbHandle({ ...handle, db: db.withPlugin(timer) });
    const before = memStatus();

    const t0 = performance.now();
    const book = await unpackGroupUpload(zipFile, "集体报名.zip");
    let fileId: string;
    try {
      fileId = (
        await storeStream(
          {
            kind: "upload",
            name: book.name,
            contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            orgId: c.siteId,
            sittingId: c.sittingId,
            createdBy: c.account.id,
          },
          fs.createReadStream(book.path),
        )
      ).id;
    } finally {
      discardUnpacked(book);
    }
    const routeMs = performance.now() - t0;
    const routeQueryMs = timer.sumMs();
    timer.totals.clear();

    const ticks: Array<{ t: number; p: number }> = [];
    const t1 = performance.now();
    const result = await handler(
      { fileId, siteId: c.siteId, overwrite: false, locale: "zh-CN", actorName: c.account.name, ip: null },
      jobContext(c, ticks),
    );
    const t2 = performance.now();
    if (!result.ok) throw new Error(`group import refused: ${JSON.stringify(result).slice(0, 600)}`);

    // Phases from the progress calls: reading (≤ 35 %), 40 % checking, 40–70 accounts (every 20 hashes, 70 the last), above 70 writing (per 1,000 rows).
    const at40 = ticks.find((k) => k.p === 40)?.t ?? t1;
    const acc = ticks.filter((k) => k.p > 40 && k.p <= 70);
    const wr = ticks.filter((k) => k.p > 70);
    const hashesPerTick = 20;
    const perHashMs = acc.length > 1 ? (acc[acc.length - 1].t - acc[0].t) / ((acc.length - 1) * hashesPerTick) : 0;
    // From 40 % to the first passwords: the site's lock and the plan made under it.
    const plan1Ms = acc.length ? Math.max(0, acc[0].t - at40 - perHashMs * hashesPerTick) : 0;
    const hashMs = acc.length ? acc[acc.length - 1].t - at40 - plan1Ms : 0;
    const gaps = wr
      .slice(1)
      .map((k, i) => k.t - wr[i].t)
      .sort((a, b) => a - b);
    const batchMs = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
    const stored = await db
      .selectFrom("registration")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("org_id", "=", c.siteId)
      .where("channel", "=", "group")
      .executeTakeFirstOrThrow();
    const entries = await db
      .selectFrom("entry")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("org_id", "=", c.siteId)
      .executeTakeFirstOrThrow();
    printResult({
      rows: result.rows,
      created: result.created,
      accountsCreated: result.accountsCreated,
      entriesAdded: result.entriesAdded,
      stored: Number(stored.n),
      entries: Number(entries.n),
      credentialSheetId: result.credentialSheetId,
      routeMs,
      routeQueryMs,
      totalMs: t2 - t1,
      readMs: at40 - t1,
      plan1Ms,
      hashMs,
      hashes: acc.length ? result.accountsCreated : 0,
      // From the last hash to the first 1,000 registrations: the accounts' insert, the photo lookup, one batch.
      txStartMs: wr.length ? wr[0].t - (acc.length ? acc[acc.length - 1].t : at40) : 0,
      regBatches: wr.length,
      regBatchMs: batchMs,
      // After the last registration batch: entries, seats, the credentials sheet recorded (its .xlsx written since the accounts were), audit, commit.
      tailMs: wr.length ? t2 - wr[wr.length - 1].t : 0,
      queryMs: timer.sumMs(),
      queries: [...timer.totals.values()].reduce((s, v) => s + v.n, 0),
      topQueries: timer.top(),
      rssAfterOpenKb: opened.rssKb,
      rssBeforeKb: before.rssKb,
    });
  } finally {
    setDbHandle(undefined);
    await db.destroy();
  }
}

/** The candidates without a group-file row: registrations created directly, so every photo has one. */
async function photoPrep(databaseUrl: string, candidates: number, photos: number) {
  const handle = await open("postgres", databaseUrl);
  const db = handle.db;
  try {
    const c = await context(db);
    const direct = Array.from({ length: Math.max(0, photos - candidates) }, (_, j) => directCandidateId(j));
    for (let b = 0; b < direct.length; b += 1000) {
      await db
        .insertInto("registration")
        .values(
          direct.slice(b, b + 1000).map((id, k) => ({
            sitting_id: c.sittingId,
            org_id: c.siteId,
            account_id: null,
            channel: "group" as const,
            id_type: "1",
            id_number: id,
            name: `直接${b + k + 1}`,
            gender: "2",
            birth_date: "2004-06-07",
            ethnicity: "01",
            education: "20",
            hold_until: null,
          })),
        )
        .execute();
    }
    const ids = Array.from({ length: photos }, (_, i) => photoId(i, candidates));
    let found = 0;
    for (let b = 0; b < ids.length; b += 5000) {
      const r = await db
        .selectFrom("registration")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("sitting_id", "=", c.sittingId)
        .where("org_id", "=", c.siteId)
        .where("id_number", "in", ids.slice(b, b + 5000))
        .executeTakeFirstOrThrow();
      found += Number(r.n);
    }
    printResult({ created: direct.length, found });
  } finally {
    await db.destroy();
  }
}

/** Route (sniff, zip checks, store the upload, as admin.photos.import.tsx does before queueing), then the job handler. */
async function appPhotos(zipFile: string, databaseUrl: string, check: boolean) {
  const { setDbHandle } = await import("../db/client");
  const { checkZip, sniffFile } = await import("../app/imports/sniff.server");
  const { PHOTO_ZIP_LIMITS, removeStoredFiles } = await import("../app/services/import-photos.server");
  const { storeStream } = await import("../app/utils/file-store.server");
  const { default: handler } = await import("../jobs/definitions/photo-import.handler");
  const handle = await open("postgres", databaseUrl);
  const opened = memStatus();
  const timer = new QueryTimer();
  const db = handle.db;
  setDbHandle(handle);
  try {
    const c = await context(db);
    // A clean start: no photos stored for the site (an earlier run's go, files included).
    await db.updateTable("registration").set({ photo_id: null }).where("org_id", "=", c.siteId).execute();
    const gone = await db.deleteFrom("photo").where("org_id", "=", c.siteId).returning("file_id").execute();
    await removeStoredFiles(gone.map((g) => g.file_id));
    setDbHandle({ ...handle, db: db.withPlugin(timer) });
    const before = memStatus();

    const t0 = performance.now();
    if ((await sniffFile(zipFile)) !== "zip") throw new Error("photos.zip: not a zip by content");
    await checkZip(zipFile, PHOTO_ZIP_LIMITS);
    const stored = await storeStream(
      {
        kind: "upload",
        name: "照片.zip",
        contentType: "application/zip",
        orgId: c.siteId,
        sittingId: c.sittingId,
        createdBy: c.account.id,
      },
      fs.createReadStream(zipFile),
    );
    const routeMs = performance.now() - t0;
    const routeQueryMs = timer.sumMs();
    timer.totals.clear();

    const ticks: Array<{ t: number; p: number }> = [];
    const t1 = performance.now();
    const result = await handler(
      {
        fileId: stored.id,
        siteId: c.siteId,
        overwrite: false,
        idPhotoCheck: check,
        locale: "zh-CN",
        actorName: c.account.name,
        ip: null,
      },
      jobContext(c, ticks),
    );
    const t2 = performance.now();
    if (!result.ok)
      throw new Error(
        `photo import: ${JSON.stringify({ ...result, errors: result.errors?.slice(0, 3) }).slice(0, 600)}`,
      );

    // Phases from the progress calls: 1 % listing, 2–90 % checking (every file), 90–99 % writing (per 500 photos).
    const listing = ticks.find((k) => k.p === 1)?.t ?? t1;
    const checking = ticks.filter((k) => k.p > 1 && k.p < 90);
    const writing = ticks.filter((k) => k.p >= 90);
    const n = await db
      .selectFrom("photo")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("org_id", "=", c.siteId)
      .executeTakeFirstOrThrow();
    printResult({
      files: result.files,
      imported: result.imported,
      failed: result.failed,
      photos: Number(n.n),
      routeMs,
      routeQueryMs,
      totalMs: t2 - t1,
      // Names (central directory) + the site's registrations and photos, until the first file is judged.
      listMs: checking.length ? checking[0].t - listing : 0,
      checkMs: checking.length ? checking[checking.length - 1].t - checking[0].t : 0,
      writeMs: writing.length ? writing[writing.length - 1].t - writing[0].t : 0,
      tailMs: writing.length ? t2 - writing[writing.length - 1].t : 0,
      queryMs: timer.sumMs(),
      queries: [...timer.totals.values()].reduce((s, v) => s + v.n, 0),
      topQueries: timer.top(),
      rssAfterOpenKb: opened.rssKb,
      rssBeforeKb: before.rssKb,
    });
  } finally {
    setDbHandle(undefined);
    await db.destroy();
  }
}

// ---------------------------------------------------------------------------------------------

async function main([mode, ...args]: string[]) {
  if (mode === "gen") await gen(args[0], Number(args[1]), Number(args[2]), Number(args[3]));
  else if (mode === "raw-xlsx") await rawXlsx(args[0]);
  else if (mode === "raw-photos") await rawPhotos(args[0], args[1]);
  else if (mode === "raw-encode") await rawEncode(args[0]);
  else if (mode === "group" && (args[1] === "postgres" || args[1] === "pglite"))
    await appGroup(args[0], args[1], args[2]);
  else if (mode === "photo-prep") await photoPrep(args[0], Number(args[1]), Number(args[2]));
  else if (mode === "photos" && (args[2] === "check" || args[2] === "nocheck"))
    await appPhotos(args[0], args[1], args[2] === "check");
  else
    throw new Error(
      `usage: group-child.ts gen|raw-xlsx|raw-photos|raw-encode|group|photo-prep|photos … (got ${mode ?? "nothing"})`,
    );
}

await runAsScript(import.meta.url, "group-child", main);
