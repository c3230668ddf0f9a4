import type { SittingSubjectTable } from "./sitting-subject";

export interface ProvinceSubjectTable extends SittingSubjectTable {
  org_id: number;
}
