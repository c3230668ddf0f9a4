import type { Generated, Selectable, Updateable } from "kysely";

export type ReviewState = "pending" | "reviewed";

/** Per-sitting state of an organisation (ORG-4, ORG-5, ORG-6). */
export interface OrgSittingTable {
  org_id: number;
  sitting_id: number;
  enabled: Generated<boolean>;
  review_state: Generated<ReviewState>;
  address: Generated<string>;
  postcode: Generated<string>;
  contact_name: Generated<string>;
  contact_phone: Generated<string>;
  contact_email: Generated<string>;
  remark: Generated<string>;
}

export type OrgSitting = Selectable<OrgSittingTable>;

export type OrgSittingUpdate = Updateable<OrgSittingTable>;
