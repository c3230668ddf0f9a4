import type { GeneratedTimestamp } from "./columns";

/** SET-7: the current province or site notice of a sitting. */
export interface NoticeTable {
  sitting_id: number;
  org_id: number;
  body: string;
  updated_at: GeneratedTimestamp;
  updated_by: string | null;
}
