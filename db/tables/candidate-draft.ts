import type { GeneratedTimestamp } from "./columns";

export interface CandidateDraftTable {
  account_id: string;
  sitting_id: number;
  id_type: string;
  id_number: string;
  name: string;
  updated_at: GeneratedTimestamp;
}
