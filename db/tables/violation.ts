import type { ColumnType, Generated } from "kysely";
import type { GeneratedTimestamp } from "./columns";

export type ViolationKind = "absent" | "misconduct" | "cheating" | "other";
export type ViolationSource = "manual" | "import" | "roll_call" | "score_file";

/** VIO-1: an entry's absence or violation (at most one per entry). */
export interface ViolationTable {
  id: Generated<number>;
  entry_id: number;
  sitting_id: number;
  org_id: number;
  kind: ViolationKind;
  remark: Generated<string>;
  source: ViolationSource;
  /** DOC-9: the batch whose roll call made this absence (undone together); null otherwise. */
  roll_call_batch_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_by: string | null;
  created_by_name: Generated<string>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}
