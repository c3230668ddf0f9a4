// "job.*" messages in English.
import type { jobZhCN } from "../zh-CN/job";

export const jobEn: Record<keyof typeof jobZhCN, string> = {
  "job.timed_out":
    "The job did not finish within its time limit and was stopped. The file may be too big or damaged; check it and upload again.",
  "job.gave_up":
    "The job hung or was interrupted by a server restart twice and will not be tried again. Check the file and upload again.",
  "job.no_worker":
    "No worker process is running, so the job cannot start. Ask the system administrator to start one (npm run worker); the job is saved and starts by itself once a worker runs.",
  "job.queue_unavailable":
    "The job queue cannot be reached at the moment. The job is saved and starts by itself once the queue is back; there is no need to submit it again.",
  "job.waiting_turn": "Queued: waiting for earlier jobs to finish…",
  "job.status.queued": "Queued",
  "job.status.running": "Running",
  "job.status.done": "Done",
  "job.status.failed": "Failed",
  "job.failed": "The job failed. Try again; if it fails again, contact your administrator.",
  "job.unknown_type": "Unknown job type.",
};
