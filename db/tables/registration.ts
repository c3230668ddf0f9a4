import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { DateOnly, GeneratedTimestamp } from "./columns";

// Declared once, in the domain (app/domain/registration.ts).
import type { Channel, ReviewStatus } from "~/domain/registration";
export type { Channel, ReviewStatus };

export interface RegistrationTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  account_id: string | null;
  channel: Channel;
  id_type: string;
  id_number: string;
  name: string;
  gender: string;
  birth_date: DateOnly;
  ethnicity: string;
  education: string;
  occupation: Generated<string>;
  department: Generated<string>;
  major: Generated<string>;
  class_name: Generated<string>;
  student_no: Generated<string>;
  phone: Generated<string>;
  email: Generated<string>;
  address: Generated<string>;
  postcode: Generated<string>;
  extra_info: Generated<string>;
  remark: Generated<string>;
  registry_candidate: Generated<boolean>;
  preferred_date: ColumnType<string | null, string | null | undefined, string | null>;
  photo_id: ColumnType<number | null, number | null | undefined, number | null>;
  locked: Generated<boolean>;
  review_status: Generated<ReviewStatus>;
  review_failure_type: ColumnType<string | null, string | null | undefined, string | null>;
  review_reason: Generated<string>;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  person_fee_paid: Generated<boolean>;
  hold_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Kept by the `entry_counts` trigger (migration 0007): never written by the app. */
  entry_count: Generated<number>;
  paid_count: Generated<number>;
  paid_fen: Generated<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export type Registration = Selectable<RegistrationTable>;

export type NewRegistration = Insertable<RegistrationTable>;
