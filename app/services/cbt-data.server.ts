import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { DBFFile } from "dbffile";
import yazl from "yazl";
import type { Kysely, Transaction } from "kysely";
import { getDb } from "~db/client";
import { cardPreconditions, cbtRows, numberedNames } from "~db/queries/admission-cards";
import type { DB } from "~db/schema";
import { CBT_FIELDS, cbtRecord, nonGbkCharacters, type CbtRow } from "~/domain/cbt-data";
import { AppError } from "~/domain/errors";
import { getEnv } from "~/utils/env.server";

type Q = Kysely<DB> | Transaction<DB>;

/** dBASE's code-page mark (header byte 29) for GBK / code page 936: FoxPro-family readers and dbfread open it without asking. */
const LANGUAGE_DRIVER_GBK = 0x7a;
const PAGE_SIZE = 10_000;

const asRow = (r: Awaited<ReturnType<typeof cbtRows>>[number]): CbtRow => ({
  ...r,
  admission_no: r.admission_no!,
  seat: r.seat ?? 0,
  birth_date: String(r.birth_date),
});

/**
 * DOC-6: what stops the CBT file: entries not yet numbered, and characters GBK cannot hold (listed
 * with whose names they are in; dbffile would write them as "?").
 */
export async function cbtCheck(db: Q, sittingId: number, siteId: number) {
  // Only the names: the check runs on every page load and again before the file is built.
  const [pre, rows] = await Promise.all([
    cardPreconditions(db, sittingId, siteId),
    numberedNames(db, sittingId, siteId),
  ]);
  return {
    ...pre,
    records: rows.length,
    nonGbk: nonGbkCharacters(rows.map((r) => ({ name: r.name, admission_no: r.admission_no! }))),
  };
}

export async function refuseUnlessCbtReady(db: Q, sittingId: number, siteId: number) {
  const c = await cbtCheck(db, sittingId, siteId);
  if (c.records === 0) throw new AppError("photopkg.no_numbers");
  if (c.numbered < c.paid) throw new AppError("cards.not_ready", { count: c.paid - c.numbered });
  if (c.nonGbk.length)
    throw new AppError("cbt.non_gbk", { chars: c.nonGbk.map((x) => x.char).join(" "), count: c.nonGbk.length });
}

/**
 * DOC-6: `<site code>.DBF` (GBK, code-page byte set) in a zip: written with dbffile to a temporary
 * file (values already cut by whole characters to their field, so dbffile never cuts one in half),
 * marked GBK, then streamed into the zip and removed.
 */
export async function cbtDataZip(o: {
  sittingId: number;
  siteId: number;
  siteCode: string;
  /** Entries read at a time (the tests make it small to cross pages). */
  pageSize?: number;
}): Promise<Readable> {
  const PAGE = o.pageSize ?? PAGE_SIZE;
  const db = getDb();
  const sitting = await db.selectFrom("sitting").select("code").where("id", "=", o.sittingId).executeTakeFirstOrThrow();
  const naming = getEnv().PHOTO_PACKAGE_NAMING;
  const record = (r: Parameters<typeof asRow>[0]) =>
    cbtRecord(asRow(r), { sittingCode: sitting.code, siteCode: o.siteCode, photoNaming: naming });
  // A page at a time, the next read while this one is written (dbffile waits on a write per record).
  async function* pages() {
    const page = (after: string | null) => {
      const p = cbtRows(db, o.sittingId, o.siteId, after, PAGE);
      p.catch(() => {}); // awaited below; until then a failure must not count as unhandled
      return p;
    };
    let next = page(null);
    for (;;) {
      const rows = await next;
      if (rows.length === PAGE) next = page(rows[PAGE - 1].admission_no);
      yield rows.map(record);
      if (rows.length < PAGE) break;
    }
  }
  return gbkDbfZip(
    `${o.siteCode}.DBF`,
    CBT_FIELDS.map((f) => ({ name: f.name, type: "C" as const, size: f.size })),
    pages(),
  );
}

/**
 * The one DBF writer (DOC-6's CBT data, SCO-3's scores): dbffile in GBK to a temporary file, the
 * code-page byte set so readers open it without asking, then the file alone in a zip, streamed, and
 * removed once read. Values must already fit their fields in GBK bytes.
 */
export async function gbkDbfZip(
  entryName: string,
  fields: Array<{ name: string; type: "C" | "N"; size: number; decimalPlaces?: number }>,
  pages: AsyncIterable<Array<Record<string, string | number | null>>>,
): Promise<Readable> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-dbf-"));
  const file = path.join(dir, entryName);
  try {
    const dbf = await DBFFile.create(file, fields, { encoding: "gbk" });
    for await (const records of pages)
      for (let i = 0; i < records.length; i += 2000) await dbf.appendRecords(records.slice(i, i + 2000));
    const fd = fs.openSync(file, "r+");
    try {
      fs.writeSync(fd, Buffer.from([LANGUAGE_DRIVER_GBK]), 0, 1, 29);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const zip = new yazl.ZipFile();
  const out = new PassThrough();
  zip.outputStream.on("error", (e) => out.destroy(e)).pipe(out);
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  out.on("close", cleanup);
  out.on("end", cleanup);
  zip.addFile(file, entryName, { mtime: new Date(0) });
  zip.end();
  return out;
}
