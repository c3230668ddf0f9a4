import type { ColumnType, Generated, Selectable } from "kysely";
import type { GeneratedTimestamp } from "./columns";
import type { Channel } from "./registration";

export interface CancellationTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  registration_id: number;
  account_id: string | null;
  channel: Channel;
  id_type: string;
  id_number: string;
  name: string;
  class_name: Generated<string>;
  registration: ColumnType<Record<string, unknown>, string, string>;
  entries: ColumnType<CancelledEntry[], string, string>;
  subject_codes: string[];
  paid_fen: number;
  reason: string;
  cancelled_by: string | null;
  cancelled_by_name: Generated<string>;
  cancelled_at: GeneratedTimestamp;
}

export interface CancelledEntry {
  subject_code: string;
  paid: boolean;
  fee_fen: number | null;
  paid_at: string | null;
  payment_id: string | null;
}

export type Cancellation = Selectable<CancellationTable>;
