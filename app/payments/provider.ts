/**
 * CAN-7: the payment-provider interface. The portal speaks only to this; the built-in provider is a
 * simulated gateway (`simulated.server.ts`) for development and demos; a real one (a bank's or a
 * payment platform's) implements the same four calls.
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
}
