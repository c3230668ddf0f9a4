import type { Timestamp } from "./columns";

export interface IdLookupThrottleTable {
  account_id: string;
  window_start: Timestamp;
  count: number;
}
