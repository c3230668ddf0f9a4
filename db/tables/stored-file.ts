import type { ColumnType, Selectable } from "kysely";
import type { GeneratedTimestamp } from "./columns";

export interface StoredFileTable {
  id: string;
  kind: string;
  name: string;
  path: string;
  size: ColumnType<number, number, number>;
  content_type: string;
  org_id: number | null;
  sitting_id: number | null;
  created_by: string | null;
  created_at: GeneratedTimestamp;
}

export type StoredFile = Selectable<StoredFileTable>;
