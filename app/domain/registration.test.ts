import { describe, expect, it } from "vitest";
import {
  amountDue,
  candidateStatus,
  cardDownloadable,
  entryChangeRefusal,
  groupPayableGap,
  holdUntil,
  onlineWindowStatus,
  paymentConditionGap,
  paymentRefusal,
  personFeeCovered,
  personalDataRefusal,
  submissionGap,
  submitRefusal,
  type EntryState,
  type RegistrationState,
  type SiteRules,
  type StatusInput,
} from "./registration";

const now = new Date("2027-01-10T08:00:00Z");
const site: SiteRules = {
  review_required: false,
  max_entries: 2,
  self_print: true,
  online: { starts_at: new Date("2027-01-01T00:00:00Z"), ends_at: new Date("2027-01-31T00:00:00Z") },
};
const reviewed: SiteRules = { ...site, review_required: true };
const closed: SiteRules = {
  ...site,
  online: { starts_at: new Date("2026-12-01T00:00:00Z"), ends_at: new Date("2026-12-31T00:00:00Z") },
};
const reg: RegistrationState = {
  channel: "online",
  locked: false,
  review_status: "none",
  review_failure_type: null,
  reviewed_at: null,
  photo_at: new Date("2027-01-09T00:00:00Z"),
};
const entry = (code: string, over: Partial<EntryState> = {}): EntryState => ({
  subject_code: code,
  paid: false,
  in_pending_payment: false,
  ...over,
});
const offered = new Set(["14", "15", "65"]);

describe("online registration rules", () => {
  it("WIN-4/SET-6: candidates follow the site's online window only; off means not set", () => {
    expect(onlineWindowStatus(site, now)).toBe("open");
    expect(onlineWindowStatus(closed, now)).toBe("closed");
    expect(onlineWindowStatus({ online: null }, now)).toBe("not_set");
  });

  it("CAN-5: a locked registration's personal data cannot change; a group one never through the candidate; nothing outside the window", () => {
    expect(personalDataRefusal(site, null, now)).toBeNull();
    expect(personalDataRefusal(site, reg, now)).toBeNull();
    expect(personalDataRefusal(site, { ...reg, locked: true }, now)).toBe("reg.locked");
    expect(personalDataRefusal(site, { ...reg, channel: "group" }, now)).toBe("reg.group_view_only");
    expect(personalDataRefusal(closed, reg, now)).toBe("reg.window_closed");
  });

  it.each([
    ["CAN-2: within the maximum", [], ["14", "15"], null],
    ["CAN-2: more than the site's maximum", [], ["14", "15", "65"], "entries.too_many"],
    ["CAN-2: a subject the site does not offer", [], ["61"], "entries.not_offered"],
    ["CAN-2: the same subject twice", [], ["14", "14"], "entries.duplicate"],
    ["CAN-7: a paid entry cannot be dropped", [entry("14", { paid: true })], ["15"], "entries.paid_fixed"],
    [
      "CAN-7: an entry in a pending payment cannot be dropped",
      [entry("14", { in_pending_payment: true })],
      [],
      "entries.payment_pending",
    ],
    ["CAN-5: entries still change while unpaid, even when locked", [entry("14")], ["15"], null],
    ["CAN-2: a kept entry the site no longer offers may stay", [entry("24", { paid: true })], ["24"], null],
    [
      "GRP-6: an entry a group payment batch holds cannot be dropped",
      [entry("14", { in_payment_batch: true })],
      ["15"],
      "entries.in_payment_batch",
    ],
    [
      "GRP-6: an entry in a payment batch may stay while others are added",
      [entry("14", { in_payment_batch: true })],
      ["14", "15"],
      null,
    ],
  ] as const)("%s", (_name, current, wanted, expected) => {
    const r = entryChangeRefusal(site, reg, current, wanted, offered, now);
    expect(r?.key ?? null).toBe(expected);
  });

  it("CAN-6: submitting needs review required, a photo, entries; after a photo failure, a newer photo", () => {
    expect(submitRefusal(site, reg, 1, now)).toBe("review.not_required");
    expect(submitRefusal(reviewed, reg, 1, now)).toBeNull();
    expect(submitRefusal(reviewed, { ...reg, photo_at: null }, 1, now)).toBe("reg.photo_missing");
    expect(submitRefusal(reviewed, reg, 0, now)).toBe("entries.none");
    expect(submitRefusal(reviewed, { ...reg, review_status: "pending" }, 1, now)).toBe("review.already_pending");
    const failed: RegistrationState = {
      ...reg,
      review_status: "failed",
      review_failure_type: "photo",
      reviewed_at: new Date("2027-01-09T12:00:00Z"),
    };
    expect(submitRefusal(reviewed, failed, 1, now)).toBe("review.new_photo_needed");
    expect(submitRefusal(reviewed, { ...failed, photo_at: new Date("2027-01-10T07:00:00Z") }, 1, now)).toBeNull();
    expect(submitRefusal(reviewed, { ...failed, review_failure_type: "personal" }, 1, now)).toBeNull();
  });

  it("MGT-1/CAN-6: the site submitting for a candidate is held to the same needs, but not to the candidate's window", () => {
    const closed = { ...reviewed, online: null };
    expect(submitRefusal(closed, reg, 1, now)).toBe("reg.window_closed");
    expect(submissionGap(closed, reg, 1)).toBeNull();
    expect(submissionGap(closed, { ...reg, photo_at: null }, 1)).toBe("reg.photo_missing");
    expect(submissionGap(site, reg, 1)).toBe("review.not_required");
  });

  it("CAN-6: with review required, payment only after review passed", () => {
    const unpaid = [entry("14")];
    expect(paymentRefusal(site, reg, unpaid, now)).toBeNull();
    expect(paymentRefusal(reviewed, reg, unpaid, now)).toBe("pay.review_first");
    expect(paymentRefusal(reviewed, { ...reg, review_status: "pending" }, unpaid, now)).toBe("pay.review_pending");
    expect(paymentRefusal(reviewed, { ...reg, review_status: "passed" }, unpaid, now)).toBeNull();
    expect(paymentRefusal(site, reg, [], now)).toBe("pay.nothing_due");
    expect(paymentRefusal(closed, reg, unpaid, now)).toBe("reg.window_closed");
  });

  it("GRP-6: entries a group payment batch holds are not the candidate's to pay", () => {
    expect(paymentRefusal(site, reg, [entry("14", { in_payment_batch: true })], now)).toBe("pay.in_payment_batch");
    // Even outside the window, the message says why: the site pays.
    expect(paymentRefusal(closed, reg, [entry("14", { in_payment_batch: true })], now)).toBe("pay.in_payment_batch");
    expect(paymentRefusal(site, reg, [entry("14", { in_payment_batch: true }), entry("15")], now)).toBeNull();
    expect(
      paymentRefusal(site, { ...reg, photo_at: null }, [entry("14", { in_payment_batch: true }), entry("15")], now),
    ).toBe("reg.photo_missing");
  });

  it("GRP-6: the per-person fee a payment batch includes is not charged again individually", () => {
    expect(personFeeCovered(false, [entry("14")])).toBe(false);
    expect(personFeeCovered(false, [entry("14", { in_payment_batch: true }), entry("15")])).toBe(true);
    expect(personFeeCovered(true, [])).toBe(true);
    expect(amountDue(1000, personFeeCovered(false, [entry("14", { in_payment_batch: true })]), [12000])).toEqual({
      perPersonFen: 0,
      totalFen: 12000,
    });
  });

  it.each([
    ["payable", site, reg, {}, false, null],
    ["already paid", site, reg, { paid: true }, false, "paid"],
    ["already in a payment batch", site, reg, { in_payment_batch: true }, false, "in_payment_batch"],
    ["in the candidate's pending payment", site, reg, { in_pending_payment: true }, false, "paying"],
    ["another entry of the candidate is being paid", site, reg, {}, true, "paying"],
    ["no photo", site, { ...reg, photo_at: null }, {}, false, "photo_missing"],
    ["review required, not submitted", reviewed, reg, {}, false, "review_needed"],
    ["review required, pending", reviewed, { ...reg, review_status: "pending" as const }, {}, false, "review_pending"],
    ["review required, passed", reviewed, { ...reg, review_status: "passed" as const }, {}, false, null],
    ["the candidate window is closed (the site pays)", closed, reg, {}, false, null],
    ["a group-registered candidate (GRP-5: same rules)", site, { ...reg, channel: "group" as const }, {}, false, null],
  ] as const)("GRP-6: payable for a group payment: %s", (_name, rules, r, over, pendingPayment, expected) => {
    expect(
      groupPayableGap(rules, { ...r, pending_payment: pendingPayment }, entry("14", over as Partial<EntryState>)),
    ).toBe(expected);
  });

  it("GRP-5/CAN-6: the candidate's and the site's payment share one condition", () => {
    expect(paymentConditionGap(reviewed, { ...reg, review_status: "failed" })).toBe("review_needed");
    expect(paymentRefusal(reviewed, { ...reg, review_status: "failed" }, [entry("14")], now)).toBe("pay.review_first");
    expect(paymentConditionGap(site, reg)).toBeNull();
  });

  it("CAN-7: the per-person fee is charged once, with every subject fee", () => {
    expect(amountDue(1000, false, [11000, 12000])).toEqual({ perPersonFen: 1000, totalFen: 24000 });
    expect(amountDue(1000, true, [12000])).toEqual({ perPersonFen: 0, totalFen: 12000 });
  });

  it("CAN-8: an unpaid hold runs from now, and not at all while awaiting review", () => {
    expect(holdUntil(now, 120, false)).toEqual(new Date("2027-01-10T10:00:00Z"));
    expect(holdUntil(now, 120, true)).toBeNull();
  });
});

describe("the status page (CAN-10)", () => {
  const base: StatusInput = {
    now,
    anySiteOpen: true,
    site,
    registration: reg,
    entries: [],
    cardPrintFrom: null,
    allocated: 0,
  };
  it.each([
    ["no registration, sites open", { registration: null, site: null }, "choose_site"],
    ["no registration, nothing open", { registration: null, site: null, anySiteOpen: false }, "none_open"],
    ["no photo", { registration: { ...reg, photo_at: null } }, "upload_photo"],
    ["no entries", {}, "choose_entries"],
    ["unpaid entries", { entries: [entry("14")] }, "pay"],
    ["a payment being confirmed", { entries: [entry("14", { in_pending_payment: true })] }, "confirm_payment"],
    ["review required, not submitted", { site: reviewed, entries: [entry("14")] }, "submit_review"],
    [
      "under review",
      {
        site: reviewed,
        registration: { ...reg, locked: true, review_status: "pending" as const },
        entries: [entry("14")],
      },
      "wait_review",
    ],
    [
      "photo failed review",
      {
        site: reviewed,
        registration: { ...reg, review_status: "failed" as const, review_failure_type: "photo", reviewed_at: now },
        entries: [entry("14")],
      },
      "new_photo",
    ],
    ["paid, not allocated", { entries: [entry("14", { paid: true })] }, "wait_allocation"],
    [
      "paid and allocated, cards open",
      { entries: [entry("14", { paid: true })], allocated: 1, cardPrintFrom: new Date("2027-01-01T00:00:00Z") },
      "print_card",
    ],
    ["window closed, unpaid", { site: closed, entries: [entry("14")] }, "closed"],
    [
      "GRP-6: all unpaid entries in the site's payment batch",
      { entries: [entry("14", { in_payment_batch: true })] },
      "wait_group_payment",
    ],
    [
      "GRP-6: some unpaid entries outside the payment batch",
      { entries: [entry("14", { in_payment_batch: true }), entry("15")] },
      "pay",
    ],
  ] as const)("CAN-10: %s", (_name, over, next) => {
    expect(candidateStatus({ ...base, ...(over as Partial<StatusInput>) }).next).toBe(next);
  });

  it("CAN-10: one line per topic says where the candidate stands", () => {
    const s = candidateStatus({
      ...base,
      site: reviewed,
      registration: { ...reg, locked: true, review_status: "passed" },
      entries: [entry("14", { paid: true }), entry("15")],
    });
    expect(s.lines.map((l) => [l.topic, l.key])).toEqual([
      ["window", "status.window_open"],
      ["lock", "status.locked"],
      ["photo", "status.photo_ok"],
      ["entries", "status.entries"],
      ["review", "status.review_passed"],
      ["payment", "status.unpaid"],
      ["allocation", "status.not_allocated"],
      ["card", "status.card_unset"],
    ]);
  });

  it("CAN-10: a site without an online window says so, with no empty dates; CAN-9 the card is downloadable only from the print start, where the site allows it, with a number", () => {
    const s = candidateStatus({ ...base, site: { ...reviewed, online: null }, registration: reg });
    expect(s.lines[0]).toEqual({ topic: "window", tone: "stop", key: "status.window_not_set", params: {} });
    const past = new Date(now.getTime() - 1000);
    const later = new Date(now.getTime() + 1000);
    expect(cardDownloadable({ self_print: true }, past, 1, now)).toBe(true);
    expect(cardDownloadable({ self_print: true }, later, 1, now)).toBe(false);
    expect(cardDownloadable({ self_print: false }, past, 1, now)).toBe(false);
    expect(cardDownloadable({ self_print: true }, null, 1, now)).toBe(false);
    expect(cardDownloadable({ self_print: true }, past, 0, now)).toBe(false);
  });

  it("CAN-6/CAN-10 (issue 15 item 7): a photo refused by review is shown as refused, not as uploaded", () => {
    const reviewedAt = new Date(now.getTime() - 1000);
    const refused = {
      ...reg,
      photo_at: new Date(now.getTime() - 5000),
      review_status: "failed" as const,
      review_failure_type: "photo" as string | null,
      reviewed_at: reviewedAt,
    };
    const line = (r: typeof refused) =>
      candidateStatus({ ...base, site: reviewed, registration: r }).lines.find((l) => l.topic === "photo");
    expect(line(refused)).toEqual({ topic: "photo", tone: "stop", key: "status.photo_rejected" });
    // A new photo since the review: uploaded again.
    expect(line({ ...refused, photo_at: now })).toMatchObject({ tone: "ok", key: "status.photo_ok" });
    // Refused for another reason: the photo itself is fine.
    expect(line({ ...refused, review_failure_type: "other" })).toMatchObject({ key: "status.photo_ok" });
  });

  it("CAN-10 (issue 15 item 7): the card is not promised before allocation, even inside its print window", () => {
    const card = (allocated: number) =>
      candidateStatus({
        ...base,
        cardPrintFrom: new Date(now.getTime() - 60_000),
        allocated,
        entries: [entry("14", { paid: true })],
      }).lines.find((l) => l.topic === "card");
    expect(card(0)).toEqual({ topic: "card", tone: "wait", key: "status.card_after_allocation" });
    expect(card(1)).toMatchObject({ tone: "ok", key: "status.card_ready" });
  });

  it("GRP-6/CAN-10: entries the site's payment batch holds are shown as paid by the site", () => {
    const s = candidateStatus({
      ...base,
      entries: [entry("14", { in_payment_batch: true }), entry("15", { in_payment_batch: true })],
    });
    expect(s.lines.find((l) => l.topic === "payment")).toEqual({
      topic: "payment",
      tone: "wait",
      key: "status.payment_batch",
      params: { count: 2 },
    });
  });
});
