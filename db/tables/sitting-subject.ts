import type { DateOnly } from "./columns";

export interface SittingSubjectTable {
  sitting_id: number;
  subject_code: string;
  exam_start: DateOnly;
  exam_end: DateOnly;
}
