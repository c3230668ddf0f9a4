import type { Generated, Selectable } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp, Timestamp } from "./columns";

export interface WindowTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  kind: string;
  starts_at: Timestamp;
  ends_at: NullableTimestamp;
  updated_at: GeneratedTimestamp;
  updated_by: string | null;
}

export type WindowRow = Selectable<WindowTable>;
