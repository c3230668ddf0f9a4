import { getDb } from "~db/client";
import { isAppError } from "~/domain/errors";
import {
  GROUP_COLUMNS,
  GROUP_REQUIRED,
  GROUP_SHEET,
  parseGroupRow,
  type GroupRowValue,
} from "~/domain/group-registration";
import type { RowError } from "~/domain/student-record";
import { translator } from "~/i18n";
import { clipValue, ERRORS_ON_PAGE, errorText, writeErrorReport } from "~/imports/error-report.server";
import { readXlsxRows, type SheetSpec, uncomputedErrors } from "~/imports/read-rows.server";
import { checkGroupRows, importGroupRegistrations, loadGroupSite } from "~/services/import-group-registrations.server";
import { findStoredFile, localPathOf } from "~/utils/file-store.server";
import { renderMessage } from "~/utils/i18n.server";
import type { JobContext } from "../define";
import type { GroupImportResult, GroupRegistrationImportPayload } from "./group-registration-import";

const SPEC: SheetSpec = { sheetName: GROUP_SHEET, headers: GROUP_COLUMNS, required: GROUP_REQUIRED };

/** GRP-1 … GRP-4 through the shared pipeline: read the data sheet → type every row → plan → all-or-nothing write → report. */
export default async function groupImportHandler(
  p: GroupRegistrationImportPayload,
  ctx: JobContext,
): Promise<GroupImportResult> {
  const t = translator(p.locale);
  const file = await findStoredFile(p.fileId);
  if (!file) throw new Error("upload missing");
  if (ctx.sittingId === null) throw new Error("group import without a sitting");
  const sittingId = ctx.sittingId;
  const site = await loadGroupSite(getDb(), sittingId, p.siteId);
  if (!site.open || !site.enabled)
    return { ok: false, fatal: t(site.open ? "group.disabled" : "group.site_closed"), errors: [], total: 0 };

  const abs = localPathOf(file);
  const rows: Array<{ row: number; value: GroupRowValue }> = [];
  let errors: RowError[] = [];
  try {
    let n = 0;
    for await (const raw of readXlsxRows(abs, SPEC)) {
      const r = parseGroupRow(raw.cells, site.rules);
      if (raw.uncomputed) {
        // A formula saved without its value is named as such, not as an empty required field.
        const { formulaErrors, rest } = uncomputedErrors(raw, r.errors ?? []);
        for (const e of [...formulaErrors, ...rest]) errors.push({ row: raw.row, ...e });
      } else if (r.value) rows.push({ row: raw.row, value: r.value });
      else for (const e of r.errors) errors.push({ row: raw.row, ...e });
      if (++n % 1000 === 0) await ctx.progress(Math.min(35, n / 500), t("import.progress_reading", { rows: n }));
    }
  } catch (e) {
    // A file that cannot be read at all (wrong sheet, missing headers) is one clear message.
    if (isAppError(e)) return { ok: false, fatal: renderMessage(t, e.key, e.params), errors: [], total: 0 };
    throw e;
  }
  if (rows.length === 0 && errors.length === 0) return { ok: false, fatal: t("import.no_rows"), errors: [], total: 0 };

  if (errors.length === 0) {
    await ctx.progress(40, t("group.progress_checking"));
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
            ? ctx.progress(40 + (done / Math.max(total, 1)) * 30, t("group.progress_accounts", { done, total }))
            : ctx.progress(70 + (done / Math.max(total, 1)) * 28, t("import.progress_written", { rows: done })),
      },
    );
    if (outcome.ok) {
      return {
        ok: true,
        rows: rows.length,
        created: outcome.created,
        updated: outcome.updated,
        entriesAdded: outcome.entriesAdded,
        entriesRemoved: outcome.entriesRemoved,
        accountsCreated: outcome.accountsCreated,
        accountsBound: outcome.accountsBound,
        accountsTakenOver: outcome.accountsTakenOver,
        takenOver: outcome.takenOver,
        credentialSheetId: outcome.credentialSheetId,
      };
    }
    if (outcome.refusals.length) {
      return {
        ok: false,
        fatal: outcome.refusals.map((r) => renderMessage(t, r.key, r.params)).join(" "),
        errors: [],
        total: 0,
      };
    }
    errors = outcome.errors;
  } else {
    errors.push(...(await checkGroupRows(sittingId, p.siteId, rows, p.overwrite)));
  }
  const all = errors.sort((a, b) => a.row - b.row);
  const report = await writeErrorReport(all, {
    locale: p.locale,
    orgId: p.siteId,
    sittingId,
    createdBy: ctx.accountId,
    name: t("group.report_name"),
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
