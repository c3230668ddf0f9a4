import type { Generated, Selectable } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp } from "./columns";

// Declared once, in the domain (app/domain/group-payment.ts).
import type { PaymentBatchStatus } from "~/domain/group-payment";
export type { PaymentBatchStatus };

export interface PaymentBatchTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  status: Generated<PaymentBatchStatus>;
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
