import type { Generated, Selectable } from "kysely";
import type { DateOnly, GeneratedTimestamp } from "./columns";

export interface SiteSubjectTable {
  sitting_id: number;
  org_id: number;
  subject_code: string;
  exam_start: DateOnly;
  exam_end: DateOnly;
  capacity: number | null;
  taken: Generated<number>;
  created_at: GeneratedTimestamp;
}

export type SiteSubject = Selectable<SiteSubjectTable>;
