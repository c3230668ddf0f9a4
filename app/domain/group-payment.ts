/**
 * GRP-6 group payment (manual §二十五 6) as pure rules: which filter the site locks a payment batch with,
 * what a payment batch adds up to, and which actions a payment batch still allows. Which entries are payable at all
 * is `groupPayableGap` in `registration.ts`, next to the candidate's own payment rule.
 */
import type { MessageKey } from "~/i18n";
import type { Channel } from "./registration";

export type PaymentBatchStatus = "open" | "paid" | "deleted";
export type PaymentBatchAction = "pay" | "refresh" | "delete";

/** The simple criteria the page offers; every field optional (empty = all). */
export interface PaymentBatchFilter {
  channel?: Channel;
  subject?: string;
  className?: string;
}

const SUBJECT_CODE = /^[0-9A-Za-z]{1,4}$/;
export const DELETE_REASON_MAX = 200;

/** Reads a filter from a query string or a form (unknown values are ignored: they mean "all"). */
export function parsePaymentBatchFilter(get: (name: string) => string | null | undefined): PaymentBatchFilter {
  const f: PaymentBatchFilter = {};
  const channel = get("channel")?.trim();
  if (channel === "online" || channel === "group") f.channel = channel;
  const subject = get("subject")?.trim();
  if (subject && SUBJECT_CODE.test(subject)) f.subject = subject;
  const className = get("className")?.trim();
  if (className) f.className = className.slice(0, 100);
  return f;
}

export interface PayableEntry {
  registration_id: number;
  subject_code: string;
  /** The candidate's per-person fee was paid before (CAN-7: it is charged once). */
  person_fee_paid: boolean;
}

export interface PaymentBatchSummary {
  candidate_count: number;
  entry_count: number;
  /** Candidates whose per-person fee this payment batch includes. */
  per_person_count: number;
  per_person_fen: number;
  subject_fen: number;
  amount_fen: number;
  /** The subjects it pays for (代付科目代码), sorted, each once. */
  subject_codes: string[];
  /** Subjects without a fee: a payment batch cannot be priced until the province sets them (SET-3). */
  missing_fees: string[];
}

/**
 * CAN-7 + GRP-6: what a payment batch of payable entries costs: each subject fee, plus the per-person fee
 * once for every candidate who has not paid it yet.
 */
export function summarisePaymentBatch(
  entries: readonly PayableEntry[],
  perPersonFen: number,
  fees: ReadonlyMap<string, number>,
): PaymentBatchSummary {
  const people = new Map<number, boolean>();
  const codes = new Set<string>();
  const missing = new Set<string>();
  let subjectFen = 0;
  for (const e of entries) {
    people.set(e.registration_id, (people.get(e.registration_id) ?? false) || e.person_fee_paid);
    codes.add(e.subject_code);
    const fee = fees.get(e.subject_code);
    if (fee === undefined) missing.add(e.subject_code);
    else subjectFen += fee;
  }
  const perPersonCount = [...people.values()].filter((paid) => !paid).length;
  const perPerson = perPersonCount * perPersonFen;
  return {
    candidate_count: people.size,
    entry_count: entries.length,
    per_person_count: perPersonCount,
    per_person_fen: perPerson,
    subject_fen: subjectFen,
    amount_fen: perPerson + subjectFen,
    subject_codes: [...codes].sort(),
    missing_fees: [...missing].sort(),
  };
}

/**
 * GRP-6 (manual tips 1, 5): a paid payment batch is done; a deleted payment batch can never be paid or refreshed;
 * only an open payment batch can be paid or deleted.
 */
export function paymentBatchActionRefusal(status: PaymentBatchStatus, action: PaymentBatchAction): MessageKey | null {
  if (status === "deleted") return action === "delete" ? "grouppay.already_deleted" : "grouppay.deleted_final";
  if (status === "paid" && action !== "refresh") return "grouppay.already_paid";
  return null;
}

/** GRP-6: deleting a payment batch needs a reason (manual tip 5). */
export function deleteReasonRefusal(reason: string): { key: MessageKey; params?: Record<string, number> } | null {
  const r = reason.trim();
  if (!r) return { key: "grouppay.reason_required" };
  if (r.length > DELETE_REASON_MAX) return { key: "grouppay.reason_too_long", params: { max: DELETE_REASON_MAX } };
  return null;
}
