import { describe, expect, it } from "vitest";
import { reconcile } from "./reconciliation";

describe("reconciliation (FIN-2)", () => {
  it("FIN-2: the pure matcher names each kind once and ignores orders neither side took", () => {
    const d = reconcile(
      [
        { orderId: "a", orgId: 1, status: "paid", amountFen: 100 },
        { orderId: "b", orgId: 1, status: "expired", amountFen: 100 },
        { orderId: "c", orgId: 1, status: "refund_due", amountFen: 100 },
        { orderId: "d", orgId: 1, status: "failed", amountFen: 100 },
      ],
      [
        { orderId: "b", txnId: "tb", amountFen: 100 },
        { orderId: "c", txnId: "tc", amountFen: 90 },
        { orderId: "z", txnId: "tz", amountFen: 5 },
      ],
    );
    expect(d.map((x) => [x.orderId, x.kind])).toEqual([
      ["b", "gateway_only"],
      ["c", "amount_mismatch"],
      ["z", "gateway_only"],
      ["a", "ours_only"],
    ]);
  });

  it("FIN-2: a payment awaiting its refund counts as taken (the money arrived); the same amount is no difference", () => {
    expect(
      reconcile(
        [{ orderId: "a", orgId: 1, status: "refund_due", amountFen: 100 }],
        [{ orderId: "a", txnId: "t", amountFen: 100 }],
      ),
    ).toEqual([]);
  });
});
