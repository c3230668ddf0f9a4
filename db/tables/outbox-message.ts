import type { Generated } from "kysely";
import type { GeneratedTimestamp } from "./columns";

export interface OutboxMessageTable {
  id: Generated<number>;
  channel: "email" | "sms";
  recipient: string;
  subject: string;
  body: string;
  created_at: GeneratedTimestamp;
}
