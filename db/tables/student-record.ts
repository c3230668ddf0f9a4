import type { Generated, Selectable } from "kysely";
import type { DateOnly, GeneratedTimestamp } from "./columns";

/** SR-1: a student record, per site, across sittings; the ID number is unique. */
export interface StudentRecordTable {
  id: Generated<number>;
  org_id: number;
  id_type: string;
  id_number: string;
  name: string;
  gender: string;
  birth_date: DateOnly;
  ethnicity: string;
  education: string;
  occupation: Generated<string>;
  training_type: Generated<string>;
  student_no: Generated<string>;
  department: Generated<string>;
  major: Generated<string>;
  class_name: Generated<string>;
  phone: Generated<string>;
  email: Generated<string>;
  address: Generated<string>;
  postcode: Generated<string>;
  remark: Generated<string>;
  eligible_site_ids: number[] | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export type StudentRecord = Selectable<StudentRecordTable>;
