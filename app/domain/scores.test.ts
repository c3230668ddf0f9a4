import { describe, expect, it } from "vitest";
import {
  bucketOf,
  gradeOf,
  parseScoreRow,
  planScoreImport,
  rate,
  scoreTable,
  type ScoreRow,
  type ScoreTarget,
} from "./scores";

const row = (over: Partial<ScoreRow> = {}): ScoreRow => ({
  admissionNo: "6577990102010001",
  idNumber: "",
  name: "",
  subjectCode: "",
  score: 85,
  grade: 2,
  part1: null,
  part2: null,
  certificateNo: null,
  remark: "",
  ...over,
});

const target = (over: Partial<ScoreTarget> = {}): ScoreTarget => ({
  entryId: 1,
  registrationId: 10,
  name: "王飞",
  idNumber: "110101199003078515",
  subjectCode: "65",
  level: 2,
  violation: null,
  ...over,
});

const ON = { checkViolations: true, checkMissingNumber: true, checkIdentity: true };

describe("scores (SCO-1)", () => {
  it("SCO-1: grades from the score (90 / 80 / 60); level 4 passes only with both parts ≥ 30", () => {
    expect([100, 90, 89, 80, 79, 60, 59, 0].map((s) => gradeOf(s, 2, [null, null]))).toEqual([3, 3, 2, 2, 1, 1, 0, 0]);
    expect(gradeOf(75, 4, [45, 30])).toBe(1);
    expect(gradeOf(75, 4, [50, 29])).toBe(0);
    expect(gradeOf(95, 4, [null, 50])).toBe(0);
  });

  it("SCO-1: a row keeps the admission number as text (16 digits exact), reads full-width and '.0' numbers, and names bad cells", () => {
    const r = parseScoreRow({ ZKZH: "9977990102010001", CJ: "８５", DJ: "2.0", KSKM: "65", ZSBH: "" });
    expect(r.value).toMatchObject({ admissionNo: "9977990102010001", score: 85, grade: 2, subjectCode: "65" });
    expect(Number("9977990102010001") > Number.MAX_SAFE_INTEGER).toBe(true);
    const bad = parseScoreRow({ ZKZH: "12A4", CJ: "101", DJ: "5", ZSBH: "123", KSKM: "abc", KSKM1CJ: "x" });
    expect(bad.errors?.map((e) => [e.column, e.key])).toEqual([
      ["ZKZH", "violations.number_format"],
      ["DJ", "scores.grade_unknown"],
      ["CJ", "scores.score_range"],
      ["KSKM1CJ", "scores.score_range"],
      ["ZSBH", "scores.certificate_format"],
      ["KSKM", "scores.subject_format"],
    ]);
    expect(parseScoreRow({ ZKZH: "", DJ: "-1" }).value).toMatchObject({ admissionNo: null, grade: -1, score: null });
  });

  it("SCO-1: rows without an admission number are errors with the check, left out without it", () => {
    const rows = [{ row: 2, value: row({ admissionNo: null }) }];
    expect(planScoreImport(rows, new Map(), ON).errors.map((e) => e.key)).toEqual(["scores.no_number"]);
    const off = planScoreImport(rows, new Map(), { ...ON, checkMissingNumber: false });
    expect(off).toMatchObject({ errors: [], skipped: 1, rows: [] });
  });

  it("SCO-1: another site's (unknown) number, a repeated number, the wrong subject and a grade that disagrees are errors", () => {
    const targets = new Map([["6577990102010001", target()]]);
    const plan = planScoreImport(
      [
        { row: 2, value: row({ admissionNo: "0000000000000000" }) },
        { row: 3, value: row({ subjectCode: "14" }) },
        { row: 4, value: row() },
        { row: 5, value: row({ admissionNo: "6577990102010001" }) },
      ],
      targets,
      ON,
    );
    expect(plan.errors.map((e) => [e.row, e.key])).toEqual([
      [2, "scores.no_such_entry"],
      [3, "scores.subject_mismatch"],
      [4, "violations.duplicate_row"],
      [5, "violations.duplicate_row"],
    ]);
    const wrongGrade = planScoreImport([{ row: 2, value: row({ score: 85, grade: 3 }) }], targets, ON);
    expect(wrongGrade.errors).toEqual([
      expect.objectContaining({ key: "scores.grade_mismatch", params: { score: 85, expected: 2 } }),
    ]);
  });

  it("SCO-1: a level-4 pass with a part below 30 is refused with its own message", () => {
    const targets = new Map([["6577990102010001", target({ level: 4, subjectCode: "41" })]]);
    const plan = planScoreImport([{ row: 2, value: row({ score: 70, grade: 1, part1: 45, part2: 25 }) }], targets, ON);
    expect(plan.errors.map((e) => e.key)).toEqual(["scores.level4_parts"]);
    const ok = planScoreImport([{ row: 2, value: row({ score: 70, grade: 0, part1: 45, part2: 25 }) }], targets, ON);
    expect(ok.errors).toEqual([]);
  });

  it("SCO-1: a name or ID mismatch blocks with the check (every one listed); without it the file's name and ID win", () => {
    const targets = new Map([["6577990102010001", target()]]);
    const rows = [{ row: 2, value: row({ name: "王菲", idNumber: "110101199003071234" }) }];
    const blocked = planScoreImport(rows, targets, ON);
    expect(blocked.errors.map((e) => [e.column, e.key])).toEqual([
      ["XM", "scores.name_mismatch"],
      ["ZJH", "scores.id_mismatch"],
    ]);
    // The registration's ID is never spelled out in the report: its last four only.
    expect(JSON.stringify(blocked.errors)).not.toContain("110101199003078515");
    const confirmed = planScoreImport(rows, targets, { ...ON, checkIdentity: false });
    expect(confirmed.errors).toEqual([]);
    expect(confirmed.identity).toEqual([{ registrationId: 10, name: "王菲", idNumber: "110101199003071234" }]);
    expect(confirmed.rows).toHaveLength(1);
  });

  it("SCO-1: violations must agree both ways with the check; without it the file's update the table", () => {
    const targets = new Map([
      ["6577990102010001", target()],
      ["6577990102010002", target({ entryId: 2, violation: "absent" })],
    ]);
    const rows = [
      { row: 2, value: row({ score: null, grade: -3 }) },
      { row: 3, value: row({ admissionNo: "6577990102010002" }) },
    ];
    const blocked = planScoreImport(rows, targets, ON);
    expect(blocked.errors.map((e) => [e.row, e.key, e.params])).toEqual([
      [2, "scores.violation_mismatch", { fileKey: "violations.kind.cheating", tableKey: "scores.no_violation" }],
      [3, "scores.violation_mismatch", { fileKey: "scores.no_violation", tableKey: "violations.kind.absent" }],
    ]);
    const synced = planScoreImport(rows, targets, { ...ON, checkViolations: false });
    expect(synced.errors).toEqual([]);
    expect(synced.violations).toEqual([
      { entryId: 1, kind: "cheating" },
      { entryId: 2, kind: null },
    ]);
  });
});

describe("score statistics (SCO-3)", () => {
  it("SCO-3: grades and violations into the manual's eight columns, by subject, with totals and rates", () => {
    const t = scoreTable([
      { subject_code: "65", grade_code: 3, n: 2 },
      { subject_code: "65", grade_code: 0, n: 1 },
      { subject_code: "14", grade_code: -1, n: 4 },
      { subject_code: "14", grade_code: -5, n: 1 },
      { subject_code: "14", grade_code: -7, n: 1 },
      { subject_code: "14", grade_code: -9, n: 1 },
      { subject_code: "14", grade_code: 1, n: 3 },
    ]);
    expect(t.subjects.map((s) => s.code)).toEqual(["14", "65"]);
    expect(t.subjects[0]).toMatchObject({ pass: 3, absent: 4, cheating: 1, misconduct: 1, other: 1, total: 10 });
    expect(t.total).toMatchObject({ excellent: 2, fail: 1, total: 13 });
    expect(rate(4, 10)).toBe("40.0%");
    expect(rate(0, 0)).toBe("—");
    expect([3, 2, 1, 0, -1, -2, -3, -9].map(bucketOf)).toEqual([
      "excellent",
      "good",
      "pass",
      "fail",
      "absent",
      "misconduct",
      "cheating",
      "other",
    ]);
  });
});
