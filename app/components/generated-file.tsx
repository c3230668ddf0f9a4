import type { ReactNode } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { JobProgress } from "~/components/job-progress";
import { useFormatDateTime, useT } from "~/utils/use-t";

export interface GeneratedFileData {
  fileId: string;
  name: string;
  size: number;
  generatedAt: string | Date;
  by: string;
  stale: boolean;
}

export const sizeText = (n: number) =>
  n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1048576).toFixed(1)} MB`;

/**
 * Issue 16 item 5: a generated file as every document page shows it: made by a job with progress,
 * when and by whom, its size, whether the data changed since (stale), download and generate again.
 */
export function GeneratedFile({
  file,
  job,
  canGenerate,
  kind,
  children,
}: {
  file: GeneratedFileData | null;
  job: { id: string; status: string } | null;
  canGenerate: boolean;
  /** Sent as the form's `kind` when a page offers several kinds. */
  kind?: string;
  /** The kind's own options, drawn in the form before the button. */
  children?: ReactNode;
}) {
  const t = useT();
  const fmt = useFormatDateTime();
  const busy = useNavigation().state !== "idle";
  const running = job && (job.status === "queued" || job.status === "running");
  return (
    <section
      className="generated-file"
      data-testid="generated-file"
      data-kind={kind}
      data-stale={file ? String(file.stale) : undefined}
    >
      {file ? (
        <>
          <p>
            <a href={`/files/${file.fileId}`} download data-testid="generated-download">
              {t("roomstats.download")} {file.name}
            </a>{" "}
            <span className="muted small">
              {t("roomstats.generated", { at: fmt(file.generatedAt), by: file.by, size: sizeText(file.size) })}
            </span>
          </p>
          <p className={file.stale ? "notice partial" : "muted small"} role={file.stale ? "status" : undefined}>
            {t(file.stale ? "roomstats.stale" : "roomstats.current")}
          </p>
        </>
      ) : (
        <p className="muted empty">{t("roomstats.none")}</p>
      )}
      {running ? <JobProgress jobId={job.id} label={t("roomstats.progress")} revalidateOnFinish /> : null}
      {canGenerate ? (
        <Form method="post" className="form inline">
          {kind ? <input type="hidden" name="kind" value={kind} /> : null}
          {children}
          <button
            type="submit"
            className={!file || file.stale ? "primary" : undefined}
            disabled={busy || Boolean(running)}
            data-testid="generate-file"
          >
            {t(file ? "roomstats.regenerate" : "roomstats.generate")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
