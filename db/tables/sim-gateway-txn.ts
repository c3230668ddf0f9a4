import type { Generated } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp } from "./columns";

export interface SimGatewayTxnTable {
  id: string;
  merchant_order_id: string;
  amount_fen: number;
  description: Generated<string>;
  status: Generated<"open" | "paid" | "failed">;
  notify_url: string;
  return_url: string;
  created_at: GeneratedTimestamp;
  settled_at: NullableTimestamp;
}
