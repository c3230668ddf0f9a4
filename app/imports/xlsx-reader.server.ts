import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import { AppError } from "~/domain/errors";
import { entryName, entryStream, nextEntry, openZip, type ZipEntry, type ZipFile } from "./zip-reader.server";

// Our own .xlsx reader (decision 0023): the zip through yauzl, each XML part through saxes, the data
// sheet streamed row by row. Nothing in the file is trusted: sizes are counted as they inflate,
// relationship targets may be relative or absolute, the parts may come in any order.

export interface XlsxLimits {
  /** Bytes actually inflated from one part. */
  maxPartBytes: number;
  /** Bytes of a part that is held in memory (shared strings, styles, workbook, relationships); sheets stream. */
  maxHeldBytes: number;
  /** Bytes actually inflated from all parts read. */
  maxTotalBytes: number;
  /** Inflated bytes per compressed byte, judged on what came out (above 1 MB). */
  maxRatio: number;
  /** Wall-clock time for the whole file, the consumer's time included. */
  maxMs: number;
  /** Time a part may go without giving a byte. */
  stallMs: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  maxPartBytes: 400 * 1024 ** 2,
  maxHeldBytes: 128 * 1024 ** 2,
  maxTotalBytes: 600 * 1024 ** 2,
  maxRatio: 200,
  maxMs: 10 * 60_000,
  stallMs: 30_000,
};

/** A formula cell the writer saved without its computed value (openpyxl, some converters). */
export class UncomputedFormula {
  constructor(readonly formula: string) {}
  toString() {
    return "";
  }
}

export interface XlsxRow {
  /** 1-based, as Excel shows it. */
  number: number;
  /** Index 0 is column A. */
  values: unknown[];
}

export interface XlsxSheet {
  name: string;
  rows: () => AsyncGenerator<XlsxRow>;
}

/** Why a file is unreadable, for the log; the user sees `import.xlsx_broken`. */
export class XlsxUnreadable extends AppError {
  constructor(readonly reason: string) {
    super("import.xlsx_broken");
  }
}

interface Budget {
  limits: XlsxLimits;
  total: number;
  deadline: number;
}

async function openPackage(filePath: string): Promise<ZipFile> {
  return openZip(filePath).catch((err: unknown) => {
    throw new XlsxUnreadable(err instanceof Error ? err.message : "no zip");
  });
}

async function listEntries(zip: ZipFile): Promise<Map<string, ZipEntry>> {
  const out = new Map<string, ZipEntry>();
  for (;;) {
    const e = await nextEntry(zip).catch((err: Error) => {
      throw new XlsxUnreadable(err.message);
    });
    if (!e) return out;
    // Part names are case-insensitive in OPC.
    out.set(entryName(e).replace(/\\/g, "/").replace(/^\//, "").toLowerCase(), e);
    if (out.size > 20_000) throw new AppError("upload.zip_entries", { max: 20_000 });
  }
}

/**
 * Streams one part, counting what actually inflates (not what the zip declares) against the
 * per-part, total and ratio limits; a corrupt deflate stream, a stall or the deadline ends it with
 * an error, never a hang.
 */
async function* partChunks(zip: ZipFile, entry: ZipEntry, budget: Budget, partLimit: number): AsyncGenerator<Buffer> {
  const stream = await entryStream(zip, entry).catch((err: Error) => {
    throw new XlsxUnreadable(err.message);
  });
  const { limits } = budget;
  let part = 0;
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    if (timer) clearTimeout(timer);
    const left = budget.deadline - Date.now();
    timer = setTimeout(
      () => stream.destroy(new XlsxUnreadable("stalled or too slow")),
      Math.max(0, Math.min(limits.stallMs, left)),
    );
  };
  try {
    arm();
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      part += chunk.length;
      budget.total += chunk.length;
      if (part > partLimit || budget.total > limits.maxTotalBytes) throw new AppError("upload.zip_bomb");
      if (part > 1024 * 1024 && part / Math.max(entry.compressedSize, 1) > limits.maxRatio)
        throw new AppError("upload.zip_bomb");
      if (Date.now() > budget.deadline) throw new XlsxUnreadable("too slow");
      arm();
      yield chunk;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    // yauzl's own check (more bytes than the zip declared) is a lying size: a bomb, not damage.
    if (e instanceof Error && /too many bytes|expected \d+/i.test(e.message)) throw new AppError("upload.zip_bomb");
    throw new XlsxUnreadable(e instanceof Error ? e.message : String(e));
  } finally {
    if (timer) clearTimeout(timer);
    stream.destroy();
  }
}

type Handlers = {
  open?: (tag: SaxesTagPlain) => void;
  close?: (name: string) => void;
  text?: (t: string) => void;
};

/** Feeds a part through saxes; `after` runs after each chunk (the sheet reader yields rows there). */
async function* parsePart(
  zip: ZipFile,
  entry: ZipEntry,
  budget: Budget,
  h: Handlers,
  partLimit = budget.limits.maxHeldBytes,
): AsyncGenerator<void> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let failure: Error | null = null;
  parser.on("error", (e) => {
    failure ??= e;
  });
  if (h.open) parser.on("opentag", h.open);
  if (h.close) parser.on("closetag", (t) => h.close!(t.name));
  if (h.text) {
    parser.on("text", h.text);
    parser.on("cdata", h.text);
  }
  const decoder = new StringDecoder("utf8");
  for await (const chunk of partChunks(zip, entry, budget, partLimit)) {
    parser.write(decoder.write(chunk));
    if (failure) throw new XlsxUnreadable(`XML: ${(failure as Error).message}`);
    yield;
  }
  parser.write(decoder.end());
  parser.close();
  if (failure) throw new XlsxUnreadable(`XML: ${(failure as Error).message}`);
}

async function parseWhole(zip: ZipFile, entry: ZipEntry, budget: Budget, h: Handlers) {
  for await (const _ of parsePart(zip, entry, budget, h)) {
    /* handlers collect */
  }
}

const local = (name: string) => name.slice(name.indexOf(":") + 1);
/** OOXML escapes characters XML cannot hold as _xHHHH_. */
const unescapeOoxml = (s: string) =>
  s.includes("_x") ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : s;

/** A relationship target, relative to the source part's folder or absolute from the package root (openpyxl). */
export function resolveTarget(sourcePart: string, target: string): string {
  const t = target.replace(/\\/g, "/");
  const joined = t.startsWith("/") ? t.slice(1) : path.posix.join(path.posix.dirname(sourcePart), t);
  return path.posix.normalize(joined).replace(/^\/+/, "").toLowerCase();
}

function relsPath(part: string) {
  return path.posix.join(path.posix.dirname(part), "_rels", `${path.posix.basename(part)}.rels`).toLowerCase();
}

interface Rel {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

async function readRels(zip: ZipFile, entries: Map<string, ZipEntry>, part: string, budget: Budget): Promise<Rel[]> {
  const e = entries.get(relsPath(part));
  if (!e) return [];
  const rels: Rel[] = [];
  await parseWhole(zip, e, budget, {
    open: (tag) => {
      if (local(tag.name) !== "Relationship") return;
      const a = tag.attributes as Record<string, string>;
      rels.push({ id: a.Id ?? "", type: a.Type ?? "", target: a.Target ?? "", external: a.TargetMode === "External" });
    },
  });
  return rels;
}

// Built-in number formats that are dates (ECMA-376 18.8.30, plus the CJK ids Excel uses in China).
const DATE_FORMAT_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56,
  57, 58,
]);

/** A custom number format shows a date when, outside quotes, escapes and [..] blocks, it has a date or time letter. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/General/gi, "");
  return /[ymdhs]/i.test(bare) && !/^[#0.,%\s;E+-]*$/i.test(bare);
}

async function readDateStyles(zip: ZipFile, entry: ZipEntry | undefined, budget: Budget): Promise<boolean[]> {
  if (!entry) return [];
  const custom = new Map<number, string>();
  const xfNumFmt: number[] = [];
  let inCellXfs = false;
  await parseWhole(zip, entry, budget, {
    open: (tag) => {
      const n = local(tag.name);
      const a = tag.attributes as Record<string, string>;
      if (n === "numFmt") custom.set(Number(a.numFmtId), a.formatCode ?? "");
      else if (n === "cellXfs") inCellXfs = true;
      else if (n === "xf" && inCellXfs) xfNumFmt.push(Number(a.numFmtId ?? 0));
    },
    close: (name) => {
      if (local(name) === "cellXfs") inCellXfs = false;
    },
  });
  return xfNumFmt.map((id) => (custom.has(id) ? isDateFormat(custom.get(id)!) : DATE_FORMAT_IDS.has(id)));
}

async function readSharedStrings(zip: ZipFile, entry: ZipEntry | undefined, budget: Budget): Promise<string[]> {
  if (!entry) return [];
  const out: string[] = [];
  let cur: string[] | null = null;
  let inT = false;
  let phonetic = 0;
  await parseWhole(zip, entry, budget, {
    open: (tag) => {
      const n = local(tag.name);
      if (n === "si") cur = [];
      else if (n === "rPh") phonetic++;
      else if (n === "t" && phonetic === 0) inT = true;
    },
    close: (name) => {
      const n = local(name);
      if (n === "si") {
        out.push(unescapeOoxml((cur ?? []).join("")));
        cur = null;
      } else if (n === "rPh") phonetic--;
      else if (n === "t") inT = false;
    },
    text: (t) => {
      if (inT && cur) cur.push(t);
    },
  });
  return out;
}

const MS_PER_DAY = 86_400_000;

/** An Excel serial as a UTC Date, in the 1900 system (with its 1900-02-29) or the 1904 one. */
export function serialToDate(serial: number, date1904: boolean): Date {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : serial < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  return new Date(epoch + Math.round(serial * MS_PER_DAY));
}

function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return n - 1;
}

/**
 * Opens an .xlsx and lists its sheets by name; `rows()` of one sheet streams it. Call `close()`
 * when done (also after an error).
 */
export async function openXlsx(filePath: string, limits: XlsxLimits = DEFAULT_XLSX_LIMITS) {
  const budget: Budget = { limits, total: 0, deadline: Date.now() + limits.maxMs };
  const zip = await openPackage(filePath);
  try {
    const entries = await listEntries(zip);
    // The workbook part, from the package relationships (absolute or relative), else the usual place.
    // Damaged package relationships fall back to the usual workbook place; a bomb is still a bomb.
    const rootRels = await readRels(zip, entries, "", budget).catch((e: unknown) => {
      if (e instanceof XlsxUnreadable) return [] as Rel[];
      throw e;
    });
    const officeDoc = rootRels.find((r) => r.type.endsWith("/officeDocument") && !r.external);
    let workbookPart = officeDoc ? resolveTarget("", officeDoc.target) : "xl/workbook.xml";
    if (!entries.has(workbookPart)) workbookPart = "xl/workbook.xml";
    const wbEntry = entries.get(workbookPart);
    if (!wbEntry) throw new XlsxUnreadable("no workbook part");

    const sheetRefs: Array<{ name: string; rid: string }> = [];
    let date1904 = false;
    await parseWhole(zip, wbEntry, budget, {
      open: (tag) => {
        const n = local(tag.name);
        const a = tag.attributes as Record<string, string>;
        if (n === "workbookPr") date1904 = a.date1904 === "1" || a.date1904 === "true";
        if (n === "sheet") {
          const ridKey = Object.keys(a).find((k) => k.includes(":") && local(k) === "id");
          sheetRefs.push({ name: a.name ?? "", rid: ridKey ? a[ridKey] : "" });
        }
      },
    });
    const rels = await readRels(zip, entries, workbookPart, budget);
    const byId = new Map(rels.map((r) => [r.id, r]));
    const partOf = (type: string, fallback: string) => {
      const r = rels.find((x) => x.type.endsWith(type) && !x.external);
      const p = r ? resolveTarget(workbookPart, r.target) : fallback;
      return entries.get(p) ?? entries.get(fallback);
    };
    let strings: string[] | null = null;
    let dateStyles: boolean[] | null = null;
    const loadShared = async () => {
      strings ??= await readSharedStrings(zip, partOf("/sharedStrings", "xl/sharedstrings.xml"), budget);
      dateStyles ??= await readDateStyles(zip, partOf("/styles", "xl/styles.xml"), budget);
    };

    const sheets: XlsxSheet[] = sheetRefs.map((s) => ({
      name: s.name,
      rows: async function* () {
        const rel = byId.get(s.rid);
        const entry = rel && !rel.external ? entries.get(resolveTarget(workbookPart, rel.target)) : undefined;
        if (!entry) throw new XlsxUnreadable(`no part for sheet ${s.name}`);
        await loadShared();
        yield* sheetRows(zip, entry, budget, strings!, dateStyles!, date1904);
      },
    }));
    return { sheets, close: () => zip.close() };
  } catch (e) {
    zip.close();
    throw e;
  }
}

async function* sheetRows(
  zip: ZipFile,
  entry: ZipEntry,
  budget: Budget,
  strings: string[],
  dateStyles: boolean[],
  date1904: boolean,
): AsyncGenerator<XlsxRow> {
  const ready: XlsxRow[] = [];
  let rowNo = 0;
  let values: unknown[] | null = null;
  let col = -1;
  // The cell being read.
  let type = "";
  let style = 0;
  let v: string[] | null = null;
  let f: string[] | null = null;
  let inline: string[] | null = null;
  let into: string[] | null = null;
  let phonetic = 0;
  let inSheetData = false;

  const finishCell = () => {
    if (!values || col < 0) return;
    const vt = v?.join("");
    let value: unknown = null;
    if (type === "inlineStr") value = unescapeOoxml((inline ?? []).join(""));
    else if (f !== null && (vt === undefined || (vt === "" && type !== "str")))
      value = new UncomputedFormula(f.join(""));
    else if (vt === undefined || vt === "") value = type === "str" ? "" : null;
    else if (type === "s") value = strings[Number(vt)] ?? null;
    else if (type === "str") value = unescapeOoxml(vt);
    else if (type === "b") value = vt === "1" || vt === "true";
    else if (type === "e") value = null;
    else if (type === "d") {
      const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(vt) ? vt : `${vt}Z`);
      value = Number.isNaN(d.getTime()) ? vt : d;
    } else {
      const n = Number(vt);
      value = Number.isNaN(n) ? vt : dateStyles[style] ? serialToDate(n, date1904) : n;
    }
    values[col] = value;
  };

  const handlers: Handlers = {
    open: (tag) => {
      const n = local(tag.name);
      const a = tag.attributes as Record<string, string>;
      if (n === "sheetData") inSheetData = true;
      if (!inSheetData) return;
      if (n === "row") {
        rowNo = a.r ? Number(a.r) : rowNo + 1;
        values = [];
        col = -1;
      } else if (n === "c") {
        col = a.r ? columnIndex(a.r) : col + 1;
        type = a.t ?? "n";
        style = Number(a.s ?? 0);
        v = f = inline = into = null;
      } else if (n === "v") into = v = [];
      else if (n === "f") into = f = [];
      else if (n === "is") inline = [];
      else if (n === "rPh") phonetic++;
      else if (n === "t" && inline && phonetic === 0) into = inline;
    },
    close: (name) => {
      const n = local(name);
      if (n === "sheetData") inSheetData = false;
      if (!inSheetData) return;
      if (n === "v" || n === "f" || n === "t") into = null;
      else if (n === "rPh") phonetic--;
      else if (n === "c") finishCell();
      else if (n === "row" && values) {
        ready.push({ number: rowNo, values });
        values = null;
      }
    },
    text: (t) => {
      if (into) into.push(t);
    },
  };
  for await (const _ of parsePart(zip, entry, budget, handlers, budget.limits.maxPartBytes)) {
    for (const r of ready.splice(0)) yield r;
  }
  for (const r of ready.splice(0)) yield r;
}
