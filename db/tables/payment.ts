import type { ColumnType, Generated, Selectable } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp, Timestamp } from "./columns";

export type PaymentStatus = "pending" | "paid" | "failed" | "expired" | "refund_due";

export interface PaymentTable {
  id: string;
  sitting_id: number;
  org_id: number;
  registration_id: number | null;
  account_id: string | null;
  provider: string;
  amount_fen: number;
  per_person_fen: number;
  entry_ids: number[];
  subject_codes: string[];
  status: Generated<PaymentStatus>;
  provider_txn_id: ColumnType<string | null, string | null | undefined, string | null>;
  redirect_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** GRP-6: set when the payment pays a group payment batch (registration_id is then null). */
  payment_batch_id: ColumnType<number | null, number | null | undefined, number | null>;
  note: Generated<string>;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
  finished_at: NullableTimestamp;
}

export type Payment = Selectable<PaymentTable>;
