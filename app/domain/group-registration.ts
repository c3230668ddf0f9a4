/**
 * Group registration (manual §二十二; GRP-1 … GRP-4, SET-9, CAN-3, CAN-4) as pure rules: the data
 * sheet's columns, one row into a typed value or its cell errors, and the all-or-nothing plan of an
 * import against what the database already holds. No I/O: the service loads, asks, then writes.
 */
import type { ReviewStatus } from "./registration";
import type { MessageKey } from "~/i18n";
import { checkClass } from "./class-options";
import { isRegistryCandidate, mayRegister, type SiteEligibility, type StudentRecordRef } from "./eligibility";
import { maskIdNumber } from "./id-number";
import { cleanText, isEmail, toHalfWidth } from "./import-values";
import type { Channel } from "./registration";
import {
  parseStudentRecordRow,
  STUDENT_RECORD_COLUMNS,
  STUDENT_RECORD_REQUIRED,
  type CellError,
  type RowError,
  type StudentRecordValue,
} from "./student-record";

/** GRP-1: only this sheet of the workbook is read; instructions, samples and code tables are not. */
export const GROUP_SHEET = "集体报名信息";

/**
 * The student record's personal columns (a registration keeps no training type), then the subjects.
 * The e-mail becomes the candidate's account (GRP-4), so it is required here.
 */
export const GROUP_COLUMNS: readonly string[] = [
  ...STUDENT_RECORD_COLUMNS.filter((c) => c !== "培训类型" && c !== "备注"),
  "报考科目",
  "备注",
];
export const GROUP_REQUIRED: readonly string[] = [...STUDENT_RECORD_REQUIRED, "电子邮箱"];
export const SUBJECTS_COLUMN = "报考科目";

export interface GroupRowValue extends StudentRecordValue {
  /** Subject codes, in the order written, without repeats. */
  subjects: string[];
}

/** What a row is judged against: the site's offered subjects (capacity > 0 and a fee), SET-1 and SET-8. */
export interface GroupSiteRules {
  /** Offered subject code → name. */
  offered: ReadonlyMap<string, string>;
  maxEntries: number;
  classOptions: readonly string[];
  classRequired: boolean;
}

/** "14；15", "14,15", "14、15", "14 15": full-width separators and digits are accepted. */
export function splitSubjectCodes(v: unknown): string[] {
  return toHalfWidth(cleanText(v))
    .split(/[;,，、\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function normaliseEmail(v: unknown): string {
  return toHalfWidth(cleanText(v)).trim().toLowerCase();
}

/**
 * GRP-1/GRP-4 and CAN-3: one row of the group template. Personal columns go through the student
 * record's schema (ID by type and check digit, full-width normalised, birth date and gender against
 * the ID); the e-mail is required; subjects must be offered by the site, each once, at most the
 * site's maximum; the class follows the site's options (SET-8) as it does online.
 */
export function parseGroupRow(
  cells: Record<string, unknown>,
  site: GroupSiteRules,
): { value: GroupRowValue; errors?: undefined } | { errors: CellError[]; value?: undefined } {
  const personal = parseStudentRecordRow(cells);
  const errors: CellError[] = personal.errors ? [...personal.errors] : [];
  const rawEmail = cleanText(cells["电子邮箱"]);
  if (!rawEmail) errors.push({ column: "电子邮箱", value: "", key: "import.required" });
  else if (!isEmail(rawEmail) && !errors.some((e) => e.column === "电子邮箱"))
    errors.push({ column: "电子邮箱", value: rawEmail, key: "import.bad_email" });

  const subjectsText = cleanText(cells[SUBJECTS_COLUMN]);
  const codes = splitSubjectCodes(cells[SUBJECTS_COLUMN]);
  const subjects: string[] = [];
  for (const code of codes) {
    if (subjects.includes(code)) {
      errors.push({ column: SUBJECTS_COLUMN, value: subjectsText, key: "group.subject_twice", params: { code } });
    } else if (!site.offered.has(code)) {
      errors.push({ column: SUBJECTS_COLUMN, value: subjectsText, key: "group.subject_not_offered", params: { code } });
      subjects.push(code);
    } else subjects.push(code);
  }
  if (subjects.length > site.maxEntries)
    errors.push({
      column: SUBJECTS_COLUMN,
      value: subjectsText,
      key: "group.too_many_subjects",
      params: { max: site.maxEntries, count: subjects.length },
    });

  const classProblem = checkClass(cleanText(cells["班级"]), site.classOptions, site.classRequired);
  if (classProblem) errors.push({ column: "班级", value: cleanText(cells["班级"]), key: classProblem });

  if (errors.length || !personal.value) return { errors };
  return { value: { ...personal.value, email: normaliseEmail(rawEmail), subjects } };
}

/** An entry of a registration already in the sitting. */
export interface ExistingEntry {
  id: number;
  subject_code: string;
  paid: boolean;
  /** Held by a group payment batch (GRP-6: `payment_batch_id` is cleared when its payment batch is deleted). */
  in_payment_batch: boolean;
  /** In a candidate's payment still open at the gateway. */
  in_pending_payment: boolean;
}

/** The registration an ID number already has in this sitting, anywhere. */
export interface ExistingRegistration {
  id: number;
  org_id: number;
  /** "(990102) name", for the message when it is another site's. */
  org_label: string;
  channel: Channel;
  locked: boolean;
  account_id: string | null;
  entries: readonly ExistingEntry[];
}

/** The account an e-mail already belongs to. */
export interface ExistingAccount {
  id: string;
  role: "admin" | "candidate";
  /** GRP-4 (decision 0019): its owner proved the address with a code, or a site issued it. */
  proven: boolean;
  /** The ID number of the registration this account is bound to in this sitting, if any. */
  bound_id_number: string | null;
}

/**
 * GRP-4: "new" creates an account with a one-time password; "bind" uses a proven account, which keeps
 * its own password; "takeover" takes an unproven account for the site (its password replaced by a
 * one-time password on the sheet, its sessions ended, its other registrations detached).
 */
export type AccountPlan =
  | { kind: "new"; email: string }
  | { kind: "bind"; email: string; accountId: string }
  | { kind: "takeover"; email: string; accountId: string };

export interface PlannedRegistration {
  row: number;
  value: GroupRowValue;
  existing: ExistingRegistration | null;
  registryCandidate: boolean;
  /** Subject codes to add, and the unpaid entries to remove. */
  add: string[];
  remove: ExistingEntry[];
  account: AccountPlan;
}

export interface GroupImportPlan {
  errors: RowError[];
  registrations: PlannedRegistration[];
  created: number;
  updated: number;
  entriesAdded: number;
  entriesRemoved: number;
  accountsCreated: number;
  accountsBound: number;
  accountsTakenOver: number;
}

export interface GroupPlanInput {
  siteId: number;
  overwrite: boolean;
  rows: ReadonlyArray<{ row: number; value: GroupRowValue }>;
  /** By ID number: registrations of this sitting. */
  registrations: ReadonlyMap<string, ExistingRegistration>;
  /** By lower-case e-mail. */
  accounts: ReadonlyMap<string, ExistingAccount>;
  /** SET-9: the site's rules and, by ID number, the student records that exist. */
  eligibility: SiteEligibility;
  records: ReadonlyMap<string, StudentRecordRef>;
}

/**
 * GRP-2/GRP-3/GRP-4/SET-9: what an import would do, or every reason it cannot. Unique key is the ID
 * number; an existing one needs "overwrite" and must be this site's own unlocked group registration
 * (online registrations are never touched); paid entries, entries in an open payment batch or in a
 * payment under way cannot be dropped; an e-mail binds to an existing proven candidate account unless
 * it is an administrator's or already bound to someone else in this sitting; an unproven one is taken
 * over for the site (GRP-4: nothing the site creates goes to an account nobody proved).
 */
export function planGroupImport(input: GroupPlanInput): GroupImportPlan {
  const errors: RowError[] = [];
  const registrations: PlannedRegistration[] = [];
  const firstById = new Map<string, number>();
  const firstByEmail = new Map<string, number>();
  const plan: GroupImportPlan = {
    errors,
    registrations,
    created: 0,
    updated: 0,
    entriesAdded: 0,
    entriesRemoved: 0,
    accountsCreated: 0,
    accountsBound: 0,
    accountsTakenOver: 0,
  };

  for (const { row, value } of input.rows) {
    const err = (column: string, cellValue: string, key: MessageKey, params?: Record<string, string | number>) =>
      errors.push({ row, column, value: cellValue, key, ...(params ? { params } : {}) });
    const before = errors.length;
    const id = value.id_number;

    const seenId = firstById.get(id);
    if (seenId !== undefined) {
      err("证件号码", id, "records.duplicate_in_file", { first: seenId });
      continue;
    }
    firstById.set(id, row);
    const seenEmail = firstByEmail.get(value.email);
    if (seenEmail !== undefined) err("电子邮箱", value.email, "group.duplicate_email", { first: seenEmail });
    else firstByEmail.set(value.email, row);

    const record = input.records.get(id) ?? null;
    const refusal = mayRegister(input.eligibility, record);
    if (refusal) err("证件号码", id, refusal);

    const existing = input.registrations.get(id) ?? null;
    let add = value.subjects;
    let remove: ExistingEntry[] = [];
    if (existing) {
      if (existing.org_id !== input.siteId) err("证件号码", id, "group.other_site", { site: existing.org_label });
      else if (existing.channel === "online") err("证件号码", id, "group.online_registration");
      else if (!input.overwrite) err("证件号码", id, "group.exists");
      else if (existing.locked) err("证件号码", id, "group.locked");
      else {
        const wanted = new Set(value.subjects);
        const current = new Set(existing.entries.map((e) => e.subject_code));
        add = value.subjects.filter((c) => !current.has(c));
        remove = existing.entries.filter((e) => !wanted.has(e.subject_code));
        const subjectsText = value.subjects.join("；");
        for (const e of remove) {
          if (e.paid) err("报考科目", subjectsText, "group.entry_paid", { code: e.subject_code });
          else if (e.in_payment_batch)
            err("报考科目", subjectsText, "group.entry_in_payment_batch", { code: e.subject_code });
          else if (e.in_pending_payment) err("报考科目", subjectsText, "group.entry_paying", { code: e.subject_code });
        }
      }
    }

    const account = input.accounts.get(value.email);
    let accountPlan: AccountPlan = { kind: "new", email: value.email };
    if (account) {
      if (account.role !== "candidate") err("电子邮箱", value.email, "group.email_admin");
      // An unproven account's registrations are a squatter's: they are detached, not a reason to refuse.
      else if (!account.proven) accountPlan = { kind: "takeover", email: value.email, accountId: account.id };
      else if (account.bound_id_number !== null && account.bound_id_number !== id)
        err("电子邮箱", value.email, "group.email_bound", { id: maskIdNumber(account.bound_id_number) });
      else accountPlan = { kind: "bind", email: value.email, accountId: account.id };
    }

    if (errors.length > before) continue;
    registrations.push({
      row,
      value,
      existing,
      registryCandidate: isRegistryCandidate(input.eligibility, record),
      add,
      remove,
      account: accountPlan,
    });
    if (existing) plan.updated++;
    else plan.created++;
    plan.entriesAdded += add.length;
    plan.entriesRemoved += remove.length;
    if (accountPlan.kind === "new") plan.accountsCreated++;
    else if (accountPlan.kind === "takeover") plan.accountsTakenOver++;
    else plan.accountsBound++;
  }
  return plan;
}

/** Seats an import takes and gives back, per subject, and in total. */
export function seatChanges(registrations: readonly PlannedRegistration[]): {
  take: Map<string, number>;
  release: string[];
  totalTake: number;
} {
  const take = new Map<string, number>();
  const release: string[] = [];
  let totalTake = 0;
  for (const r of registrations) {
    for (const code of r.add) {
      take.set(code, (take.get(code) ?? 0) + 1);
      totalTake++;
    }
    for (const e of r.remove) release.push(e.subject_code);
  }
  return { take, release, totalTake };
}

export interface SeatShortage {
  key: MessageKey;
  params: Record<string, string | number>;
}

/**
 * CAN-4: why the seats an import needs are not there, subject by subject and for the site's total
 * (counters read after the import's own releases). Empty when everything fits.
 */
export function seatShortages(
  take: ReadonlyMap<string, number>,
  totalTake: number,
  subjects: ReadonlyArray<{ code: string; name: string; capacity: number | null; taken: number }>,
  total: { capacity: number | null; taken: number },
): SeatShortage[] {
  const out: SeatShortage[] = [];
  if (totalTake > 0) {
    if (total.capacity === null) out.push({ key: "group.total_capacity_not_set", params: {} });
    else if (total.taken + totalTake > total.capacity)
      out.push({
        key: "group.total_capacity_short",
        params: { missing: total.taken + totalTake - total.capacity, capacity: total.capacity },
      });
  }
  const byCode = new Map(subjects.map((s) => [s.code, s]));
  for (const [code, n] of [...take].sort(([a], [b]) => a.localeCompare(b))) {
    const s = byCode.get(code);
    const free = s && s.capacity !== null && s.capacity > 0 ? Math.max(0, s.capacity - s.taken) : 0;
    if (n > free)
      out.push({
        key: "group.subject_capacity_short",
        params: { code, name: s?.name ?? "", missing: n - free, capacity: s?.capacity ?? 0 },
      });
  }
  return out;
}

/**
 * GRP-5/CAN-6: a group registration is submitted by the site, so where the site reviews it waits
 * for review at once; a re-import resubmits one that was never reviewed or failed, and one whose
 * personal data changed after passing.
 */
export function reviewStatusAfterImport(
  reviewRequired: boolean,
  current: ReviewStatus | null,
  personalDataChanged: boolean,
): ReviewStatus {
  if (current === null) return reviewRequired ? "pending" : "none";
  if (!reviewRequired) return current;
  if (current === "none" || current === "failed") return "pending";
  if (current === "passed" && personalDataChanged) return "pending";
  return current;
}
