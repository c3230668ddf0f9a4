import { describe, expect, it } from "vitest";
import {
  paymentBatchActionRefusal,
  deleteReasonRefusal,
  parsePaymentBatchFilter,
  summarisePaymentBatch,
} from "./group-payment";

const fees = new Map([
  ["14", 11000],
  ["15", 11000],
  ["65", 12000],
]);

describe("group payment batches (GRP-6)", () => {
  it("GRP-6: a payment batch adds the per-person fee once per candidate who has not paid it, and every subject fee", () => {
    const s = summarisePaymentBatch(
      [
        { registration_id: 1, subject_code: "14", person_fee_paid: false },
        { registration_id: 1, subject_code: "65", person_fee_paid: false },
        { registration_id: 2, subject_code: "15", person_fee_paid: true },
        { registration_id: 3, subject_code: "14", person_fee_paid: false },
      ],
      1000,
      fees,
    );
    expect(s).toEqual({
      candidate_count: 3,
      entry_count: 4,
      per_person_count: 2,
      per_person_fen: 2000,
      subject_fen: 45000,
      amount_fen: 47000,
      subject_codes: ["14", "15", "65"],
      missing_fees: [],
    });
  });

  it("GRP-6: an empty payment batch costs nothing; a subject without a fee is reported", () => {
    expect(summarisePaymentBatch([], 1000, fees)).toMatchObject({ candidate_count: 0, entry_count: 0, amount_fen: 0 });
    expect(
      summarisePaymentBatch([{ registration_id: 1, subject_code: "66", person_fee_paid: false }], 1000, fees)
        .missing_fees,
    ).toEqual(["66"]);
  });

  it.each([
    ["open", "pay", null],
    ["open", "refresh", null],
    ["open", "delete", null],
    ["paid", "pay", "grouppay.already_paid"],
    ["paid", "refresh", null],
    ["paid", "delete", "grouppay.already_paid"],
    ["deleted", "pay", "grouppay.deleted_final"],
    ["deleted", "refresh", "grouppay.deleted_final"],
    ["deleted", "delete", "grouppay.already_deleted"],
  ] as const)("GRP-6: a %s payment batch, %s → %s", (status, action, expected) => {
    expect(paymentBatchActionRefusal(status, action)).toBe(expected);
  });

  it("GRP-6: deleting a payment batch needs a reason, not too long", () => {
    expect(deleteReasonRefusal("")?.key).toBe("grouppay.reason_required");
    expect(deleteReasonRefusal("  \n ")?.key).toBe("grouppay.reason_required");
    expect(deleteReasonRefusal("x".repeat(201))?.key).toBe("grouppay.reason_too_long");
    expect(deleteReasonRefusal("金额有误")).toBeNull();
  });

  it("GRP-6: the payment batch filter keeps known values and ignores the rest", () => {
    const q = new URLSearchParams({ channel: "group", subject: " 14 ", className: " 计科2401 " });
    expect(parsePaymentBatchFilter((k) => q.get(k))).toEqual({
      channel: "group",
      subject: "14",
      className: "计科2401",
    });
    const bad = new URLSearchParams({ channel: "both", subject: "1; drop", className: "" });
    expect(parsePaymentBatchFilter((k) => bad.get(k))).toEqual({});
  });
});
