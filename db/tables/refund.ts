import type { ColumnType, Generated, Selectable } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp, Timestamp } from "./columns";

// Declared once, in the domain (app/domain/refunds.ts).
import type { RefundReason, RefundState } from "~/domain/refunds";
export type { RefundReason, RefundState };

/** Issue 20 item 3: money owed back to a candidate, and how far its refund has gone. */
export interface RefundTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  payment_id: string;
  registration_id: number | null;
  account_id: string | null;
  reason: RefundReason;
  amount_fen: number;
  state: Generated<RefundState>;
  provider_refund_id: ColumnType<string | null, string | null | undefined, string | null>;
  provider_message: Generated<string>;
  requested_by: ColumnType<string | null, string | null | undefined, string | null>;
  requested_by_name: Generated<string>;
  requested_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  created_at: GeneratedTimestamp;
}
export type Refund = Selectable<RefundTable>;

/** FIN-2: the gateway's record of one order, as its reconciliation query last answered. */
export interface GatewayRecordTable {
  provider: string;
  order_id: string;
  txn_id: string;
  amount_fen: number;
  refunded_fen: Generated<number>;
  paid_at: Timestamp;
  fetched_at: Timestamp;
}

export interface GatewayFetchTable {
  id: Generated<number>;
  sitting_id: number;
  provider: string;
  covers_from: Timestamp;
  covers_to: Timestamp;
  records: number;
  differences: number;
  fetched_by_name: Generated<string>;
  fetched_at: GeneratedTimestamp;
}

import type { DifferenceKind } from "~/domain/reconciliation";
export type { DifferenceKind };

export interface PaymentDifferenceTable {
  id: Generated<number>;
  fetch_id: number;
  sitting_id: number;
  org_id: number | null;
  kind: DifferenceKind;
  order_id: string;
  our_status: string | null;
  our_fen: number | null;
  gateway_fen: number | null;
  txn_id: string | null;
}

export interface SimGatewayRefundTable {
  id: string;
  merchant_refund_id: string;
  merchant_order_id: string;
  amount_fen: number;
  created_at: GeneratedTimestamp;
}
