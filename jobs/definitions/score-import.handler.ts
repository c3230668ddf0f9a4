import { getDb, getDbHandle } from "~db/client";
import { withOwnNames } from "~/domain/column-maps";
import { parseScoreRow, SCORE_HEADERS, SCORE_REQUIRED } from "~/domain/scores";
import { loadColumnMap } from "~/services/column-maps.server";
import { runRowImport } from "~/imports/row-import.server";
import { checkScoreRows, importScores, openScoreImport, type ScoreImportOutcome } from "~/services/scores.server";
import type { JobContext } from "../define";
import type { ScoreImportPayload, ScoreImportResult } from "./score-import";

/** SCO-1 through the shared row-import runner: read (CSV in UTF-8 or GB18030) → type → all-or-nothing write → report. */
export default async function scoreImportHandler(p: ScoreImportPayload, ctx: JobContext): Promise<ScoreImportResult> {
  const options = {
    checkViolations: p.checkViolations,
    checkMissingNumber: p.checkMissingNumber,
    checkIdentity: p.checkIdentity,
  };
  const actor = (sittingId: number) => ({
    accountId: ctx.accountId,
    name: p.actorName,
    orgId: p.siteId,
    sittingId,
    ip: p.ip,
  });
  return runRowImport(p, ctx, {
    spec: {
      sheetName: "成绩",
      headers: SCORE_HEADERS,
      required: SCORE_REQUIRED,
      aliases: withOwnNames("scores", await loadColumnMap(getDb(), "scores")),
    },
    parse: parseScoreRow,
    reading: { every: 5000, percent: (n) => Math.min(45, n / 2000) },
    reportName: "scores.report_name",
    // PostgreSQL writes while the file is read (the database on the other core); PGlite, one process
    // and one connection that progress reports also need, reads everything first.
    stream:
      ctx.sittingId !== null && getDbHandle().kind === "postgres"
        ? async () => {
            const s = await openScoreImport(actor(ctx.sittingId!), p.siteId, options);
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
    checkRest: async (rows) => (ctx.sittingId === null ? [] : checkScoreRows(ctx.sittingId, p.siteId, rows, options)),
    async write(rows) {
      if (ctx.sittingId === null) throw new Error("score import without a sitting");
      await ctx.progress(50, { key: "import.progress_writing" });
      const outcome = await importScores(actor(ctx.sittingId), p.siteId, rows, options);
      if (!outcome.ok) return { ok: false, errors: outcome.errors };
      return { ok: true, figures: figuresOf(outcome) };
    },
  });
}

const figuresOf = (o: Extract<ScoreImportOutcome, { ok: true }>) => ({
  imported: o.imported,
  skipped: o.skipped,
  identityUpdated: o.identityUpdated,
  violationsUpdated: o.violationsUpdated,
});
