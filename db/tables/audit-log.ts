import type { Generated, Selectable } from "kysely";
import type { GeneratedTimestamp, Json } from "./columns";

export interface AuditLogTable {
  id: Generated<number>;
  at: GeneratedTimestamp;
  account_id: string | null;
  actor_name: string;
  org_id: number | null;
  sitting_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string;
  changes: Json<Record<string, [unknown, unknown]>>;
  ip: string | null;
}

export type AuditEntry = Selectable<AuditLogTable>;
