import { findStoredFile, localPathOf } from "~/utils/file-store.server";
import { clipValue, ERRORS_ON_PAGE, errorText, writeErrorReport } from "~/imports/error-report.server";
import { readCsvRows, readXlsxRows, type SheetSpec, uncomputedErrors } from "~/imports/read-rows.server";
import { isAppError } from "~/domain/errors";
import {
  parseStudentRecordRow,
  STUDENT_RECORD_COLUMNS,
  STUDENT_RECORD_REQUIRED,
  STUDENT_RECORD_SHEET,
  type RowError,
  type StudentRecordValue,
} from "~/domain/student-record";
import { importStudentRecords } from "~/services/import-student-records.server";
import { translator } from "~/i18n";
import { renderMessage } from "~/utils/i18n.server";
import type { JobContext } from "../define";
import type { StudentRecordImportPayload, StudentRecordImportResult } from "./student-record-import";

const SPEC: SheetSpec = {
  sheetName: STUDENT_RECORD_SHEET,
  headers: STUDENT_RECORD_COLUMNS,
  required: STUDENT_RECORD_REQUIRED,
};

/** SR-2/SR-3/SR-4 through the shared pipeline: read → type every row → all-or-nothing write → report. */
export default async function importHandler(
  p: StudentRecordImportPayload,
  ctx: JobContext,
): Promise<StudentRecordImportResult> {
  const file = await findStoredFile(p.fileId);
  if (!file) throw new Error("upload missing");
  const abs = localPathOf(file);
  const rows: Array<{ row: number; value: StudentRecordValue }> = [];
  const errors: RowError[] = [];
  const t = translator(p.locale);
  try {
    const read = p.kind === "xlsx" ? readXlsxRows(abs, SPEC) : readCsvRows(abs, SPEC, { name: file.name });
    let n = 0;
    for await (const raw of read) {
      const r = parseStudentRecordRow(raw.cells);
      if (raw.uncomputed) {
        // A formula saved without its value is named as such, not as an empty required field.
        const { formulaErrors, rest } = uncomputedErrors(raw, r.errors ?? []);
        for (const e of [...formulaErrors, ...rest]) errors.push({ row: raw.row, ...e });
      } else if (r.value) rows.push({ row: raw.row, value: r.value });
      else for (const e of r.errors) errors.push({ row: raw.row, ...e });
      if (++n % 2000 === 0) await ctx.progress(Math.min(45, n / 2000), t("import.progress_reading", { rows: n }));
    }
  } catch (e) {
    // A file that cannot be read at all (wrong sheet, missing headers) is one clear message.
    if (isAppError(e)) return { ok: false, fatal: renderMessage(t, e.key, e.params), errors: [], total: 0 };
    throw e;
  }
  if (rows.length === 0 && errors.length === 0) return { ok: false, fatal: t("import.no_rows"), errors: [], total: 0 };
  let outcome = { ok: false, errors, inserted: 0, updated: 0, replaced: 0 };
  if (errors.length === 0) {
    await ctx.progress(50, t("import.progress_writing"));
    outcome = await importStudentRecords(
      { accountId: ctx.accountId, name: p.actorName, orgId: p.siteId, sittingId: ctx.sittingId, ip: p.ip },
      p.siteId,
      rows,
      p.overwrite,
      (done, total) => ctx.progress(50 + (done / total) * 45, t("import.progress_written", { rows: done })),
    );
  }
  if (!outcome.ok) {
    const all = outcome.errors.sort((a, b) => a.row - b.row);
    const report = await writeErrorReport(all, {
      locale: p.locale,
      orgId: p.siteId,
      sittingId: ctx.sittingId,
      createdBy: ctx.accountId,
      name: t("import.report_name"),
    });
    return {
      ok: false,
      total: all.length,
      reportFileId: report.id,
      errors: all.slice(0, ERRORS_ON_PAGE).map((e) => ({
        row: e.row,
        column: e.column,
        value: clipValue(e.value, p.locale),
        message: errorText(e, p.locale),
      })),
    };
  }
  return {
    ok: true,
    rows: rows.length,
    inserted: outcome.inserted,
    updated: outcome.updated,
    replaced: outcome.replaced,
  };
}
