import type { Generated } from "kysely";
import type { DateOnly } from "./columns";

export interface PreferredDateQuotaTable {
  sitting_id: number;
  org_id: number;
  exam_date: DateOnly;
  quota: number;
  taken: Generated<number>;
}
