import type { Generated, Selectable } from "kysely";
import type { GeneratedTimestamp } from "./columns";

/** PHO-6: one stored photo per ID number per site and sitting. */
export interface PhotoTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  id_number: string;
  file_id: string;
  width: number;
  height: number;
  bytes: number;
  created_at: GeneratedTimestamp;
}

export type Photo = Selectable<PhotoTable>;
