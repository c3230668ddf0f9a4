import type { GeneratedTimestamp, Timestamp } from "./columns";

export interface SessionTable {
  id: string;
  account_id: string;
  expires_at: Timestamp;
  sitting_id: number | null;
  /** SESSION_MAX_HOURS counts from here (migration 20261204_0011_hardening). */
  created_at: GeneratedTimestamp;
}
