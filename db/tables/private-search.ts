import type { GeneratedTimestamp, Json } from "./columns";

export interface PrivateSearchTable {
  token: string;
  account_id: string;
  fields: Json<Record<string, string>>;
  created_at: GeneratedTimestamp;
}
