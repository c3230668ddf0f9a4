import type { importsZhCN } from "./imports.zh-CN";

export const importsEn: Record<keyof typeof importsZhCN, string> = {
  "import.formula_no_value": "A formula without a cached value (the file was not saved by Excel/WPS): open and save the file in Excel or WPS, then upload it again.",
  "import.csv_tabs": "“{name}” is tab-separated text, not a comma-separated CSV: save it in Excel as “CSV UTF-8 (comma delimited)” or as .xlsx and upload again.",
  "upload.utf16": "“{name}” is a UTF-16 (Unicode text) file: save it in Excel as “CSV UTF-8 (comma delimited)” or as .xlsx and upload again.",
  "upload.empty": "“{name}” is an empty file (0 bytes): check it and choose the file again.",
  "group.zip_old_xls": "“{name}” in the zip is an old .xls file: save it as .xlsx in Excel, zip it and upload again.",
  "import.value_cut": "… ({length} characters in all)",
  "job.timed_out": "The job did not finish within its time limit and was stopped. The file may be too big or damaged; check it and upload again.",
  "job.gave_up": "The job hung or was interrupted by a server restart twice and will not be tried again. Check the file and upload again.",
  "job.no_worker": "No worker process is running, so the job cannot start. Ask the system administrator to start one (npm run worker); the job is saved and starts by itself once a worker runs.",
  "job.queue_unavailable": "The job queue cannot be reached at the moment. The job is saved and starts by itself once the queue is back; there is no need to submit it again.",
  "job.waiting_turn": "Queued: waiting for earlier jobs to finish…",
};
