import type { ColumnType, Generated } from "kysely";
import type { GeneratedTimestamp } from "./columns";

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** SCO-1: an entry's score and grade code (DOMAIN.md), from the marking system's file. */
export interface ScoreTable {
  entry_id: number;
  sitting_id: number;
  org_id: number;
  subject_code: string;
  registration_id: number;
  score: Nullable<number>;
  grade_code: number;
  part1: Nullable<number>;
  part2: Nullable<number>;
  certificate_no: Nullable<string>;
  remark: Generated<string>;
  imported_at: GeneratedTimestamp;
}

/** SCO-2: how a passed candidate's certificate was sent (the certificate centre's file). */
export interface CertificateMailingTable {
  entry_id: number;
  sitting_id: number;
  org_id: number;
  certificate_no: Nullable<string>;
  recipient: Generated<string>;
  phone: Generated<string>;
  address: Generated<string>;
  postcode: Generated<string>;
  courier: Generated<string>;
  tracking_no: string;
  mailed_on: Generated<string>;
  status: Generated<string>;
  imported_at: GeneratedTimestamp;
}

/** SCO-1/SCO-2: the deployment's own header names for a file's field (decision 0042). */
export interface ColumnMapTable {
  import_kind: "scores" | "mailing";
  field: string;
  names: ColumnType<string[], string, string>;
  updated_by_name: Generated<string>;
  updated_at: GeneratedTimestamp;
}
