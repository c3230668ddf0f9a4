import type { Generated, Selectable } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp } from "./columns";

export type BatchStatus = "open" | "paid" | "deleted";

export interface PaymentBatchTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  status: Generated<BatchStatus>;
  candidate_count: number;
  entry_count: number;
  per_person_count: number;
  per_person_fen: number;
  subject_fen: number;
  amount_fen: number;
  subject_codes: string[];
  delete_reason: Generated<string>;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  finished_at: NullableTimestamp;
}

export type PaymentBatch = Selectable<PaymentBatchTable>;
