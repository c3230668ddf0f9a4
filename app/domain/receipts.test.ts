import { describe, expect, it } from "vitest";
import { paymentReceipts } from "./fees";

describe("receipts (issue 15 item 6)", () => {
  it("CAN-7/CAN-10: a paid order lists the per-person fee, each subject it paid and the total; pending and failed ones are no receipt", () => {
    const at = new Date("2026-09-02T02:00:00Z");
    const receipts = paymentReceipts(
      [
        { id: "P1", status: "paid", amount_fen: 16500, per_person_fen: 1500, finished_at: at },
        { id: "P2", status: "failed", amount_fen: 8000, per_person_fen: 0, finished_at: at },
        { id: "P3", status: "pending", amount_fen: 8000, per_person_fen: 0, finished_at: null },
      ],
      [
        { subject_code: "14", subject_name: "MS Office", payment_id: "P1", fee_fen: 7500 },
        { subject_code: "65", subject_name: "WPS", payment_id: "P1", fee_fen: 7500 },
        { subject_code: "15", subject_name: "Photoshop", payment_id: null, fee_fen: null },
      ],
    );
    expect(receipts).toEqual([
      {
        id: "P1",
        paidAt: at,
        perPersonFen: 1500,
        lines: [
          { code: "14", name: "MS Office", feeFen: 7500 },
          { code: "65", name: "WPS", feeFen: 7500 },
        ],
        totalFen: 16500,
      },
    ]);
  });
});
