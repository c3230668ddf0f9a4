import { describe, expect, it } from "vitest";
import { maskEmail, maskMobile, normaliseAccountLogin } from "./account-lookup";
import {
  BULK_LIMIT,
  bulkSizeRefusal,
  cancellationRefusal,
  deletionPlan,
  lockRefusal,
  nonKeyChanges,
  paymentState,
  reviewAfterUnlock,
  reviewRefusal,
  unlockRefusal,
  type ManagedEntry,
} from "./candidate-management";
import { documentState, registrationReadiness, registrationReadinessLink } from "./readiness";
import { filterToParams, parseCandidateFilter, parseSort } from "~/schemas/candidate-filter";

const entry = (o: Partial<ManagedEntry> & { subject_code: string }): ManagedEntry => ({
  id: Math.floor(Math.random() * 1e6),
  paid: false,
  in_payment_batch: false,
  in_payment: false,
  group_paid: false,
  ...o,
});

describe("MGT-1: payment state and filter", () => {
  it("MGT-1: payment state is all / partly / none paid, or no entries", () => {
    expect(paymentState(0, 0)).toBe("no_entries");
    expect(paymentState(2, 0)).toBe("none_paid");
    expect(paymentState(2, 1)).toBe("partly_paid");
    expect(paymentState(2, 2)).toBe("all_paid");
  });

  it("MGT-1: the filter keeps known values, normalises a full-width ID number and drops nonsense", () => {
    const f = parseCandidateFilter(
      new URLSearchParams(
        "name=%20张三%20&idNumber=１１０１０１&payment=any_unpaid&review=maybe&entries=2&preferredDate=none&site=abc&subject=14",
      ),
    );
    expect(f).toEqual({
      name: "张三",
      idNumber: "110101",
      payment: "any_unpaid",
      entries: 2,
      preferredDate: "none",
      subject: "14",
    });
    expect(parseCandidateFilter(new URLSearchParams(filterToParams(f)))).toEqual(f);
    expect(parseSort(new URLSearchParams("sort=name&dir=desc"))).toEqual({ sort: "name", dir: "desc" });
    expect(parseSort(new URLSearchParams("sort=password&dir=sideways"))).toEqual({ sort: "created", dir: "asc" });
  });
});

describe("MGT-2: bulk rules", () => {
  it("MGT-2: a bulk action needs one candidate and takes at most 3,000", () => {
    expect(BULK_LIMIT).toBe(3000);
    expect(bulkSizeRefusal(0)).toBe("mgt.none_selected");
    expect(bulkSizeRefusal(3000)).toBeNull();
    expect(bulkSizeRefusal(3001)).toBe("mgt.too_many");
  });

  it("MGT-2: only non-key fields are taken, blank means unchanged, e-mail and postcode are checked", () => {
    expect(nonKeyChanges({ class_name: " 计算机1班 ", major: "", name: "改名", id_number: "X" })).toEqual({
      changes: { class_name: "计算机1班" },
      problem: null,
    });
    expect(nonKeyChanges({}).problem).toBe("mgt.nothing_to_update");
    expect(nonKeyChanges({ email: "Ａ@Example.com" })).toEqual({ changes: { email: "a@example.com" }, problem: null });
    expect(nonKeyChanges({ email: "nope" }).problem).toBe("import.bad_email");
    expect(nonKeyChanges({ postcode: "１０００８０" }).changes.postcode).toBe("100080");
    expect(nonKeyChanges({ postcode: "1000" }).problem).toBe("org.postcode_format");
    expect(nonKeyChanges({ address: "长".repeat(201) }).problem).toBe("mgt.too_long");
    expect(nonKeyChanges({ class_name: "班".repeat(51) }).problem).toBe("mgt.too_long");
    expect(nonKeyChanges({ student_no: "1".repeat(31) }).problem).toBe("mgt.too_long");
  });

  it("MGT-2: lock needs a photo and an unlocked registration; unlock needs a locked one and withdraws a pending review", () => {
    expect(lockRefusal({ locked: false, has_photo: true })).toBeNull();
    expect(lockRefusal({ locked: true, has_photo: true })).toBe("mgt.already_locked");
    expect(lockRefusal({ locked: false, has_photo: false })).toBe("mgt.lock_needs_photo");
    expect(unlockRefusal({ locked: false })).toBe("mgt.not_locked");
    expect(unlockRefusal({ locked: true })).toBeNull();
    expect(reviewAfterUnlock("pending")).toBe("none");
    expect(reviewAfterUnlock("passed")).toBe("passed");
    expect(reviewAfterUnlock("failed")).toBe("failed");
  });

  it("MGT-2: cancellation only for paid candidates, never group-paid ones", () => {
    expect(cancellationRefusal([entry({ subject_code: "14", paid: true }), entry({ subject_code: "15" })])).toBeNull();
    expect(cancellationRefusal([entry({ subject_code: "14" })])).toBe("mgt.cancel_not_paid");
    expect(cancellationRefusal([])).toBe("mgt.cancel_not_paid");
    expect(cancellationRefusal([entry({ subject_code: "14", paid: true, group_paid: true })])).toBe(
      "mgt.cancel_group_paid",
    );
    // The whole rule lives here (issue 14 item 5): an unpaid entry held by an open payment batch stops it too.
    expect(
      cancellationRefusal([
        entry({ subject_code: "14", paid: true }),
        entry({ subject_code: "15", in_payment_batch: true }),
      ]),
    ).toBe("mgt.in_open_payment_batch");
  });

  it("MGT-2: delete is for group registrations, by the entry filter, keeping paid entries and ones in a payment batch; the registration goes with its last entry", () => {
    const es = [
      entry({ id: 1, subject_code: "14" }),
      entry({ id: 2, subject_code: "15", paid: true }),
      entry({ id: 3, subject_code: "24", in_payment_batch: true }),
    ];
    expect(deletionPlan("online", es).refusal).toBe("mgt.delete_online");
    expect(deletionPlan("group", es, "14")).toEqual({
      refusal: null,
      entryIds: [1],
      subjectCodes: ["14"],
      kept: 0,
      deleteRegistration: false,
    });
    expect(deletionPlan("group", es)).toMatchObject({ entryIds: [1], kept: 2, deleteRegistration: false });
    expect(deletionPlan("group", es, "15")).toMatchObject({ refusal: "mgt.delete_nothing", entryIds: [] });
    expect(deletionPlan("group", [entry({ id: 9, subject_code: "14" })])).toMatchObject({
      entryIds: [9],
      deleteRegistration: true,
    });
    expect(deletionPlan("group", [])).toMatchObject({ refusal: null, deleteRegistration: true });
    // An entry in a payment still open at the gateway may yet be paid: it stays.
    expect(deletionPlan("group", [entry({ id: 5, subject_code: "14", in_payment: true })])).toMatchObject({
      refusal: "mgt.delete_nothing",
      entryIds: [],
      deleteRegistration: false,
    });
  });

  it("MGT-2: the account lookup matches stored forms and shows only masked contacts (X-4)", () => {
    expect(normaliseAccountLogin("email", " Zhang@Example.COM ")).toBe("zhang@example.com");
    expect(normaliseAccountLogin("mobile", "+86 139-1234-5678")).toBe("13912345678");
    expect(normaliseAccountLogin("mobile", "１３９１２３４５６７８")).toBe("13912345678");
    expect(maskEmail("zhangsan@example.com")).toBe("zh***@example.com");
    expect(maskMobile("13912345678")).toBe("139****5678");
    expect(maskEmail(null)).toBe("");
  });
});

describe("MGT-4: review rule", () => {
  it("MGT-4: pass only pending; fail pending or passed, with a reason", () => {
    expect(reviewRefusal("pending", { pass: true })).toBeNull();
    for (const s of ["none", "passed", "failed"] as const)
      expect(reviewRefusal(s, { pass: true })).toBe("review.pass_pending_only");
    const fail = { pass: false as const, failureType: "photo" as const, reason: "背景" };
    expect(reviewRefusal("pending", fail)).toBeNull();
    expect(reviewRefusal("passed", fail)).toBeNull();
    expect(reviewRefusal("failed", fail)).toBe("review.fail_pending_or_passed");
    expect(reviewRefusal("none", fail)).toBe("review.fail_pending_or_passed");
    expect(reviewRefusal("pending", { ...fail, reason: "  " })).toBe("review.reason_required");
  });
});

describe("X-6: registration readiness", () => {
  it("X-6: before the exam: no batches, then unallocated entries, then missing admission numbers, each linking to its page", () => {
    const base = { unpaidEntries: 0, unpaidCandidates: 0, pendingReview: 0, missingPhotos: 0 };
    expect(registrationReadiness({ ...base, paidEntries: 0, batches: 0 })).toEqual([]);
    expect(registrationReadiness({ ...base, paidEntries: 40, batches: 0, unallocated: 40 })).toEqual([
      { item: "no_batches", count: 40, candidates: 0 },
    ]);
    expect(registrationReadiness({ ...base, paidEntries: 40, batches: 12, unallocated: 3 })).toEqual([
      { item: "unallocated_entries", count: 3, candidates: 0 },
    ]);
    expect(registrationReadiness({ ...base, paidEntries: 40, batches: 12, unallocated: 0, unnumbered: 40 })).toEqual([
      { item: "numbers_missing", count: 40, candidates: 0 },
    ]);
    expect(registrationReadinessLink("unallocated_entries")).toBe("/admin/allocation");
    expect(registrationReadinessLink("numbers_missing", 7)).toBe("/admin/admission-numbers?site=7");
  });

  it("X-6 (issue 18 item 5): once every entry has its number, each exam document not generated or stale, linked to its page", () => {
    const base = { unpaidEntries: 0, unpaidCandidates: 0, pendingReview: 0, missingPhotos: 0 };
    const numbered = { ...base, paidEntries: 40, batches: 12, unallocated: 0, unnumbered: 0 };
    expect(registrationReadiness(numbered).map((g) => g.item)).toEqual([
      "cards_missing",
      "cbt_missing",
      "photo_package_missing",
      "sign_in_missing",
    ]);
    expect(
      registrationReadiness({
        ...numbered,
        documents: { cards: "current", cbt: "stale", photo_package: "current", sign_in: "current" },
      }),
    ).toEqual([{ item: "cbt_stale", count: 40, candidates: 0 }]);
    // Cards: either size current is enough; made but all out of date is stale.
    expect(documentState([null, { stale: false }])).toBe("current");
    expect(documentState([{ stale: true }, { stale: true }])).toBe("stale");
    expect(documentState([null, null])).toBe("missing");
    expect(registrationReadinessLink("sign_in_stale", 7)).toBe("/admin/room-sheets/sign-in?site=7");
    // Before the numbers, the numbers are what is asked for, not the documents.
    expect(registrationReadiness({ ...numbered, unnumbered: 3 }).map((g) => g.item)).toEqual(["numbers_missing"]);
  });

  it("X-6: lists only open items, with their counts and the search that lists them", () => {
    expect(
      registrationReadiness({ unpaidEntries: 0, unpaidCandidates: 0, pendingReview: 0, missingPhotos: 0 }),
    ).toEqual([]);
    expect(
      registrationReadiness({ unpaidEntries: 5, unpaidCandidates: 3, pendingReview: 2, missingPhotos: 0 }),
    ).toEqual([
      { item: "unpaid_entries", count: 5, candidates: 3 },
      { item: "pending_review", count: 2, candidates: 2 },
    ]);
    expect(registrationReadinessLink("unpaid_entries")).toBe("/admin/candidates?payment=any_unpaid");
    expect(registrationReadinessLink("pending_review", 7)).toBe("/admin/review?review=pending&site=7");
  });
});
