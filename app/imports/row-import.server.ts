import { isAppError } from "~/domain/errors";
import type { CellError, RowError } from "~/domain/student-record";
import { translator, type Locale, type MessageKey, type SavedMessage, type SavedText } from "~/i18n";
import { findStoredFile, localPathOf } from "~/utils/file-store.server";
import type { JobContext } from "~jobs/define";
import type { ImportBasePayload } from "~jobs/definitions/upload-job";
import { clipValue, ERRORS_ON_PAGE, writeErrorReport } from "./error-report.server";
import { readCsvRows, readXlsxRows, type SheetSpec, uncomputedErrors } from "./read-rows.server";

/** One failing cell as the import page shows it (the whole list is in the downloadable report). */
export interface ErrorLine {
  row: number;
  column: string;
  value: string;
  /** The value's length when it was cut for the page (the report holds it whole). */
  cutFrom?: number;
  message: SavedText;
}

/** What every spreadsheet import's result holds besides its own figures (SR-3's report shape, X-2). */
export interface RowImportReport {
  ok: boolean;
  /** The file could not be read or was refused as a whole: one message instead of a report. */
  fatal?: SavedText;
  /** Failing cells in all. */
  total?: number;
  reportFileId?: string;
  errors?: ErrorLine[];
  /** Rows written (on success). */
  rows?: number;
}

export type TypedRow<V> = { row: number; value: V };

/** What writing all the typed rows answered: written (with the import's own figures), or refused. */
export type WriteOutcome<S> =
  | { ok: true; figures: S }
  | { ok: false; errors: RowError[] }
  | { ok: false; refusals: Array<{ key: MessageKey; params?: Record<string, string | number> }> };

/**
 * One spreadsheet import plugged into the runner (DESIGN.md "Imports share one pipeline"): the sheet
 * it reads, how a row is typed, and how the rows are written all or nothing. Student records and
 * group registrations use it today; the violation and score imports to come plug in the same way.
 */
export interface RowImport<V, S> {
  spec: SheetSpec;
  /** Type one row's cells (a pure domain function). */
  parse(cells: Record<string, unknown>): { value: V; errors?: undefined } | { errors: CellError[]; value?: undefined };
  /** Reading: progress (0–100) after `n` rows, reported every `every` rows. */
  reading: { every: number; percent: (n: number) => number };
  /** Every row typed: write them all, or nothing and say why. */
  write(rows: Array<TypedRow<V>>): Promise<WriteOutcome<S>>;
  /** Some rows failed to type: checks against the database on the rest, so one report lists everything. */
  checkRest?(rows: Array<TypedRow<V>>): Promise<RowError[]>;
  /** The downloadable report's file name. */
  reportName: MessageKey;
  /**
   * Optional: write while reading (decision 0042). Opened before the file is read; typed rows are
   * handed over a part at a time (with whether a row has failed to type so far); `finish` answers as
   * `write` would (it also plans the rows that typed when others did not, so `checkRest` is not asked);
   * `abort` undoes everything when reading stops on an error.
   */
  stream?(): Promise<RowStream<V, S>>;
}

export interface RowStream<V, S> {
  push(rows: Array<TypedRow<V>>, typingFailed: boolean): void;
  finish(typingFailed: boolean): Promise<WriteOutcome<S>>;
  abort(): Promise<void>;
}

/** Typed rows handed to a stream at a time. */
const STREAM_PART = 5_000;

/**
 * Read → type every row → all-or-nothing write → report. A file that cannot be read at all (wrong
 * sheet, missing headers) is one clear message; a formula saved without its value is named as such,
 * not as an empty required field; any failing cell writes nothing and lists every failing cell.
 */
export async function runRowImport<V, S extends object>(
  p: ImportBasePayload & { kind?: "xlsx" | "csv" },
  ctx: JobContext,
  imp: RowImport<V, S>,
): Promise<RowImportReport | (RowImportReport & S)> {
  const file = await findStoredFile(p.fileId);
  if (!file) throw new Error("upload missing");
  const abs = localPathOf(file);
  const rows: Array<TypedRow<V>> = [];
  const errors: RowError[] = [];
  const stream = imp.stream ? await imp.stream() : null;
  let part: Array<TypedRow<V>> = [];
  let typed = 0;
  try {
    const read = p.kind === "csv" ? readCsvRows(abs, imp.spec, { name: file.name }) : readXlsxRows(abs, imp.spec);
    let n = 0;
    for await (const raw of read) {
      const r = imp.parse(raw.cells);
      if (raw.uncomputed) {
        const { formulaErrors, rest } = uncomputedErrors(raw, r.errors ?? []);
        for (const e of [...formulaErrors, ...rest]) errors.push({ row: raw.row, ...e });
      } else if (r.value) {
        typed++;
        (stream ? part : rows).push({ row: raw.row, value: r.value });
        if (stream && part.length >= STREAM_PART) {
          stream.push(part, errors.length > 0);
          part = [];
        }
      } else for (const e of r.errors ?? []) errors.push({ row: raw.row, ...e });
      if (++n % imp.reading.every === 0)
        await ctx.progress(imp.reading.percent(n), { key: "import.progress_reading", params: { rows: n } });
    }
  } catch (e) {
    await stream?.abort();
    if (isAppError(e)) return fatal({ key: e.key, params: e.params });
    throw e;
  }
  if (typed === 0 && errors.length === 0) {
    await stream?.abort();
    return fatal({ key: "import.no_rows" });
  }

  if (stream) {
    if (part.length) stream.push(part, errors.length > 0);
    const outcome = await stream.finish(errors.length > 0);
    if (outcome.ok) return { ok: true, rows: typed, ...outcome.figures };
    if ("refusals" in outcome) return fatal(outcome.refusals);
    errors.push(...outcome.errors);
  } else if (errors.length === 0) {
    const outcome = await imp.write(rows);
    if (outcome.ok) return { ok: true, rows: rows.length, ...outcome.figures };
    if ("refusals" in outcome) return fatal(outcome.refusals);
    errors.push(...outcome.errors);
  } else if (imp.checkRest) {
    errors.push(...(await imp.checkRest(rows)));
  }
  return report(errors, p, ctx, imp.reportName);
}

function fatal(message: SavedMessage | SavedMessage[]): RowImportReport {
  return { ok: false, fatal: message, errors: [], total: 0 };
}

/** SR-3: every failing cell, sorted by row, in a downloadable .xlsx; the first 1,000 on the page. */
async function report(
  errors: RowError[],
  p: { locale: Locale; siteId: number },
  ctx: JobContext,
  name: MessageKey,
): Promise<RowImportReport> {
  const all = errors.sort((a, b) => a.row - b.row);
  const file = await writeErrorReport(all, {
    locale: p.locale,
    orgId: p.siteId,
    sittingId: ctx.sittingId,
    createdBy: ctx.accountId,
    name: translator(p.locale)(name),
  });
  return {
    ok: false,
    total: all.length,
    reportFileId: file.id,
    errors: all.slice(0, ERRORS_ON_PAGE).map((e) => ({
      row: e.row,
      column: e.column,
      ...clipValue(e.value),
      message: { key: e.key, params: e.params },
    })),
  };
}
