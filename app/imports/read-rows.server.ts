import fs from "node:fs";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import iconv from "iconv-lite";
import { AppError } from "~/domain/errors";
import { cleanText, normaliseHeader } from "~/domain/import-values";
import { openXlsx, UncomputedFormula, XlsxUnreadable, type XlsxLimits } from "~/imports/xlsx-reader.server";

export interface SheetSpec {
  /** The data sheet of the template; other sheets (instructions, samples, code tables) are ignored (SR-2). */
  sheetName: string;
  headers: readonly string[];
  required: readonly string[];
  /** Other names a header goes by (a score file's ZKZH is also 准考证号); matched the same tolerant way. */
  aliases?: Readonly<Record<string, readonly string[]>>;
}

export interface RawRow {
  /** The row number as the user sees it in Excel (1-based, header row included). */
  row: number;
  cells: Record<string, unknown>;
  /** Columns holding a formula saved without its value (.xlsx only). */
  uncomputed?: string[];
}

export { normaliseHeader };

function headerMap(values: unknown[], spec: SheetSpec): Map<number, string> | null {
  const wanted = new Map(spec.headers.map((h) => [normaliseHeader(h), h]));
  for (const [h, names] of Object.entries(spec.aliases ?? {}))
    for (const name of names) wanted.set(normaliseHeader(name).toLowerCase(), h);
  for (const h of spec.headers) wanted.set(normaliseHeader(h).toLowerCase(), h);
  const map = new Map<number, string>();
  values.forEach((v, i) => {
    const text = normaliseHeader(cleanText(v));
    const h = wanted.get(text) ?? wanted.get(text.toLowerCase());
    if (h && ![...map.values()].includes(h)) map.set(i, h);
  });
  return map.size >= Math.min(2, spec.headers.length) ? map : null;
}

function checkRequired(map: Map<number, string>, spec: SheetSpec) {
  const present = new Set(map.values());
  const missing = spec.required.filter((h) => !present.has(h));
  if (missing.length) throw new AppError("import.header_missing", { headers: missing });
}

const isBlank = (cells: Record<string, unknown>) => Object.values(cells).every((v) => cleanText(v) === "");

/**
 * Streams the rows of the named sheet of an .xlsx (never loading the workbook whole) through our own
 * reader (decision 0023): every writer's files read the same, and a damaged or hostile file is
 * refused within its limits instead of hanging (X-2, X-3, SR-2, GRP-1).
 */
export async function* readXlsxRows(filePath: string, spec: SheetSpec, limits?: XlsxLimits): AsyncGenerator<RawRow> {
  let book: Awaited<ReturnType<typeof openXlsx>>;
  try {
    book = await openXlsx(filePath, limits);
  } catch (e) {
    throw logged(e);
  }
  try {
    const sheet = book.sheets.find((s) => normaliseHeader(s.name) === normaliseHeader(spec.sheetName));
    if (!sheet)
      throw new AppError("import.sheet_missing", {
        sheet: spec.sheetName,
        found: book.sheets.some((s) => s.name) ? book.sheets.map((s) => s.name).filter(Boolean) : "—",
      });
    let map: Map<number, string> | null = null;
    for await (const row of sheet.rows()) {
      if (!map) {
        if (row.number > 10) break;
        map = headerMap(row.values, spec);
        if (map) checkRequired(map, spec);
        continue;
      }
      const cells: Record<string, unknown> = {};
      const uncomputed: string[] = [];
      for (const [i, h] of map) {
        const v = row.values[i] ?? null;
        if (v instanceof UncomputedFormula) uncomputed.push(h);
        cells[h] = v;
      }
      if (uncomputed.length) yield { row: row.number, cells, uncomputed };
      else if (!isBlank(cells)) yield { row: row.number, cells };
    }
    if (!map) throw new AppError("import.header_missing", { headers: spec.required });
  } catch (e) {
    throw logged(e);
  } finally {
    book.close();
  }
}

function logged(e: unknown) {
  if (e instanceof XlsxUnreadable) console.warn(`[import] unreadable .xlsx: ${e.reason}`);
  return e;
}

/**
 * The row errors of cells whose formula has no saved value (the rest of the row is judged as usual,
 * minus those cells' "required" errors): the fix is to open and save the file in Excel or WPS.
 */
export function uncomputedErrors<E extends { column: string }>(
  raw: RawRow,
  errors: readonly E[],
): { formulaErrors: Array<{ column: string; value: string; key: "import.formula_no_value" }>; rest: E[] } {
  const cols = new Set(raw.uncomputed ?? []);
  return {
    formulaErrors: [...cols].map((column) => ({
      column,
      value: `=${(raw.cells[column] as UncomputedFormula).formula}`.slice(0, 200),
      key: "import.formula_no_value" as const,
    })),
    rest: errors.filter((e) => !cols.has(e.column)),
  };
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

export async function* readCsvRows(
  filePath: string,
  spec: SheetSpec,
  opts: { name?: string } = {},
): AsyncGenerator<RawRow> {
  const encoding = await detectCsvEncoding(filePath);
  const source = fs
    .createReadStream(filePath)
    .pipe(iconv.decodeStream(encoding, { stripBOM: true })) as unknown as Readable;
  // No automatic casting: long digit strings (ID numbers, admission numbers) stay exact.
  const parser = source.pipe(parse({ relax_column_count: true, skip_empty_lines: false, bom: true, trim: false }));
  let map: Map<number, string> | null = null;
  let n = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      n++;
      if (!map) {
        if (n > 10) break;
        // Excel's "Text (tab delimited)" saved as .csv: one field per line holding the tabs.
        if (record.length === 1 && record[0].includes("\t"))
          throw new AppError("import.csv_tabs", { name: opts.name ?? "" });
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
  if (!map) throw new AppError("import.header_missing", { headers: spec.required });
}
