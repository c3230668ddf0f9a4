import fs from "node:fs";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { parse } from "csv-parse";
import iconv from "iconv-lite";
import { AppError } from "~/domain/errors";
import { cleanText, toHalfWidth } from "~/domain/import-values";

export interface SheetSpec {
  /** The data sheet of the template; other sheets (instructions, samples, code tables) are ignored (SR-2). */
  sheetName: string;
  headers: readonly string[];
  required: readonly string[];
}

export interface RawRow {
  /** The row number as the user sees it in Excel (1-based, header row included). */
  row: number;
  cells: Record<string, unknown>;
}

/** Headers are matched by name, order-free, tolerant of full-width characters, spaces, '*' marks and hints in brackets. */
export function normaliseHeader(s: string): string {
  return toHalfWidth(s).replace(/[（(][^）)]*[）)]/g, "").replace(/[\s*]/g, "").trim();
}

function headerMap(values: unknown[], spec: SheetSpec): Map<number, string> | null {
  const wanted = new Map(spec.headers.map((h) => [normaliseHeader(h), h]));
  const map = new Map<number, string>();
  values.forEach((v, i) => {
    const h = wanted.get(normaliseHeader(cleanText(v)));
    if (h && ![...map.values()].includes(h)) map.set(i, h);
  });
  return map.size >= Math.min(2, spec.headers.length) ? map : null;
}

function checkRequired(map: Map<number, string>, spec: SheetSpec) {
  const present = new Set(map.values());
  const missing = spec.required.filter((h) => !present.has(h));
  if (missing.length) throw new AppError("import.header_missing", { headers: missing.join("、") });
}

const isBlank = (cells: Record<string, unknown>) => Object.values(cells).every((v) => cleanText(v) === "");

/** A file exceljs could not read; it keeps the reader's own error for the log. */
class XlsxUnreadable extends AppError {
  constructor(readonly reason: unknown) {
    super("import.xlsx_broken");
  }
}

/**
 * Streams the rows of the named sheet of an .xlsx (never loading the workbook whole). exceljs 4.4's
 * streaming reader now and then meets a worksheet before the workbook part of files that store it
 * last (as exceljs itself writes them) and fails (exceljs#3064); the same file reads fine again, so a
 * failure before any row came out is retried twice before the file is called broken.
 */
export async function* readXlsxRows(filePath: string, spec: SheetSpec): AsyncGenerator<RawRow> {
  for (let attempt = 1; ; attempt++) {
    let yielded = false;
    try {
      for await (const row of readXlsxRowsOnce(filePath, spec)) {
        yielded = true;
        yield row;
      }
      return;
    } catch (e) {
      if (!(e instanceof XlsxUnreadable) || yielded || attempt >= 3) {
        if (e instanceof XlsxUnreadable) console.warn(`[import] unreadable .xlsx: ${e.reason instanceof Error ? e.reason.message : String(e.reason)}`);
        throw e;
      }
    }
  }
}

async function* readXlsxRowsOnce(filePath: string, spec: SheetSpec): AsyncGenerator<RawRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(filePath, {
    sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", worksheets: "emit", entries: "emit",
  });
  const seen: string[] = [];
  let found = false;
  let current: AsyncIterable<unknown> | null = null;
  const sheets = reader as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader & { name?: string }>;
  try {
    for await (const ws of sheets) {
      current = ws;
      const name = (ws as { name?: string }).name ?? "";
      seen.push(name);
      if (normaliseHeader(name) !== normaliseHeader(spec.sheetName)) {
        for await (const _row of ws) { /* drain: the reader is sequential */ }
        continue;
      }
      found = true;
      let map: Map<number, string> | null = null;
      for await (const row of ws) {
        const values = (row.values as unknown[]).slice(1);
        if (!map) {
          if (row.number > 10) throw new AppError("import.header_missing", { headers: spec.required.join("、") });
          map = headerMap(values, spec);
          if (map) checkRequired(map, spec);
          continue;
        }
        const cells: Record<string, unknown> = {};
        for (const [i, h] of map) cells[h] = values[i] ?? null;
        if (!isBlank(cells)) yield { row: row.number, cells };
      }
      if (!map) throw new AppError("import.header_missing", { headers: spec.required.join("、") });
    }
  } catch (e) {
    // exceljs spools each worksheet to a temp file and deletes it only when read to the end:
    // drain what is left, so a refused file leaves nothing behind.
    await drain(current, sheets);
    if (e instanceof AppError) throw e;
    throw new XlsxUnreadable(e);
  }
  if (!found) throw new AppError("import.sheet_missing", { sheet: spec.sheetName, found: seen.filter(Boolean).join("、") || "—" });
}

async function drain(current: AsyncIterable<unknown> | null, rest: AsyncIterable<AsyncIterable<unknown>>) {
  try {
    if (current) for await (const _row of current) { /* discard */ }
    for await (const ws of rest) for await (const _row of ws) { /* discard */ }
  } catch {
    /* a broken file cannot be drained; nothing more to do */
  }
}

/**
 * CSV in UTF-8 (with or without BOM) or GB18030/GBK, detected from the first 64 KB: strict UTF-8
 * decoding either succeeds or the file is read as GB18030 (a superset of GBK).
 */
export async function detectCsvEncoding(filePath: string): Promise<"utf8" | "gb18030"> {
  const fh = await fs.promises.open(filePath, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let sample = buf.subarray(0, bytesRead);
    if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return "utf8";
    // Do not judge a multi-byte character cut at the end of the sample.
    if (bytesRead === buf.length) sample = sample.subarray(0, sample.length - 4);
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(sample);
      return "utf8";
    } catch {
      return "gb18030";
    }
  } finally {
    await fh.close();
  }
}

export async function* readCsvRows(filePath: string, spec: SheetSpec): AsyncGenerator<RawRow> {
  const encoding = await detectCsvEncoding(filePath);
  const source = fs.createReadStream(filePath).pipe(iconv.decodeStream(encoding, { stripBOM: true })) as unknown as Readable;
  // No automatic casting: long digit strings (ID numbers, admission numbers) stay exact.
  const parser = source.pipe(parse({ relax_column_count: true, skip_empty_lines: false, bom: true, trim: false }));
  let map: Map<number, string> | null = null;
  let n = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      n++;
      if (!map) {
        if (n > 10) break;
        map = headerMap(record, spec);
        if (map) checkRequired(map, spec);
        continue;
      }
      const cells: Record<string, unknown> = {};
      for (const [i, h] of map) cells[h] = record[i] ?? "";
      if (!isBlank(cells)) yield { row: n, cells };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError("import.csv_broken");
  }
  if (!map) throw new AppError("import.header_missing", { headers: spec.required.join("、") });
}
