import type { ColumnType, Generated, Selectable } from "kysely";
import type { DateOnly, GeneratedTimestamp } from "./columns";

/** ROOM-1: a room of a site for one sitting; its number is two digits, unique at the site. */
export interface RoomTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  number: string;
  location: Generated<string>;
  seats: number;
  /** DOC-7: seats per row on the seating chart; null: the default from the seat count. */
  seat_columns: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: GeneratedTimestamp;
}

export type Room = Selectable<RoomTable>;

/** ROOM-1: a batch (场次) of a room: its exam day, wall-clock minutes of that day, and capacity. */
export interface ExamBatchTable {
  id: Generated<number>;
  room_id: number;
  sitting_id: number;
  org_id: number;
  /** Its number within the room ("07#3" is room 07's third), never reused while it exists. */
  seq: number;
  exam_date: DateOnly;
  start_min: number;
  end_min: number;
  capacity: number;
  created_at: GeneratedTimestamp;
}

export type ExamBatch = Selectable<ExamBatchTable>;

/** ADM-2 and the documents to come: the latest generated file of a kind for a site, and what it was made from. */
export interface GeneratedFileTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  kind: string;
  file_id: string;
  inputs_version: string;
  generated_by_name: Generated<string>;
  generated_at: GeneratedTimestamp;
}

/** Issue 17: a deployment secret kept with the data (the card-token secret when the environment gives none). */
export interface AppSecretTable {
  name: string;
  value: string;
  created_at: GeneratedTimestamp;
}

/** DOC-3/CAN-9: a candidate's pre-generated card (all their entries' cards in one PDF) and its downloads. */
export interface CandidateCardTable {
  registration_id: number;
  sitting_id: number;
  org_id: number;
  file_id: string | null;
  inputs_version: Generated<string>;
  generated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  downloads: Generated<number>;
  first_downloaded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_downloaded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type CbtUploadKind = "mock_report" | "exception";
export type CbtUploadStatus = "generating" | "done" | "failed" | "not_started" | "processing";

/** DOC-8: a site's uploaded CBT mock-exam report package or CBT exception file, with its status. */
export interface CbtUploadTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  kind: CbtUploadKind;
  file_id: string;
  file_name: string;
  size: ColumnType<string, number | string, number | string>;
  status: CbtUploadStatus;
  report: ColumnType<unknown | null, string | null | undefined, string | null>; // JSON text in, value out
  remark: Generated<string>;
  handling_note: Generated<string>;
  uploaded_by_name: Generated<string>;
  uploaded_at: GeneratedTimestamp;
  status_by_name: Generated<string>;
  status_at: GeneratedTimestamp;
}

/** DOC-9: a candidate checked in for one entry's batch. */
export interface AttendanceTable {
  entry_id: number;
  sitting_id: number;
  org_id: number;
  batch_id: number;
  via: "scan" | "manual";
  checked_in_by: string | null;
  checked_in_by_name: Generated<string>;
  checked_in_at: GeneratedTimestamp;
}
