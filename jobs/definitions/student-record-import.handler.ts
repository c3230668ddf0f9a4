import {
  parseStudentRecordImportRow,
  STUDENT_RECORD_IMPORT_COLUMNS,
  STUDENT_RECORD_REQUIRED,
  STUDENT_RECORD_SHEET,
} from "~/domain/student-record";
import { runRowImport } from "~/imports/row-import.server";
import { getDbHandle } from "~db/client";
import {
  importStudentRecords,
  openStudentRecordImport,
  type ImportOutcome,
} from "~/services/import-student-records.server";
import type { JobContext } from "../define";
import type { StudentRecordImportPayload, StudentRecordImportResult } from "./student-record-import";

/** SR-2/SR-3/SR-4 through the shared row-import runner: read → type every row → all-or-nothing write → report. */
export default async function importHandler(
  p: StudentRecordImportPayload,
  ctx: JobContext,
): Promise<StudentRecordImportResult> {
  const actor = { accountId: ctx.accountId, name: p.actorName, orgId: p.siteId, sittingId: ctx.sittingId, ip: p.ip };
  return runRowImport(p, ctx, {
    spec: {
      sheetName: STUDENT_RECORD_SHEET,
      headers: STUDENT_RECORD_IMPORT_COLUMNS,
      required: STUDENT_RECORD_REQUIRED,
    },
    parse: parseStudentRecordImportRow,
    reading: { every: 2000, percent: (n) => Math.min(45, n / 2000) },
    reportName: "import.report_name",
    // PostgreSQL writes while the file is read (the database on the other core, the rows not all held);
    // PGlite, one connection in this thread that progress reports also need, reads everything first.
    stream:
      getDbHandle().kind === "postgres"
        ? async () => {
            const s = await openStudentRecordImport(actor, p.siteId, p.overwrite);
            return {
              push: s.push,
              abort: s.abort,
              async finish(typingFailed) {
                const outcome = await s.finish(typingFailed);
                return outcome.ok ? { ok: true, figures: figuresOf(outcome) } : { ok: false, errors: outcome.errors };
              },
            };
          }
        : undefined,
    async write(rows) {
      await ctx.progress(50, { key: "import.progress_writing" });
      const outcome = await importStudentRecords(actor, p.siteId, rows, p.overwrite, (done, total) =>
        ctx.progress(50 + (done / total) * 45, { key: "import.progress_written", params: { rows: done } }),
      );
      if (!outcome.ok) return { ok: false, errors: outcome.errors };
      return { ok: true, figures: figuresOf(outcome) };
    },
  });
}

const figuresOf = (o: ImportOutcome) => ({ inserted: o.inserted, updated: o.updated, replaced: o.replaced });
