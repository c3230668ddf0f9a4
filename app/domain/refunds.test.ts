import { describe, expect, it } from "vitest";
import { cancellationRefundFen, refundRequestRefusal, stateAfterAnswer } from "./refunds";

describe("refunds (issue 20 item 3)", () => {
  it("FIN-2: a refund is asked only when due or failed; refunded or in progress is refused by name (idempotent)", () => {
    expect(refundRequestRefusal("due")).toBeNull();
    expect(refundRequestRefusal("failed")).toBeNull();
    expect(refundRequestRefusal("refunded")).toBe("finance.refund_already");
    expect(refundRequestRefusal("requested")).toBe("finance.refund_in_progress");
  });

  it("FIN-2: the provider's answer becomes our state; a pending answer stays requested", () => {
    expect(stateAfterAnswer({ status: "refunded", providerRefundId: "x" })).toBe("refunded");
    expect(stateAfterAnswer({ status: "failed", message: "no" })).toBe("failed");
    expect(stateAfterAnswer({ status: "pending" })).toBe("requested");
  });

  it("MGT-2: a cancelled payment owes what it paid less what is already owed on it, never below zero", () => {
    expect(cancellationRefundFen(5000, 0)).toBe(5000);
    expect(cancellationRefundFen(5000, 1000)).toBe(4000);
    expect(cancellationRefundFen(5000, 6000)).toBe(0);
  });
});
