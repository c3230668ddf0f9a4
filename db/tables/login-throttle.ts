import type { NullableTimestamp, Timestamp } from "./columns";

export interface LoginThrottleTable {
  key: string;
  failures: number;
  first_failed_at: Timestamp;
  /** No password check before this instant (decision 0021). */
  locked_until: NullableTimestamp;
  last_failed_at: NullableTimestamp;
}
