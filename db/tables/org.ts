import type { Generated, Insertable, Selectable } from "kysely";
import type { GeneratedTimestamp } from "./columns";

export type OrgLevel = "centre" | "province" | "city" | "site";

export interface OrgTable {
  id: Generated<number>;
  code: string;
  name: string;
  level: OrgLevel;
  parent_id: number | null;
  created_at: GeneratedTimestamp;
}

export type Org = Selectable<OrgTable>;

export type NewOrg = Insertable<OrgTable>;
