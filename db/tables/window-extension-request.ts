import type { Generated, Selectable } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp } from "./columns";

export type WindowExtensionStatus = "pending" | "approved" | "declined";

/** WIN-5: an organisation's request to its superior for more time in one window. */
export interface WindowExtensionRequestTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  kind: string;
  reason: string;
  wanted_until: NullableTimestamp;
  status: Generated<WindowExtensionStatus>;
  requested_by: string | null;
  requested_by_name: Generated<string>;
  created_at: GeneratedTimestamp;
  decided_by_name: string | null;
  decided_at: NullableTimestamp;
  decision_note: Generated<string>;
}

export type WindowExtensionRequest = Selectable<WindowExtensionRequestTable>;
