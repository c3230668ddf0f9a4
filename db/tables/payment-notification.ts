import type { Generated } from "kysely";
import type { GeneratedTimestamp } from "./columns";

export interface PaymentNotificationTable {
  id: Generated<number>;
  provider: string;
  payment_id: string | null;
  provider_txn_id: string | null;
  status: string;
  amount_fen: number | null;
  outcome: string;
  received_at: GeneratedTimestamp;
}
