import { parseViolationRow, VIOLATION_COLUMNS, VIOLATION_REQUIRED, VIOLATION_SHEET } from "~/domain/violations";
import { runRowImport } from "~/imports/row-import.server";
import { checkViolationRows, importViolations } from "~/services/violations.server";
import type { JobContext } from "../define";
import type { ViolationImportPayload, ViolationImportResult } from "./violation-import";

/** VIO-1 through the shared row-import runner: read → type every row → all-or-nothing write → report. */
export default async function violationImportHandler(
  p: ViolationImportPayload,
  ctx: JobContext,
): Promise<ViolationImportResult> {
  return runRowImport(p, ctx, {
    spec: { sheetName: VIOLATION_SHEET, headers: VIOLATION_COLUMNS, required: VIOLATION_REQUIRED },
    parse: parseViolationRow,
    reading: { every: 500, percent: (n) => Math.min(45, n / 50) },
    reportName: "violations.report_name",
    checkRest: async (rows) =>
      ctx.sittingId === null ? [] : checkViolationRows(ctx.sittingId, p.siteId, rows, p.overwrite),
    async write(rows) {
      if (ctx.sittingId === null) throw new Error("violation import without a sitting");
      await ctx.progress(50, { key: "import.progress_writing" });
      const outcome = await importViolations(
        { accountId: ctx.accountId, name: p.actorName, orgId: p.siteId, sittingId: ctx.sittingId, ip: p.ip },
        p.siteId,
        rows,
        p.overwrite,
      );
      if (!outcome.ok) return { ok: false, errors: outcome.errors };
      return {
        ok: true,
        figures: { inserted: outcome.inserted, updated: outcome.updated, unchanged: outcome.unchanged },
      };
    },
  });
}
