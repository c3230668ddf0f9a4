import type { ColumnType, Generated, Selectable } from "kysely";
import type { GeneratedTimestamp } from "./columns";

export interface EntryTable {
  id: Generated<number>;
  registration_id: number;
  sitting_id: number;
  org_id: number;
  subject_code: string;
  paid: Generated<boolean>;
  fee_fen: ColumnType<number | null, number | null | undefined, number | null>;
  payment_id: ColumnType<string | null, string | null | undefined, string | null>;
  paid_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  hold_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** GRP-6: the group payment batch (not deleted) holding this entry. */
  payment_batch_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** SCH-2: the batch and seat it is allocated to (both or neither). */
  batch_id: ColumnType<number | null, number | null | undefined, number | null>;
  seat: ColumnType<number | null, number | null | undefined, number | null>;
  /** ADM-1: its admission number, unique in the sitting. */
  admission_no: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: GeneratedTimestamp;
}

export type Entry = Selectable<EntryTable>;
