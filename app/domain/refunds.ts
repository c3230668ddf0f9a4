import type { MessageKey } from "~/i18n";

// Issue 20 item 3: money owed back to a candidate. A refund is recorded once per payment and reason
// where the flag used to be set, and moves due → requested → refunded, or failed (the provider's
// message kept) and then may be asked again.

export const REFUND_REASONS = ["late_payment", "per_person_fee", "cancelled"] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];
export const REFUND_STATES = ["due", "requested", "refunded", "failed"] as const;
export type RefundState = (typeof REFUND_STATES)[number];

export const isRefundState = (s: string): s is RefundState => (REFUND_STATES as readonly string[]).includes(s);

export const refundReasonLabel = (r: RefundReason): MessageKey => `finance.reason.${r}`;
export const refundStateLabel = (s: RefundState): MessageKey => `finance.state.${s}`;

/** What asking the provider for this refund would do now: go ahead, or why not (idempotent by state). */
export function refundRequestRefusal(state: RefundState): MessageKey | null {
  if (state === "refunded") return "finance.refund_already";
  if (state === "requested") return "finance.refund_in_progress";
  return null;
}

/**
 * A refund for a cancelled registration's payment: what it paid less what is already owed back on it
 * for another reason (a per-person fee paid twice), so no fen is refunded twice. 0: nothing more.
 */
export function cancellationRefundFen(paidFen: number, alreadyOwedFen: number): number {
  return Math.max(0, paidFen - alreadyOwedFen);
}

/** The provider's answer to a refund, as our state. */
export type ProviderRefundAnswer =
  | { status: "refunded"; providerRefundId: string }
  | { status: "pending"; providerRefundId?: string }
  | { status: "failed"; message: string };

export function stateAfterAnswer(a: ProviderRefundAnswer): RefundState {
  return a.status === "refunded" ? "refunded" : a.status === "failed" ? "failed" : "requested";
}
