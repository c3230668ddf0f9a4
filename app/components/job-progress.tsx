import { useFetcher, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import type { MessageKey } from "~/i18n";
import { useT } from "~/utils/use-t";

export interface JobStatusData {
  id: string;
  status: "queued" | "running" | "done" | "failed";
  progress: number;
  message: string;
  error: string | null;
  result: { fileId?: string } | null;
  /** Why a queued job has not started yet (issue 13 item 1). */
  waiting?: "job.no_worker" | "job.queue_unavailable" | "job.waiting_turn" | null;
}

/** the one progress component. It polls the job's status, so the user can leave and come back. */
export function JobProgress({
  jobId,
  label,
  revalidateOnFinish = false,
}: {
  jobId: string;
  label: string;
  revalidateOnFinish?: boolean;
}) {
  const t = useT();
  const fetcher = useFetcher<JobStatusData>();
  const job = fetcher.data;
  const finished = job?.status === "done" || job?.status === "failed";
  const revalidator = useRevalidator();
  // Pages that show a job's result reload their data once it is finished.
  useEffect(() => {
    if (finished && revalidateOnFinish) revalidator.revalidate();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per finish
  }, [finished, revalidateOnFinish]);
  useEffect(() => {
    if (finished) return;
    if (fetcher.state === "idle") {
      const timer = setTimeout(() => fetcher.load(`/jobs/${jobId}`), job ? 700 : 0);
      return () => clearTimeout(timer);
    }
  }, [jobId, finished, fetcher, job]);
  const pct = job?.progress ?? 0;
  return (
    <div className="job" data-job-status={job?.status ?? "queued"} aria-live="polite">
      <div className="job-label">
        {label} · {t(`job.status.${job?.status ?? "queued"}` as MessageKey)}
      </div>
      <progress max={100} value={pct} aria-label={label}>
        {pct}%
      </progress>{" "}
      <span>{pct}%</span>
      {job?.message ? <span className="muted small"> {job.message}</span> : null}
      {job?.status === "queued" && job.waiting ? (
        <p
          className={job.waiting === "job.waiting_turn" ? "muted small" : "warn-text"}
          role="status"
          data-job-waiting={job.waiting}
        >
          {t(job.waiting)}
        </p>
      ) : null}
      {job?.status === "done" && job.result?.fileId ? (
        <a className="button primary" href={`/files/${job.result.fileId}`} download>
          {t("common.download")}
        </a>
      ) : null}
      {job?.status === "failed" ? (
        <p className="error" role="alert">
          {t((job.error ?? "job.failed") as MessageKey)}
        </p>
      ) : null}
    </div>
  );
}
