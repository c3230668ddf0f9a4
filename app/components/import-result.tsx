import type { ReactNode } from "react";
import { JobProgress } from "~/components/job-progress";
import { ImportErrorTable } from "~/components/import-errors";
import { savedText, type MessageKey, type SavedText } from "~/i18n";
import { useFormatDateTime, useT } from "~/utils/use-t";

interface LastImport<R> {
  id: string;
  status: string;
  created_at: string | Date;
  error?: string | null;
  result?: R | null;
}

/**
 * X-2, SR-3: an import job as every import page shows it: its progress while it runs, why it
 * failed, and its last result: the import's own figures when it worked (`ok`), the one message of a
 * file refused as a whole, or the page's own failure view (by default: the failing cells with the
 * downloadable report). A refused upload (`refused`) hides the previous result, which would read as
 * this file's.
 */
export function ImportOutcome<R extends { ok: boolean; fatal?: SavedText }>(props: {
  last: LastImport<R> | null | undefined;
  refused: boolean;
  title: string;
  heading: MessageKey;
  ok: (result: R) => ReactNode;
  failure: (result: R) => ReactNode;
}) {
  const t = useT();
  const fmt = useFormatDateTime();
  const { last, refused } = props;
  const result = refused ? undefined : last?.result;
  return (
    <>
      {last && (last.status === "queued" || last.status === "running") ? (
        <JobProgress jobId={last.id} label={props.title} revalidateOnFinish />
      ) : null}
      {!refused && last?.status === "failed" ? (
        <p className="error" role="alert">
          {t((last.error ?? "job.failed") as MessageKey)}
        </p>
      ) : null}
      {result && last ? (
        <section data-testid="import-result" data-ok={result.ok ? "true" : "false"}>
          <h2>{t(props.heading, { at: fmt(last.created_at) })}</h2>
          {result.fatal ? (
            <p className="error" role="alert">
              {savedText(t, result.fatal)}
            </p>
          ) : result.ok ? (
            props.ok(result)
          ) : (
            props.failure(result)
          )}
        </section>
      ) : null}
    </>
  );
}

/** SR-3: an all-or-nothing import that wrote nothing: how many cells failed, the report, the first of them. */
export function RowImportFailure(props: {
  result: {
    total?: number;
    reportFileId?: string;
    errors?: Array<{ row: number; column: string; value: string; cutFrom?: number; message: SavedText }>;
  };
  failed: MessageKey;
  report: MessageKey;
}) {
  const t = useT();
  const { result } = props;
  return (
    <>
      <p className="error" role="alert">
        {t(props.failed, { count: result.total ?? 0 })}
        {result.reportFileId ? (
          <>
            {" "}
            <a href={`/files/${result.reportFileId}`} download>
              {t(props.report)}
            </a>
          </>
        ) : null}
      </p>
      <ImportErrorTable errors={result.errors ?? []} />
    </>
  );
}
