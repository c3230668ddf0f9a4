import type { Generated, Selectable } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp, Timestamp } from "./columns";
import type { MemberRole } from "./membership";

export type InvitationStatus = "pending" | "accepted" | "declined" | "withdrawn";

export interface InvitationTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  account_id: string;
  login: string;
  name: string;
  phone: Generated<string>;
  role: MemberRole;
  status: Generated<InvitationStatus>;
  invited_by: string | null;
  invited_by_name: Generated<string>;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
  answered_at: NullableTimestamp;
}

export type Invitation = Selectable<InvitationTable>;
