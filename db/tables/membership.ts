import type { Generated, Selectable } from "kysely";
import type { GeneratedTimestamp } from "./columns";

export type MemberRole = "admin" | "finance" | "invigilator";

/** An administrator's or finance user's binding to one organisation in one sitting (ORG-1, ORG-6, ORG-11). */
export interface MembershipTable {
  id: Generated<number>;
  account_id: string;
  org_id: number;
  sitting_id: number;
  role: MemberRole;
  name: string;
  phone: Generated<string>;
  created_at: GeneratedTimestamp;
}

export type Membership = Selectable<MembershipTable>;
