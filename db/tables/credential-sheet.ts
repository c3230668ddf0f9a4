import type { Generated } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp } from "./columns";

export interface CredentialSheetTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  file_id: string | null;
  accounts: number;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  downloaded_at: NullableTimestamp;
  downloaded_by: string | null;
}
