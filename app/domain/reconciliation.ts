import type { MessageKey } from "~/i18n";

// FIN-2: our payments beside the gateway's records, every difference named. A payment counts as
// taken by us when it is paid or awaiting its refund (the money did arrive); the gateway's record
// counts when the gateway says the order was paid.

export type DifferenceKind = "gateway_only" | "ours_only" | "amount_mismatch";
export const DIFFERENCE_KINDS: readonly DifferenceKind[] = ["gateway_only", "ours_only", "amount_mismatch"];

export interface OurPayment {
  orderId: string;
  orgId: number;
  status: string;
  amountFen: number;
}
export interface GatewayRecord {
  orderId: string;
  txnId: string;
  amountFen: number;
}
export interface Difference {
  kind: DifferenceKind;
  orderId: string;
  orgId: number | null;
  ourStatus: string | null;
  ourFen: number | null;
  gatewayFen: number | null;
  txnId: string | null;
}

const TAKEN = new Set(["paid", "refund_due"]);

export const differenceLabel = (k: DifferenceKind): MessageKey => `finance.diff.${k}`;

/**
 * FIN-2: every payment of ours and every gateway record, matched by order number. `ours` holds all
 * our orders of the period (any status), so a gateway payment we hold as pending or expired is named
 * with that status rather than as unknown.
 */
export function reconcile(ours: Iterable<OurPayment>, gateway: Iterable<GatewayRecord>): Difference[] {
  const byOrder = new Map<string, OurPayment>();
  for (const p of ours) byOrder.set(p.orderId, p);
  const out: Difference[] = [];
  const seen = new Set<string>();
  for (const g of gateway) {
    seen.add(g.orderId);
    const p = byOrder.get(g.orderId);
    const base = { orderId: g.orderId, gatewayFen: g.amountFen, txnId: g.txnId };
    if (!p || !TAKEN.has(p.status))
      out.push({
        kind: "gateway_only",
        ...base,
        orgId: p?.orgId ?? null,
        ourStatus: p?.status ?? null,
        ourFen: p?.amountFen ?? null,
      });
    else if (p.amountFen !== g.amountFen)
      out.push({ kind: "amount_mismatch", ...base, orgId: p.orgId, ourStatus: p.status, ourFen: p.amountFen });
  }
  for (const p of byOrder.values())
    if (TAKEN.has(p.status) && !seen.has(p.orderId))
      out.push({
        kind: "ours_only",
        orderId: p.orderId,
        orgId: p.orgId,
        ourStatus: p.status,
        ourFen: p.amountFen,
        gatewayFen: null,
        txnId: null,
      });
  return out;
}
