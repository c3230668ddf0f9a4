import type { Generated, Selectable } from "kysely";
import type { GeneratedTimestamp, Json, NullableTimestamp } from "./columns";

export type JobStatus = "queued" | "running" | "done" | "failed";

export interface JobTable {
  id: string;
  type: string;
  payload: Json<unknown>;
  status: Generated<JobStatus>;
  progress: Generated<number>;
  message: Generated<string>;
  result: Json<unknown> | null;
  error: string | null;
  account_id: string | null;
  org_id: number | null;
  sitting_id: number | null;
  created_at: GeneratedTimestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  /** Starts so far: a job is not started a third time. */
  attempts: Generated<number>;
}

export type JobRow = Selectable<JobTable>;
