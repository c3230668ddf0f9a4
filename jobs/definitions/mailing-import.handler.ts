import { getDb } from "~db/client";
import { MAILING_HEADERS, MAILING_REQUIRED, parseMailingRow } from "~/domain/certificate-mailing";
import { withOwnNames } from "~/domain/column-maps";
import { loadColumnMap } from "~/services/column-maps.server";
import { runRowImport } from "~/imports/row-import.server";
import { checkMailingRows, importMailings } from "~/services/scores.server";
import type { JobContext } from "../define";
import type { MailingImportPayload, MailingImportResult } from "./mailing-import";

/** SCO-2 through the shared row-import runner, as the score file (decision 0042). */
export default async function mailingImportHandler(
  p: MailingImportPayload,
  ctx: JobContext,
): Promise<MailingImportResult> {
  return runRowImport(p, ctx, {
    spec: {
      sheetName: "证书直邮",
      headers: MAILING_HEADERS,
      required: MAILING_REQUIRED,
      aliases: withOwnNames("mailing", await loadColumnMap(getDb(), "mailing")),
    },
    parse: parseMailingRow,
    reading: { every: 5000, percent: (n) => Math.min(45, n / 2000) },
    reportName: "mailing.report_name",
    checkRest: async (rows) => (ctx.sittingId === null ? [] : checkMailingRows(ctx.sittingId, p.siteId, rows)),
    async write(rows) {
      if (ctx.sittingId === null) throw new Error("mailing import without a sitting");
      await ctx.progress(50, { key: "import.progress_writing" });
      const outcome = await importMailings(
        { accountId: ctx.accountId, name: p.actorName, orgId: p.siteId, sittingId: ctx.sittingId, ip: p.ip },
        p.siteId,
        rows,
      );
      if (!outcome.ok) return { ok: false, errors: outcome.errors };
      return { ok: true, figures: { imported: outcome.imported } };
    },
  });
}
