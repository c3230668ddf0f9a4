import type { StudentRecordValue } from "./student-record";
/**
 * Online registration rules (CAN-2 … CAN-10) as pure functions: `now` is a parameter, no I/O.
 * Services ask these before they write; pages ask them to decide what to offer.
 */
import type { MessageKey } from "~/i18n";
import { windowStatus, type WindowStatus } from "./windows";

export type ReviewStatus = "none" | "pending" | "passed" | "failed";
export type Channel = "online" | "group";

export interface RegistrationState {
  channel: Channel;
  locked: boolean;
  review_status: ReviewStatus;
  review_failure_type: string | null;
  reviewed_at: Date | null;
  /** When the current photo was stored; null = no photo. */
  photo_at: Date | null;
}

export interface SiteRules {
  review_required: boolean;
  max_entries: number;
  self_print: boolean;
  /** The site's candidate online-registration window (SET-6); null when off. */
  online: { starts_at: Date; ends_at: Date } | null;
}

export interface EntryState {
  subject_code: string;
  paid: boolean;
  /** In a payment that is still pending (the payer may be at the gateway right now). */
  in_pending_payment: boolean;
  /**
   * GRP-6: held by a group payment batch that is not deleted: the site pays it, so the candidate can
   * neither change it nor pay it individually. Absent = false.
   */
  in_payment_batch?: boolean;
}

/** SET-6/WIN-4: candidates are governed by the site's online-registration window only. */
export function onlineWindowStatus(site: Pick<SiteRules, "online">, now: Date): WindowStatus {
  return site.online
    ? windowStatus({ starts_at: site.online.starts_at, ends_at: site.online.ends_at }, now)
    : "not_set";
}

/** CAN-5 + SET-6 + GRP-4: may the candidate change personal data, site or photo now? */
export function personalDataRefusal(
  site: Pick<SiteRules, "online">,
  reg: Pick<RegistrationState, "channel" | "locked"> | null,
  now: Date,
): MessageKey | null {
  if (onlineWindowStatus(site, now) !== "open") return "reg.window_closed";
  if (!reg) return null;
  if (reg.channel === "group") return "reg.group_view_only";
  if (reg.locked) return "reg.locked";
  return null;
}

/**
 * CAN-2/CAN-5/CAN-7: may the candidate set these entries now? Paid entries and entries in a pending
 * payment cannot change; the count stays within the site's maximum.
 */
export function entryChangeRefusal(
  site: Pick<SiteRules, "online" | "max_entries">,
  reg: Pick<RegistrationState, "channel">,
  current: readonly EntryState[],
  wanted: readonly string[],
  offered: ReadonlySet<string>,
  now: Date,
): { key: MessageKey; params?: Record<string, string | number> } | null {
  if (onlineWindowStatus(site, now) !== "open") return { key: "reg.window_closed" };
  if (reg.channel === "group") return { key: "reg.group_view_only" };
  const want = new Set(wanted);
  if (want.size !== wanted.length) return { key: "entries.duplicate" };
  for (const code of want) {
    if (!offered.has(code) && !current.some((e) => e.subject_code === code))
      return { key: "entries.not_offered", params: { code } };
  }
  for (const e of current) {
    if (want.has(e.subject_code)) continue;
    if (e.paid) return { key: "entries.paid_fixed", params: { code: e.subject_code } };
    if (e.in_pending_payment) return { key: "entries.payment_pending", params: { code: e.subject_code } };
    if (e.in_payment_batch) return { key: "entries.in_payment_batch", params: { code: e.subject_code } };
  }
  if (want.size > site.max_entries) return { key: "entries.too_many", params: { max: site.max_entries } };
  return null;
}

/** CAN-5/CAN-6: may the registration be submitted for review now? */
export function submitRefusal(
  site: SiteRules,
  reg: RegistrationState,
  entryCount: number,
  now: Date,
): MessageKey | null {
  if (onlineWindowStatus(site, now) !== "open") return "reg.window_closed";
  return submissionGap(site, reg, entryCount);
}

/**
 * CAN-5/CAN-6 apart from the candidate's window: what a submission needs, whoever makes it (the site
 * submits for a candidate inside its own registration window, manual §二十五 5).
 */
export function submissionGap(
  site: Pick<SiteRules, "review_required">,
  reg: RegistrationState,
  entryCount: number,
): MessageKey | null {
  if (!site.review_required) return "review.not_required";
  if (reg.review_status === "pending") return "review.already_pending";
  if (reg.review_status === "passed") return "review.already_passed";
  if (!reg.photo_at) return "reg.photo_missing";
  if (entryCount === 0) return "entries.none";
  // CAN-6: after a photo failure, a new photo must come first.
  if (photoRejected(reg)) return "review.new_photo_needed";
  return null;
}

/** CAN-6: review refused the photo, and no new one has been stored since. */
export function photoRejected(
  reg: Pick<RegistrationState, "photo_at" | "review_status" | "review_failure_type" | "reviewed_at">,
): boolean {
  return (
    reg.photo_at !== null &&
    reg.review_status === "failed" &&
    reg.review_failure_type === "photo" &&
    (!reg.reviewed_at || reg.photo_at <= reg.reviewed_at)
  );
}

/** Why a registration cannot be paid for yet, whoever pays (CAN-6, GRP-5): a photo, and review passed where required. */
export type PaymentConditionGap = "photo_missing" | "review_pending" | "review_needed";

export function paymentConditionGap(
  site: Pick<SiteRules, "review_required">,
  reg: Pick<RegistrationState, "photo_at" | "review_status">,
): PaymentConditionGap | null {
  if (!reg.photo_at) return "photo_missing";
  if (site.review_required && reg.review_status !== "passed")
    return reg.review_status === "pending" ? "review_pending" : "review_needed";
  return null;
}

const GAP_KEY: Record<PaymentConditionGap, MessageKey> = {
  photo_missing: "reg.photo_missing",
  review_pending: "pay.review_pending",
  review_needed: "pay.review_first",
};

/**
 * CAN-6/CAN-7: may the candidate start a payment now? `unpaid` = entries neither paid nor in a
 * pending payment; those a group payment batch holds are the site's to pay (GRP-6), not the candidate's.
 */
export function paymentRefusal(
  site: SiteRules,
  reg: RegistrationState,
  unpaid: readonly EntryState[],
  now: Date,
): MessageKey | null {
  const payable = unpaid.filter((e) => !e.in_payment_batch);
  if (unpaid.length > 0 && payable.length === 0) return "pay.in_payment_batch";
  if (onlineWindowStatus(site, now) !== "open") return "reg.window_closed";
  const gap = paymentConditionGap(site, reg);
  if (gap) return GAP_KEY[gap];
  if (payable.length === 0) return "pay.nothing_due";
  return null;
}

/** GRP-6: why an entry cannot go into a group payment batch; null = it can. */
export type GroupPayableGap = "paid" | "in_payment_batch" | "paying" | PaymentConditionGap;

/**
 * GRP-5/GRP-6: an entry the site may lock into a group payment batch: unpaid, in no payment batch, not in a
 * payment the candidate has pending (a registration with one is left out whole, so its per-person
 * fee is never asked twice), and the registration meets the payment conditions (photo; review
 * passed where required). The candidate's online window does not matter: the site pays.
 */
export function groupPayableGap(
  site: Pick<SiteRules, "review_required">,
  reg: Pick<RegistrationState, "photo_at" | "review_status"> & { pending_payment: boolean },
  entry: EntryState,
): GroupPayableGap | null {
  if (entry.paid) return "paid";
  if (entry.in_payment_batch) return "in_payment_batch";
  if (entry.in_pending_payment || reg.pending_payment) return "paying";
  return paymentConditionGap(site, reg);
}

/**
 * CAN-7 + GRP-6: has the per-person fee been paid or is it in a group payment batch? A payment batch takes
 * it for every candidate whose fee was unpaid when it was locked, and the flag only ever goes from
 * unpaid to paid, so "unpaid with entries in a payment batch" means the payment batch includes it.
 */
export function personFeeCovered(personFeePaid: boolean, entries: readonly EntryState[]): boolean {
  return personFeePaid || entries.some((e) => e.in_payment_batch);
}

/** CAN-7: the per-person fee once (on the first payment) plus each entry's subject fee. */
export function amountDue(
  perPersonFen: number,
  personFeePaid: boolean,
  entryFeesFen: readonly number[],
): { perPersonFen: number; totalFen: number } {
  const perPerson = personFeePaid ? 0 : perPersonFen;
  return { perPersonFen: perPerson, totalFen: perPerson + entryFeesFen.reduce((a, b) => a + b, 0) };
}

/** CAN-8: when an unpaid hold ends; null while awaiting review (the candidate cannot pay yet). */
export function holdUntil(now: Date, holdMinutes: number, reviewPending: boolean): Date | null {
  return reviewPending ? null : new Date(now.getTime() + holdMinutes * 60_000);
}

// CAN-10: the status page, as a list of lines and the one next step.
export type StatusTone = "ok" | "todo" | "wait" | "info" | "stop";
export interface StatusLine {
  topic: "window" | "site" | "lock" | "photo" | "entries" | "review" | "payment" | "allocation" | "card";
  tone: StatusTone;
  key: MessageKey;
  params?: Record<string, string | number>;
}
export type NextStep =
  | "choose_site"
  | "fill_details"
  | "upload_photo"
  | "choose_entries"
  | "submit_review"
  | "wait_review"
  | "new_photo"
  | "fix_details"
  | "pay"
  | "confirm_payment"
  | "wait_group_payment"
  | "wait_allocation"
  | "print_card"
  | "wait_card"
  | "closed"
  | "none_open";

export interface StatusInput {
  now: Date;
  /** Is any site open for online registration (only asked when there is no registration)? */
  anySiteOpen: boolean;
  site: SiteRules | null;
  registration: RegistrationState | null;
  entries: readonly EntryState[];
  /** The admission-card print start (WIN-2), if set. */
  cardPrintFrom: Date | null;
  /** Entries allocated to a batch (allocation comes later; 0 until then). */
  allocated: number;
}

/**
 * CAN-9/WIN-2: a candidate may download their card once the print start has come, if the site lets
 * candidates print their own, and only for entries that have an admission number.
 */
export function cardDownloadable(
  site: { self_print: boolean } | null,
  cardPrintFrom: Date | null,
  numbered: number,
  now: Date,
): boolean {
  return Boolean(site?.self_print && cardPrintFrom && cardPrintFrom <= now && numbered > 0);
}

export function candidateStatus(s: StatusInput): { lines: StatusLine[]; next: NextStep } {
  const lines: StatusLine[] = [];
  if (!s.registration || !s.site) {
    lines.push({
      topic: "site",
      tone: s.anySiteOpen ? "todo" : "info",
      key: s.anySiteOpen ? "status.no_registration" : "status.no_site_open",
    });
    return { lines, next: s.anySiteOpen ? "choose_site" : "none_open" };
  }
  const { site, registration: reg, entries, now } = s;
  const win = onlineWindowStatus(site, now);
  const open = win === "open";
  lines.push(
    open
      ? {
          topic: "window",
          tone: "ok",
          key: "status.window_open",
          params: site.online ? { to: site.online.ends_at.toISOString() } : {},
        }
      : {
          topic: "window",
          tone: "stop",
          // A site that never set its online window has no dates to quote.
          key: !site.online
            ? "status.window_not_set"
            : win === "upcoming"
              ? "status.window_upcoming"
              : "status.window_closed",
          params: site.online
            ? { from: site.online.starts_at.toISOString(), to: site.online.ends_at.toISOString() }
            : {},
        },
  );
  if (reg.channel === "group") lines.push({ topic: "lock", tone: "info", key: "status.group" });
  else
    lines.push(
      reg.locked
        ? { topic: "lock", tone: "info", key: "status.locked" }
        : { topic: "lock", tone: "ok", key: "status.unlocked" },
    );
  lines.push(
    // Issue 15 item 7: a photo review refused is not "uploaded ✓".
    photoRejected(reg)
      ? { topic: "photo", tone: "stop", key: "status.photo_rejected" }
      : reg.photo_at
        ? { topic: "photo", tone: "ok", key: "status.photo_ok" }
        : { topic: "photo", tone: "todo", key: "status.photo_missing" },
  );

  const paid = entries.filter((e) => e.paid).length;
  const unpaid = entries.length - paid;
  lines.push(
    entries.length === 0
      ? { topic: "entries", tone: "todo", key: "status.no_entries", params: { max: site.max_entries } }
      : {
          topic: "entries",
          tone: "ok",
          key: "status.entries",
          params: { count: entries.length, max: site.max_entries },
        },
  );

  if (site.review_required) {
    const tone: StatusTone =
      reg.review_status === "passed"
        ? "ok"
        : reg.review_status === "failed"
          ? "stop"
          : reg.review_status === "pending"
            ? "wait"
            : "todo";
    lines.push({ topic: "review", tone, key: `status.review_${reg.review_status}` as MessageKey });
  }
  const pending = entries.some((e) => e.in_pending_payment && !e.paid);
  const inPaymentBatch = entries.filter((e) => e.in_payment_batch && !e.paid).length;
  lines.push(
    entries.length === 0
      ? { topic: "payment", tone: "info", key: "status.payment_none" }
      : unpaid === 0
        ? { topic: "payment", tone: "ok", key: "status.paid_all", params: { count: paid } }
        : pending
          ? { topic: "payment", tone: "wait", key: "status.payment_pending" }
          : inPaymentBatch === unpaid
            ? { topic: "payment", tone: "wait", key: "status.payment_batch", params: { count: inPaymentBatch } }
            : { topic: "payment", tone: "todo", key: "status.unpaid", params: { paid, unpaid } },
  );
  if (paid > 0) {
    lines.push(
      s.allocated >= paid
        ? { topic: "allocation", tone: "ok", key: "status.allocated" }
        : { topic: "allocation", tone: "wait", key: "status.not_allocated" },
    );
    // Issue 15 item 7: a card is not promised before there is a seat to print on it.
    lines.push(
      s.cardPrintFrom && site.self_print && s.cardPrintFrom <= now && s.allocated < paid
        ? { topic: "card", tone: "wait", key: "status.card_after_allocation" }
        : s.cardPrintFrom && site.self_print
          ? {
              topic: "card",
              tone: s.cardPrintFrom <= now ? "ok" : "wait",
              key: s.cardPrintFrom <= now ? "status.card_ready" : "status.card_from",
              params: { from: s.cardPrintFrom.toISOString() },
            }
          : { topic: "card", tone: "info", key: site.self_print ? "status.card_unset" : "status.card_from_site" },
    );
  }

  return { lines, next: nextStep(s, open, paid, unpaid, pending, inPaymentBatch) };
}

function nextStep(
  s: StatusInput,
  open: boolean,
  paid: number,
  unpaid: number,
  pending: boolean,
  inPaymentBatch: number,
): NextStep {
  const site = s.site!;
  const reg = s.registration!;
  if (pending) return "confirm_payment";
  if (open && reg.channel === "online") {
    if (reg.review_status === "failed")
      return reg.review_failure_type === "photo" &&
        submitRefusal(site, reg, s.entries.length, s.now) === "review.new_photo_needed"
        ? "new_photo"
        : reg.locked
          ? "submit_review"
          : "fix_details";
    if (!reg.photo_at) return "upload_photo";
    if (s.entries.length === 0) return "choose_entries";
    if (site.review_required && reg.review_status === "none") return "submit_review";
  }
  if (site.review_required && reg.review_status === "pending") return "wait_review";
  // GRP-6: what a payment batch holds, the site pays.
  if (unpaid > 0 && inPaymentBatch === unpaid) return "wait_group_payment";
  if (open && unpaid - inPaymentBatch > 0 && (!site.review_required || reg.review_status === "passed") && reg.photo_at)
    return "pay";
  if (paid > 0 && unpaid === 0) {
    if (s.allocated < paid) return "wait_allocation";
    return site.self_print && s.cardPrintFrom && s.cardPrintFrom <= s.now ? "print_card" : "wait_card";
  }
  return open ? (s.entries.length === 0 ? "choose_entries" : "pay") : "closed";
}

/** The personal-data fields of the registration form (CAN-2), named as in the student record. */
export const PERSONAL_FIELDS = [
  "name",
  "gender",
  "birth_date",
  "id_type",
  "id_number",
  "ethnicity",
  "education",
  "occupation",
  "department",
  "major",
  "class_name",
  "student_no",
  "phone",
  "address",
  "postcode",
  "email",
] as const satisfies ReadonlyArray<keyof StudentRecordValue>;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];
