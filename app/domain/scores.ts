import type { ViolationKind } from "~db/schema";
import type { MessageKey } from "~/i18n";
import { normaliseIdNumber } from "./id-number";
import { cleanText, toHalfWidth } from "./import-values";
import { kindOfGradeCode, normaliseAdmissionNo } from "./violations";

// SCO-1 (manual §四十, DOMAIN.md "Grades" and "Score file"): the marking system's score file, as pure
// rules. No official layout is public: columns are found by their field code (ZKZH …) or a Chinese or
// English name, in any order.

/** DOMAIN.md: 3 优秀 (90–100), 2 良好 (80–89), 1 及格 (60–79), 0 不及格 (0–59); −1 … −9 absences and violations. */
export const GRADE_CODES = [3, 2, 1, 0, -1, -2, -3, -4, -5, -6, -7, -8, -9] as const;
export type GradeCode = (typeof GRADE_CODES)[number];

export const gradeLabel = (code: number): MessageKey => `scores.grade.${code}` as MessageKey;

/** The grade a total earns; level 4 passes only if each of its two parts reaches 30 (DOMAIN.md). */
export function gradeOf(score: number, level: number, parts: readonly [number | null, number | null]): 0 | 1 | 2 | 3 {
  const base = score >= 90 ? 3 : score >= 80 ? 2 : score >= 60 ? 1 : 0;
  if (base > 0 && level === 4 && !(parts[0] !== null && parts[0] >= 30 && parts[1] !== null && parts[1] >= 30))
    return 0;
  return base;
}

/** The file's columns by field code, each with the other names it goes by. */
export const SCORE_COLUMNS = {
  ZKZH: ["准考证号", "admission_no", "admission number"],
  ZJH: ["证件号", "证件号码", "身份证号", "id_number", "id number"],
  XM: ["姓名", "name"],
  KSKM: ["考试科目", "科目", "科目代码", "subject"],
  CJ: ["成绩", "总分", "score"],
  DJ: ["等级", "等级代码", "grade"],
  ZSBH: ["证书编号", "certificate_no", "certificate number"],
  KSKM1CJ: ["第一部分成绩", "part1"],
  KSKM2CJ: ["第二部分成绩", "part2"],
  BZ: ["备注", "remark"],
} as const;
export type ScoreColumn = keyof typeof SCORE_COLUMNS;
export const SCORE_HEADERS = Object.keys(SCORE_COLUMNS) as ScoreColumn[];
export const SCORE_REQUIRED: readonly ScoreColumn[] = ["ZKZH", "DJ"];

export type ScoreRow = {
  /** Null: the row has no admission number (SCO-1's second option decides). */
  admissionNo: string | null;
  idNumber: string;
  name: string;
  subjectCode: string;
  score: number | null;
  grade: GradeCode;
  part1: number | null;
  part2: number | null;
  certificateNo: string | null;
  remark: string;
};

export interface ScoreCellError {
  column: string;
  value: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

const INTEGER = /^-?\d{1,3}$/;

function smallInt(v: unknown): number | null | "bad" {
  const s = toHalfWidth(cleanText(v)).replace(/\.0+$/, "");
  if (s === "") return null;
  return INTEGER.test(s) ? Number(s) : "bad";
}

/** One row typed (the file's own values; checks against the registration come in the plan). */
export function parseScoreRow(
  cells: Record<string, unknown>,
): { value: ScoreRow; errors?: undefined } | { errors: ScoreCellError[]; value?: undefined } {
  const errors: ScoreCellError[] = [];
  const rawNo = cleanText(cells.ZKZH);
  const admissionNo = rawNo === "" ? null : normaliseAdmissionNo(rawNo);
  if (rawNo !== "" && !admissionNo) errors.push({ column: "ZKZH", value: rawNo, key: "violations.number_format" });
  const rawGrade = cleanText(cells.DJ);
  const grade = smallInt(rawGrade);
  if (grade === null) errors.push({ column: "DJ", value: "", key: "import.required" });
  else if (grade === "bad" || !(GRADE_CODES as readonly number[]).includes(grade))
    errors.push({ column: "DJ", value: rawGrade, key: "scores.grade_unknown" });
  const score = smallInt(cells.CJ);
  if (score === "bad" || (score !== null && (score < 0 || score > 100)))
    errors.push({ column: "CJ", value: cleanText(cells.CJ), key: "scores.score_range" });
  const parts = (["KSKM1CJ", "KSKM2CJ"] as const).map((c) => {
    const p = smallInt(cells[c]);
    if (p === "bad" || (p !== null && (p < 0 || p > 100))) {
      errors.push({ column: c, value: cleanText(cells[c]), key: "scores.score_range" });
      return null;
    }
    return p;
  });
  const cert = toHalfWidth(cleanText(cells.ZSBH)).replace(/\s+/g, "");
  if (cert !== "" && !/^\d{14}$/.test(cert))
    errors.push({ column: "ZSBH", value: cert, key: "scores.certificate_format" });
  const subject = toHalfWidth(cleanText(cells.KSKM)).replace(/^(\d)$/, "0$1");
  if (subject !== "" && !/^\d{2}$/.test(subject))
    errors.push({ column: "KSKM", value: subject, key: "scores.subject_format" });
  if (errors.length) return { errors };
  return {
    value: {
      admissionNo,
      idNumber: normaliseIdNumber(cleanText(cells.ZJH)),
      name: cleanText(cells.XM),
      subjectCode: subject,
      score: score as number | null,
      grade: grade as GradeCode,
      part1: parts[0],
      part2: parts[1],
      certificateNo: cert || null,
      remark: cleanText(cells.BZ).slice(0, 200),
    },
  };
}

/** SCO-1's options, as the manual: the first two checks on unless unticked, the identity check on by default. */
export interface ScoreImportOptions {
  checkViolations: boolean;
  checkMissingNumber: boolean;
  checkIdentity: boolean;
}

/** What the plan knows of each of the site's numbered entries. */
export interface ScoreTarget {
  entryId: number;
  registrationId: number;
  name: string;
  idNumber: string;
  subjectCode: string;
  level: number;
  violation: ViolationKind | null;
}

export interface ScorePlan {
  errors: Array<ScoreCellError & { row: number }>;
  /** Rows without an admission number left out (the check off). */
  skipped: number;
  /** Registrations whose name or ID the file overrides (the identity check off). */
  identity: Array<{ registrationId: number; name: string; idNumber: string }>;
  /** Violations the file sets (kind) or clears (null) (the violations check off). */
  violations: Array<{ entryId: number; kind: ViolationKind | null }>;
  /** The rows to write, each with its entry (no second lookup by admission number). */
  rows: Array<{ target: ScoreTarget; value: ScoreRow }>;
}

const sameName = (s: string) => toHalfWidth(s).replace(/[\s·•.]/g, "");
const lastFour = (id: string) => `…${[...id].slice(-4).join("")}`;

/**
 * SCO-1: all or nothing. Every admission number must be one of the site's numbered entries (another
 * site's candidate is refused), of the subject the row names, once in the file; the grade must agree
 * with the score (level 4: both parts ≥ 30 to pass). The options decide the rest:
 * - rows without an admission number are errors, or left out;
 * - name and ID must agree with the registration, or the file's win;
 * - the file's absences and violations (grade codes −1 … −9) must agree with the violation table,
 *   or the table is updated to the file.
 */
export function planScoreImport(
  rows: ReadonlyArray<{ row: number; value: ScoreRow }>,
  targets: ReadonlyMap<string, ScoreTarget>,
  o: ScoreImportOptions,
): ScorePlan {
  const planner = scorePlanner(o);
  planner.plan.rows = planner.add(rows, targets);
  return planner.plan;
}

/**
 * The same plan made a part at a time, while the file is still being read (decision 0042): each part
 * answers the rows it lets through; errors, left-out rows, identity and violation changes, and which
 * admission number came first, are kept across parts in `plan` (whose `rows` stays empty).
 */
export function scorePlanner(o: ScoreImportOptions) {
  const plan: ScorePlan = { errors: [], skipped: 0, identity: [], violations: [], rows: [] };
  const firstRow = new Map<string, number>();
  return {
    plan,
    add: (rows: ReadonlyArray<{ row: number; value: ScoreRow }>, targets: ReadonlyMap<string, ScoreTarget>) =>
      planPart(rows, targets, o, plan, firstRow),
  };
}

function planPart(
  rows: ReadonlyArray<{ row: number; value: ScoreRow }>,
  targets: ReadonlyMap<string, ScoreTarget>,
  o: ScoreImportOptions,
  plan: ScorePlan,
  firstRow: Map<string, number>,
): ScorePlan["rows"] {
  const out: ScorePlan["rows"] = [];
  // One function for the part, not a closure a row (100,000 of them showed in the import's profile).
  const err = (row: number, column: string, v: string, key: MessageKey, params?: Record<string, string | number>) =>
    plan.errors.push({ row, column, value: v, key, params });
  for (const { row, value } of rows) {
    if (value.admissionNo === null) {
      if (o.checkMissingNumber) err(row, "ZKZH", "", "scores.no_number");
      else plan.skipped++;
      continue;
    }
    const first = firstRow.get(value.admissionNo);
    if (first !== undefined) {
      err(row, "ZKZH", value.admissionNo, "violations.duplicate_row", { row: first });
      continue;
    }
    firstRow.set(value.admissionNo, row);
    const t = targets.get(value.admissionNo);
    if (!t) {
      err(row, "ZKZH", value.admissionNo, "scores.no_such_entry");
      continue;
    }
    let ok = true;
    if (value.subjectCode !== "" && value.subjectCode !== t.subjectCode) {
      err(row, "KSKM", value.subjectCode, "scores.subject_mismatch", { subject: t.subjectCode });
      ok = false;
    }
    const fileKind = kindOfGradeCode(value.grade);
    if (fileKind === null) {
      if (value.score === null) {
        err(row, "CJ", "", "scores.score_missing");
        ok = false;
      } else {
        const expected = gradeOf(value.score, t.level, [value.part1, value.part2]);
        if (expected !== value.grade) {
          const level4 = t.level === 4 && expected === 0 && value.score >= 60;
          err(row, "DJ", String(value.grade), level4 ? "scores.level4_parts" : "scores.grade_mismatch", {
            score: value.score,
            expected,
          });
          ok = false;
        }
      }
    }
    const nameDiffers = value.name !== "" && value.name !== t.name && sameName(value.name) !== sameName(t.name);
    const idDiffers = value.idNumber !== "" && value.idNumber !== t.idNumber;
    if (nameDiffers || idDiffers) {
      if (o.checkIdentity) {
        if (nameDiffers) err(row, "XM", value.name, "scores.name_mismatch", { name: t.name });
        if (idDiffers) err(row, "ZJH", lastFour(value.idNumber), "scores.id_mismatch", { id: lastFour(t.idNumber) });
        ok = false;
      } else
        plan.identity.push({
          registrationId: t.registrationId,
          name: value.name || t.name,
          idNumber: value.idNumber || t.idNumber,
        });
    }
    if (fileKind !== t.violation) {
      if (o.checkViolations) {
        err(row, "DJ", String(value.grade), "scores.violation_mismatch", {
          fileKey: fileKind ? `violations.kind.${fileKind}` : "scores.no_violation",
          tableKey: t.violation ? `violations.kind.${t.violation}` : "scores.no_violation",
        });
        ok = false;
      } else plan.violations.push({ entryId: t.entryId, kind: fileKind });
    }
    if (ok) out.push({ target: t, value });
  }
  return out;
}

// SCO-3 (manual §四十四): score statistics per subject, in the manual's columns.
export const SCORE_BUCKETS = [
  "excellent",
  "good",
  "pass",
  "fail",
  "absent",
  "misconduct",
  "cheating",
  "other",
] as const;
export type ScoreBucket = (typeof SCORE_BUCKETS)[number];

export function bucketOf(grade: number): ScoreBucket {
  if (grade === 3) return "excellent";
  if (grade === 2) return "good";
  if (grade === 1) return "pass";
  if (grade === 0) return "fail";
  return kindOfGradeCode(grade) ?? "other";
}

export type BucketCounts = Record<ScoreBucket, number> & { total: number };
const noCounts = (): BucketCounts => ({
  excellent: 0,
  good: 0,
  pass: 0,
  fail: 0,
  absent: 0,
  misconduct: 0,
  cheating: 0,
  other: 0,
  total: 0,
});

/** SCO-3: counts by subject and bucket (subjects in code order) and their total; rates are count / total. */
export function scoreTable(rows: ReadonlyArray<{ subject_code: string; grade_code: number; n: number }>) {
  const bySubject = new Map<string, BucketCounts>();
  const total = noCounts();
  for (const r of rows) {
    const c = bySubject.get(r.subject_code) ?? noCounts();
    const b = bucketOf(r.grade_code);
    c[b] += r.n;
    c.total += r.n;
    total[b] += r.n;
    total.total += r.n;
    bySubject.set(r.subject_code, c);
  }
  return {
    subjects: [...bySubject.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, c]) => ({ code, ...c })),
    total,
  };
}

/** A rate as the statistics show it: one decimal of a percent, or a dash with nothing to divide by. */
export function rate(n: number, of: number): string {
  return of > 0 ? `${((100 * n) / of).toFixed(1)}%` : "—";
}
