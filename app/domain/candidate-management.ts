import type { MessageKey } from "~/i18n";
import type { Channel, ReviewStatus } from "./registration";
import { cleanText, isEmail, toHalfWidth } from "./import-values";

/** MGT-2: at most this many candidates per bulk action (the manual's limit for non-key updates). */
export const BULK_LIMIT = 3000;

/** MGT-2: what "update non-key fields" may change; the rest identifies the candidate or was paid for. */
/** MGT-4 (manual §二十六): why a review failed: the photo, the personal details, or another reason. */
export const REVIEW_FAILURE_TYPES = ["photo", "personal", "other"] as const;
export type ReviewFailureType = (typeof REVIEW_FAILURE_TYPES)[number];

export const NON_KEY_FIELDS = [
  "department",
  "major",
  "class_name",
  "student_no",
  "postcode",
  "address",
  "email",
  "extra_info",
  "remark",
] as const;
export type NonKeyField = (typeof NON_KEY_FIELDS)[number];
/** The lengths the registration form and the imports allow (the student-record row schema). */
const NON_KEY_MAX: Record<NonKeyField, number> = {
  department: 50,
  major: 50,
  class_name: 50,
  student_no: 30,
  postcode: 6,
  address: 200,
  email: 254,
  extra_info: 200,
  remark: 200,
};

export type PaymentState = "no_entries" | "none_paid" | "partly_paid" | "all_paid";

/** The manual's 支付状态 column: 全部支付 / 部分支付 / 全未支付. */
export function paymentState(entryCount: number, paidCount: number): PaymentState {
  if (entryCount === 0) return "no_entries";
  if (paidCount === 0) return "none_paid";
  return paidCount >= entryCount ? "all_paid" : "partly_paid";
}

/** MGT-2: a bulk action needs at least one candidate and at most BULK_LIMIT. */
export function bulkSizeRefusal(count: number): MessageKey | null {
  if (count === 0) return "mgt.none_selected";
  if (count > BULK_LIMIT) return "mgt.too_many";
  return null;
}

/**
 * MGT-2: blank means "leave as it is"; only the non-key fields are ever taken, checked as the
 * registration form checks them.
 */
export function nonKeyChanges(input: Partial<Record<string, string | undefined>>): {
  changes: Partial<Record<NonKeyField, string>>;
  problem: MessageKey | null;
} {
  const changes: Partial<Record<NonKeyField, string>> = {};
  for (const k of NON_KEY_FIELDS) {
    const v = cleanText(input[k] ?? "");
    if (v) changes[k] = k === "postcode" ? toHalfWidth(v) : k === "email" ? toHalfWidth(v).toLowerCase() : v;
  }
  let problem: MessageKey | null = null;
  if (Object.keys(changes).length === 0) problem = "mgt.nothing_to_update";
  else if (changes.email !== undefined && !isEmail(changes.email)) problem = "import.bad_email";
  else if (changes.postcode !== undefined && !/^\d{6}$/.test(changes.postcode)) problem = "org.postcode_format";
  else if ((Object.keys(changes) as NonKeyField[]).some((k) => [...changes[k]!].length > NON_KEY_MAX[k]))
    problem = "mgt.too_long";
  return { changes, problem };
}

export type { ReviewStatus };
export type ReviewDecision = { pass: true } | { pass: false; failureType: ReviewFailureType; reason: string };

/** MGT-4: pass only a pending registration; fail a pending or passed one, with a reason. */
export function reviewRefusal(status: ReviewStatus, decision: ReviewDecision): MessageKey | null {
  if (decision.pass) return status === "pending" ? null : "review.pass_pending_only";
  if (status !== "pending" && status !== "passed") return "review.fail_pending_or_passed";
  if (!decision.reason.trim()) return "review.reason_required";
  return null;
}

/** MGT-2 lock: a locked registration stops the candidate changing personal data, site and photo (CAN-5). */
export function lockRefusal(reg: { locked: boolean; has_photo: boolean }): MessageKey | null {
  if (reg.locked) return "mgt.already_locked";
  // Locking without a photo would leave the candidate no way to supply one.
  if (!reg.has_photo) return "mgt.lock_needs_photo";
  return null;
}

export function unlockRefusal(reg: { locked: boolean }): MessageKey | null {
  return reg.locked ? null : "mgt.not_locked";
}

/**
 * MGT-2 unlock: a registration waiting for review goes back to "not submitted", so the candidate
 * changes what was wrong and submits again; a decision already made stays on record.
 */
export function reviewAfterUnlock(status: ReviewStatus): ReviewStatus {
  return status === "pending" ? "none" : status;
}

export interface ManagedEntry {
  id: number;
  subject_code: string;
  paid: boolean;
  /** Held by a group payment batch that is not deleted (GRP-6). */
  in_payment_batch: boolean;
  /** In an online payment still open at the gateway: it may yet be paid (CAN-7). */
  in_payment: boolean;
  /** Paid through a group payment batch. */
  group_paid: boolean;
}

/**
 * MGT-2 cancellation, the whole rule: only a candidate who has paid, never one a group payment paid
 * for (the site paid, the site settles it outside), and not while an unpaid entry is held by an open
 * group payment batch. Everything the candidate has goes. The service refuses by it and the page
 * offers the button by it.
 */
export function cancellationRefusal(
  entries: readonly Pick<ManagedEntry, "paid" | "in_payment_batch" | "group_paid">[],
): MessageKey | null {
  if (entries.some((e) => e.group_paid)) return "mgt.cancel_group_paid";
  if (!entries.some((e) => e.paid)) return "mgt.cancel_not_paid";
  if (entries.some((e) => e.in_payment_batch && !e.paid)) return "mgt.in_open_payment_batch";
  return null;
}

export interface DeletionPlan {
  refusal: MessageKey | null;
  entryIds: number[];
  subjectCodes: string[];
  /** Entries the filter named that stay: paid, held by a payment batch, or in an open payment. */
  kept: number;
  deleteRegistration: boolean;
}

/**
 * MGT-2 delete: group registrations only. The entries the subject filter names go first (all of them
 * without a filter), paid ones and ones in a payment batch stay; the registration goes when no entry is left.
 */
export function deletionPlan(channel: Channel, entries: readonly ManagedEntry[], subject?: string): DeletionPlan {
  if (channel !== "group")
    return { refusal: "mgt.delete_online", entryIds: [], subjectCodes: [], kept: 0, deleteRegistration: false };
  const named = subject ? entries.filter((e) => e.subject_code === subject) : entries;
  const goes = named.filter((e) => !e.paid && !e.in_payment_batch && !e.in_payment);
  const left = entries.length - goes.length;
  return {
    refusal: goes.length === 0 && (named.length > 0 || left > 0) ? "mgt.delete_nothing" : null,
    entryIds: goes.map((e) => e.id),
    subjectCodes: goes.map((e) => e.subject_code),
    kept: named.length - goes.length,
    deleteRegistration: left === 0,
  };
}
