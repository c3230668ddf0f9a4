import type { ColumnType, Selectable } from "kysely";
import type { DateOnly, GeneratedTimestamp } from "./columns";

export interface SiteSubjectTable {
  sitting_id: number;
  org_id: number;
  subject_code: string;
  exam_start: DateOnly;
  exam_end: DateOnly;
  capacity: number | null;
  /** Decision 0051: the sum of the subject's seat shards (read only; seats change through db/queries/seats.ts). */
  taken: ColumnType<number, never, never>;
  created_at: GeneratedTimestamp;
}

export type SiteSubject = Selectable<SiteSubjectTable>;
