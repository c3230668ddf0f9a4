import { getDb } from "~db/client";
import { GROUP_COLUMNS, GROUP_REQUIRED, GROUP_SHEET, parseGroupRow } from "~/domain/group-registration";
import { runRowImport } from "~/imports/row-import.server";
import { importGroupRegistrations } from "~/services/import-group-registrations.server";
import { loadGroupSite } from "~/services/load-group-site.server";
import { checkGroupRows } from "~/services/plan-group-import.server";
import type { JobContext } from "../define";
import type { GroupImportResult, GroupRegistrationImportPayload } from "./group-registration-import";

/** GRP-1 … GRP-4 through the shared row-import runner: read the data sheet → type every row → plan → all-or-nothing write → report. */
export default async function groupImportHandler(
  p: GroupRegistrationImportPayload,
  ctx: JobContext,
): Promise<GroupImportResult> {
  if (ctx.sittingId === null) throw new Error("group import without a sitting");
  const sittingId = ctx.sittingId;
  const site = await loadGroupSite(getDb(), sittingId, p.siteId);
  if (!site.open || !site.enabled)
    return { ok: false, fatal: { key: site.open ? "group.disabled" : "group.site_closed" }, errors: [], total: 0 };

  return runRowImport(p, ctx, {
    spec: { sheetName: GROUP_SHEET, headers: GROUP_COLUMNS, required: GROUP_REQUIRED },
    parse: (cells) => parseGroupRow(cells, site.rules),
    reading: { every: 1000, percent: (n) => Math.min(35, n / 500) },
    reportName: "group.report_name",
    // Rows that failed to type: the rest are still checked against the database, so one report lists everything.
    checkRest: (rows) => checkGroupRows(sittingId, p.siteId, rows, p.overwrite),
    async write(rows) {
      await ctx.progress(40, { key: "group.progress_checking" });
      const outcome = await importGroupRegistrations(
        { accountId: ctx.accountId, name: p.actorName, orgId: p.siteId, sittingId, ip: p.ip },
        sittingId,
        p.siteId,
        site,
        rows,
        p.overwrite,
        {
          locale: p.locale,
          onProgress: (stage, done, total) =>
            stage === "accounts"
              ? ctx.progress(40 + (done / Math.max(total, 1)) * 30, {
                  key: "group.progress_accounts",
                  params: { done, total },
                })
              : ctx.progress(70 + (done / Math.max(total, 1)) * 28, {
                  key: "import.progress_written",
                  params: { rows: done },
                }),
        },
      );
      if (outcome.ok) {
        const { ok: _ok, errors: _errors, refusals: _refusals, ...figures } = outcome;
        return { ok: true, figures };
      }
      if (outcome.refusals.length) return { ok: false, refusals: outcome.refusals };
      return { ok: false, errors: outcome.errors };
    },
  });
}
