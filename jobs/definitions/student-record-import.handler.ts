import {
  parseStudentRecordImportRow,
  STUDENT_RECORD_IMPORT_COLUMNS,
  STUDENT_RECORD_REQUIRED,
  STUDENT_RECORD_SHEET,
} from "~/domain/student-record";
import { runRowImport } from "~/imports/row-import.server";
import { importStudentRecords } from "~/services/import-student-records.server";
import type { JobContext } from "../define";
import type { StudentRecordImportPayload, StudentRecordImportResult } from "./student-record-import";

/** SR-2/SR-3/SR-4 through the shared row-import runner: read → type every row → all-or-nothing write → report. */
export default async function importHandler(
  p: StudentRecordImportPayload,
  ctx: JobContext,
): Promise<StudentRecordImportResult> {
  return runRowImport(p, ctx, {
    spec: {
      sheetName: STUDENT_RECORD_SHEET,
      headers: STUDENT_RECORD_IMPORT_COLUMNS,
      required: STUDENT_RECORD_REQUIRED,
    },
    parse: parseStudentRecordImportRow,
    reading: { every: 2000, percent: (n) => Math.min(45, n / 2000) },
    reportName: "import.report_name",
    async write(rows) {
      await ctx.progress(50, { key: "import.progress_writing" });
      const outcome = await importStudentRecords(
        { accountId: ctx.accountId, name: p.actorName, orgId: p.siteId, sittingId: ctx.sittingId, ip: p.ip },
        p.siteId,
        rows,
        p.overwrite,
        (done, total) =>
          ctx.progress(50 + (done / total) * 45, { key: "import.progress_written", params: { rows: done } }),
      );
      if (!outcome.ok) return { ok: false, errors: outcome.errors };
      return {
        ok: true,
        figures: { inserted: outcome.inserted, updated: outcome.updated, replaced: outcome.replaced },
      };
    },
  });
}
