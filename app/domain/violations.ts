import type { ViolationKind } from "~db/schema";
import type { MessageKey } from "~/i18n";
import { cleanText, toHalfWidth } from "./import-values";

// VIO-1/VIO-2 (manual §三十八 – §三十九, seed 002 §七): a candidate's absence or violation at one
// entry, as pure rules. One record per entry; its kind is one of four (the score statistics' columns).

export const VIOLATION_KINDS = [
  "absent",
  "misconduct",
  "cheating",
  "other",
] as const satisfies readonly ViolationKind[];

export function isViolationKind(s: string): s is ViolationKind {
  return (VIOLATION_KINDS as readonly string[]).includes(s);
}

export const kindLabel = (k: ViolationKind): MessageKey => `violations.kind.${k}`;
/** Seed 002 §七: what follows from each kind (shown as help beside the type). */
export const kindSanction = (k: ViolationKind): MessageKey => `violations.sanction.${k}`;

/**
 * A kind as people write it in a spreadsheet: the Chinese label (缺考, 违纪, 作弊, 其他违规 or 其他),
 * the English word, in either width and case.
 */
const KIND_WORDS: Record<string, ViolationKind> = {
  缺考: "absent",
  违纪: "misconduct",
  作弊: "cheating",
  其他违规: "other",
  其他: "other",
  absent: "absent",
  misconduct: "misconduct",
  cheating: "cheating",
  other: "other",
};

export function parseKind(v: unknown): ViolationKind | null {
  const s = toHalfWidth(cleanText(v)).toLowerCase().replace(/\s+/g, "");
  return Object.hasOwn(KIND_WORDS, s) ? KIND_WORDS[s] : null;
}

/**
 * DOMAIN.md's grade codes of a score file, as violation kinds (seed 002 §七): −1 absent; carrying
 * material (−2) and disturbing the room (−7) are misconduct, §七(一); copying, passing answers,
 * impersonation, swapped papers and identical answers (−3 … −6, −8) are cheating, §七(二); −9 other.
 * A code ≥ 0 is a grade, not a violation.
 */
export function kindOfGradeCode(code: number): ViolationKind | null {
  if (code === -1) return "absent";
  if (code === -2 || code === -7) return "misconduct";
  if (code === -3 || code === -4 || code === -5 || code === -6 || code === -8) return "cheating";
  if (code === -9) return "other";
  return null;
}

export const REMARK_MAX = 200;

/** An admission number as typed or read (full-width digits, spaces), or null if it is not one. */
export function normaliseAdmissionNo(v: unknown): string | null {
  const s = toHalfWidth(cleanText(v)).replace(/\s+/g, "");
  return /^\d{1,32}$/.test(s) ? s : null;
}

// The import (VIO-1, through the shared pipeline): one sheet, a row per violation.
export const VIOLATION_SHEET = "违规信息";
export const VIOLATION_COLUMNS = ["准考证号", "姓名", "违纪类型", "备注"] as const;
export const VIOLATION_REQUIRED: readonly string[] = ["准考证号", "违纪类型"];

export type ViolationRow = {
  admissionNo: string;
  /** The name typed beside the number, checked against the registration (a typo in the number shows). */
  name: string | null;
  /**
   * The number came from a number cell of more than 15 digits: exact if written by a program (pandas),
   * but Excel keeps 15 significant digits, so one that matches no entry has most likely lost its last.
   */
  numeric?: true;
  kind: ViolationKind;
  remark: string;
};

export interface ViolationCellError {
  column: string;
  value: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

export function parseViolationRow(
  cells: Record<string, unknown>,
): { value: ViolationRow; errors?: undefined } | { errors: ViolationCellError[]; value?: undefined } {
  const errors: ViolationCellError[] = [];
  const rawNo = cells["准考证号"];
  const noText = cleanText(rawNo);
  const admissionNo = normaliseAdmissionNo(rawNo);
  if (!noText) errors.push({ column: "准考证号", value: "", key: "import.required" });
  else if (typeof rawNo === "number" && !Number.isSafeInteger(rawNo))
    // Beyond 2^53 a number cell cannot hold the digits at all.
    errors.push({ column: "准考证号", value: noText, key: "violations.number_as_number" });
  else if (!admissionNo) errors.push({ column: "准考证号", value: noText, key: "violations.number_format" });
  const rawKind = cleanText(cells["违纪类型"]);
  const kind = parseKind(rawKind);
  if (!rawKind) errors.push({ column: "违纪类型", value: "", key: "import.required" });
  else if (!kind) errors.push({ column: "违纪类型", value: rawKind, key: "violations.kind_unknown" });
  const remark = cleanText(cells["备注"]);
  if (remark.length > REMARK_MAX)
    errors.push({ column: "备注", value: remark, key: "violations.remark_too_long", params: { max: REMARK_MAX } });
  if (errors.length) return { errors };
  const name = cleanText(cells["姓名"]);
  const value: ViolationRow = { admissionNo: admissionNo!, name: name || null, kind: kind!, remark };
  if (typeof rawNo === "number" && admissionNo!.length > 15) value.numeric = true;
  return { value };
}

/** What the import finds of each admission number in the site's entries. */
export interface NumberedTarget {
  entryId: number;
  name: string;
  violation: { kind: ViolationKind; remark: string } | null;
}

export interface ViolationImportPlan {
  errors: Array<ViolationCellError & { row: number }>;
  inserts: number;
  updates: number;
  unchanged: number;
}

/**
 * VIO-1: all or nothing. Every number must be one of the site's numbered entries (ORG-2: another
 * site's is "not found", never named), named as registered when a name is given, and appear once in
 * the file. An entry that already has a different violation takes the file's kind and remark only
 * when the import overwrites (as the rooms import does); the same one again changes nothing.
 */
export function planViolationImport(
  rows: ReadonlyArray<{ row: number; value: ViolationRow }>,
  targets: ReadonlyMap<string, NumberedTarget>,
  overwrite: boolean,
): ViolationImportPlan {
  const plan: ViolationImportPlan = { errors: [], inserts: 0, updates: 0, unchanged: 0 };
  const firstRow = new Map<string, number>();
  for (const { row, value } of rows) {
    const t = targets.get(value.admissionNo);
    const first = firstRow.get(value.admissionNo);
    if (first !== undefined) {
      plan.errors.push({
        row,
        column: "准考证号",
        value: value.admissionNo,
        key: "violations.duplicate_row",
        params: { row: first },
      });
      continue;
    }
    firstRow.set(value.admissionNo, row);
    if (!t) {
      const key = value.numeric ? "violations.number_as_number" : "violations.no_such_entry";
      plan.errors.push({ row, column: "准考证号", value: value.admissionNo, key });
      continue;
    }
    if (value.name !== null && sameName(value.name) !== sameName(t.name)) {
      plan.errors.push({ row, column: "姓名", value: value.name, key: "violations.name_mismatch" });
      continue;
    }
    if (!t.violation) plan.inserts++;
    else if (t.violation.kind === value.kind && t.violation.remark === value.remark) plan.unchanged++;
    else if (overwrite) plan.updates++;
    else
      plan.errors.push({
        row,
        column: "违纪类型",
        value: value.kind,
        key: "violations.exists_row",
        params: { kindKey: kindLabel(t.violation.kind) },
      });
  }
  return plan;
}

const sameName = (s: string) => toHalfWidth(s).replace(/[\s·•.]/g, "");

export type KindCounts = Record<ViolationKind, number> & { total: number };

const zero = (): KindCounts => ({ absent: 0, misconduct: 0, cheating: 0, other: 0, total: 0 });

/**
 * VIO-2: counts by subject and kind, with a total row and column; subjects in code order, each
 * subject's share of the site's violations.
 */
export function violationTable(rows: ReadonlyArray<{ subject_code: string; kind: ViolationKind; n: number }>) {
  const bySubject = new Map<string, KindCounts>();
  const total = zero();
  for (const r of rows) {
    const c = bySubject.get(r.subject_code) ?? zero();
    c[r.kind] += r.n;
    c.total += r.n;
    total[r.kind] += r.n;
    total.total += r.n;
    bySubject.set(r.subject_code, c);
  }
  const subjects = [...bySubject.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, counts]) => ({ code, ...counts }));
  return { subjects, total };
}

/**
 * DOC-9: who a batch's roll call marks absent once the batch has ended: every numbered entry never
 * checked in and without a violation already (a violation typed by hand is never overwritten).
 */
export function rollCallAbsentees(
  entries: ReadonlyArray<{ id: number; checkedIn: boolean; hasViolation: boolean }>,
): number[] {
  return entries.filter((e) => !e.checkedIn && !e.hasViolation).map((e) => e.id);
}
