/**
 * CAN-7: the payment-provider interface. The portal speaks only to this; the built-in provider is a
 * simulated gateway (`simulated.server.ts`) for development and demos; a real one (a bank's or a
 * payment platform's) implements the same calls.
 */
export interface CreatePaymentInput {
  /** Our payment id (the merchant order number); unique per attempt. */
  orderId: string;
  amountFen: number;
  description: string;
  /** Absolute URL the provider POSTs its asynchronous notification to. */
  notifyUrl: string;
  /** Absolute URL the payer's browser comes back to. */
  returnUrl: string;
}

/** A verified notification or query answer, in the provider's words translated to ours. */
export interface PaymentNotice {
  orderId: string;
  providerTxnId: string;
  status: "paid" | "failed";
  amountFen: number;
}

export type ProviderOrderState =
  { status: "open" | "unknown" } | { status: "paid" | "failed"; providerTxnId: string; amountFen: number };

/** One paid order in the provider's ledger (its reconciliation file or query, FIN-2). */
export interface LedgerRecord {
  orderId: string;
  providerTxnId: string;
  amountFen: number;
  /** What has been refunded of it so far. */
  refundedFen: number;
  paidAt: Date;
}

export interface RefundInput {
  orderId: string;
  /** Our refund's own number: asking twice with the same number refunds once. */
  refundId: string;
  amountFen: number;
  reason: string;
}

/** The provider's answer to a refund: done, still being processed, or refused with its message. */
export type RefundAnswer =
  | { status: "refunded"; providerRefundId: string }
  | { status: "pending"; providerRefundId?: string }
  | { status: "failed"; message: string };

export interface PaymentProvider {
  readonly name: string;
  /** Registers the order with the provider; returns where to send the payer's browser. */
  createPayment(input: CreatePaymentInput): Promise<{ redirectUrl: string }>;
  /** Verifies an asynchronous notification (signature, shape). null = not authentic: ignore it. */
  verifyNotification(body: URLSearchParams): Promise<PaymentNotice | null>;
  /** What the provider answers to a notification it delivered, so it stops retrying. */
  acknowledgement(): { body: string; contentType: string };
  /** Reconciliation: the provider's own record of an order, for a lost or late notification. */
  queryPayment(orderId: string): Promise<ProviderOrderState>;
  /** FIN-2: every order paid within [from, to), in pages the caller consumes as they come. */
  ledger(from: Date, to: Date): AsyncIterable<LedgerRecord[]>;
  /** Issue 20 item 3: pays back (part of) a paid order; idempotent by `refundId`. */
  refund(input: RefundInput): Promise<RefundAnswer>;
  /** A refund's state at the provider, for one left "pending". */
  queryRefund(refundId: string): Promise<RefundAnswer | { status: "unknown" }>;
}
