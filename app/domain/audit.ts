/**
 * the before/after of the fields that changed. Unchanged fields are left out; a created entity
 * has `before` undefined, a deleted one `after` undefined. Secrets never reach the log.
 */
const SECRET_FIELDS = new Set(["password_hash", "password"]);

export function diffFields(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    if (SECRET_FIELDS.has(k)) continue;
    const b = normalise(before?.[k]);
    const a = normalise(after?.[k]);
    if (JSON.stringify(b) !== JSON.stringify(a)) out[k] = [b, a];
  }
  return out;
}

function normalise(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  return v === undefined ? null : v;
}

/**
 * what an audit entry may hold of personal data. The log is read by every administrator
 * of the scope and exported, so ID numbers keep their last four characters and contact data
 * (phone, e-mail, address, postcode) only says that it changed. Applied by the audit writer to
 * every entry, whatever the caller passed; free text is scanned too (a filter, a message).
 */
const CONTACT_FIELDS = new Set(["phone", "mobile", "email", "address", "postcode", "login"]);
const ID_FIELD = /^(id_?numbers?|bound_id_number)$/i;
/** An organisation's own phone and address are its public business data, not a person's. */
const ORGANISATION_ENTITIES = new Set(["org"]);

export const HIDDEN = "***";

// Digits not preceded/followed by more digits: an 18-character resident ID (or permit), a 15-digit
// first-generation ID, a mainland mobile number, an e-mail address.
const WHOLE_ID = /(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const OLD_ID = /(?<![0-9A-Za-z])\d{11}(\d{4})(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g;
const EMAIL = /[^\s@"',;:<>()[\]{}]+@[^\s@"',;:<>()[\]{}]+\.[A-Za-z]{2,}/g;

/** the last four characters of an ID number, the rest as stars (the length kept). */
function maskId(id: string): string {
  const chars = [...id];
  const keep = Math.min(4, chars.length);
  return "*".repeat(chars.length - keep) + chars.slice(chars.length - keep).join("");
}

/** Whole ID numbers, mobile numbers and e-mail addresses inside free text. */
export function scrubText(s: string, opts: { contact: boolean } = { contact: true }): string {
  let out = s
    .replace(WHOLE_ID, (_m, _a: string, _b: string, last: string) => "*".repeat(14) + last.toUpperCase())
    .replace(OLD_ID, (_m, last: string) => "*".repeat(11) + last);
  if (opts.contact) out = out.replace(MOBILE, HIDDEN).replace(EMAIL, HIDDEN);
  return out;
}

function scrubValue(key: string | null, v: unknown, contact: boolean): unknown {
  if (v === null || v === undefined) return v ?? null;
  if (key !== null && contact && CONTACT_FIELDS.has(key.toLowerCase())) return v === "" ? "" : HIDDEN;
  if (key !== null && ID_FIELD.test(key)) {
    // Passports and permits carry no fixed pattern: a field named as ID numbers is masked whatever it holds.
    if (typeof v === "string") return maskId(v);
    if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? maskId(x) : scrubValue(null, x, contact)));
  }
  if (typeof v === "string") return scrubText(v, { contact });
  if (Array.isArray(v)) return v.map((x) => scrubValue(null, x, contact));
  if (typeof v === "object")
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, scrubValue(k, x, contact)]),
    );
  return v;
}

/** the changes of one entry as the log may keep them. */
export function maskAuditChanges(
  entityType: string,
  changes: Record<string, [unknown, unknown]>,
): Record<string, [unknown, unknown]> {
  const contact = !ORGANISATION_ENTITIES.has(entityType);
  const out: Record<string, [unknown, unknown]> = {};
  for (const [k, [b, a]] of Object.entries(changes)) out[k] = [scrubValue(k, b, contact), scrubValue(k, a, contact)];
  return out;
}

/** an entity is named by its row id; anything that still looks like an ID number or contact is masked. */
export function maskEntityId(entityType: string, entityId: string): string {
  // A UUID (an account's id) is never personal data, though its last group can hold a run of digits
  // that reads like a mobile number: scrubbing it would lose the entry's link to its account.
  if (UUID.test(entityId)) return entityId;
  return scrubText(entityId, { contact: !ORGANISATION_ENTITIES.has(entityType) });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** every kind of change the audit log records; a label per action in each language (audit.action.*). */
export const AUDIT_ACTIONS = [
  "account.claimed",
  "account.login",
  "account.login_failed",
  "account.login_otp_expired",
  "account.login_throttled",
  "account.password_changed",
  "account.password_check_failed",
  "account.password_check_throttled",
  "account.password_recovered",
  "account.password_reissued",
  "account.set_locale",
  "account.sign_up",
  "account.taken_over_by_site",
  "admission.generate",
  "allocation.auto",
  "allocation.clear",
  "allocation.manual",
  "cancellation.export",
  "candidate.export",
  "entry.delete",
  "entry.expired",
  "group.credentials_download",
  "group.import",
  "group_payment.delete",
  "group_payment.lock",
  "group_payment.paid",
  "group_payment.pay",
  "group_payment.refresh",
  "notice.save",
  "org.create",
  "org.delete",
  "org.set_state",
  "org.update_info",
  "payment.abandon",
  "payment.paid",
  "payment.refund_due",
  "payment.start",
  "photos.check",
  "photos.delete_unmatched",
  "photos.import",
  "records.add",
  "records.delete",
  "records.delete_all",
  "records.import",
  "records.take_over",
  "records.taken_over",
  "records.update",
  "registration.cancel",
  "rooms.add",
  "rooms.update",
  "rooms.delete",
  "rooms.import",
  "rooms.timetable",
  "rooms.batch_add",
  "rooms.batch_edit",
  "rooms.batch_delete",
  "cbt.mock_report_upload",
  "cbt.exception_upload",
  "cbt.exception_delete",
  "cbt.exception_status",
  "registration.create",
  "registration.delete",
  "registration.entries",
  "registration.expired",
  "registration.group_update",
  "registration.lock",
  "registration.photo",
  "registration.review_fail",
  "registration.review_pass",
  "registration.submit",
  "registration.unlock",
  "registration.update",
  "registration.update_non_key",
  "setup.capacity",
  "setup.class_options",
  "setup.eligibility",
  "setup.fees",
  "setup.online_registration",
  "setup.preferred_enabled",
  "setup.preferred_quotas",
  "setup.settings",
  "setup.subject_add",
  "setup.subject_remove",
  "sitting.create",
  "user.add",
  "user.invite",
  "user.invite_accept",
  "user.invite_decline",
  "user.invite_withdraw",
  "user.remove",
  "user.update",
  "window.set",
  "window.extend",
  "window.extension_request",
  "window.extension_approve",
  "window.extension_decline",
  "violation.add",
  "violation.update",
  "violation.delete",
  "violation.import",
  "violation.roll_call",
  "violation.roll_call_undo",
  "score.import",
  "score.mailing_import",
  "score.columns",
  "registration.score_identity",
  "settlement_account.add",
  "settlement_account.update",
  "settlement_account.delete",
  "settlement_account.copy",
  "refund.request",
  "refund.refunded",
  "refund.failed",
  "payment.reconcile",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** the kinds of thing an entry is about, each with a label (audit.entity.*); the page names the thing itself. */
export const AUDIT_ENTITY_TYPES = [
  "account",
  "cbt_upload",
  "credential_sheet",
  "exam_batch",
  "invitation",
  "job",
  "membership",
  "notice",
  "org",
  "payment",
  "payment_batch",
  "photo",
  "province_setting",
  "refund",
  "registration",
  "room",
  "site_setting",
  "sitting",
  "student_record",
  "score",
  "settlement_account",
  "subject",
  "violation",
  "window",
  "window_extension_request",
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];
