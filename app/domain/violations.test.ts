import { describe, expect, it } from "vitest";
import {
  kindOfGradeCode,
  normaliseAdmissionNo,
  parseKind,
  parseViolationRow,
  planViolationImport,
  rollCallAbsentees,
  violationTable,
  type NumberedTarget,
} from "./violations";

describe("violations (VIO-1)", () => {
  it("VIO-1: a type as people write it: the Chinese label, the English word, full width, any case", () => {
    expect(parseKind("缺考")).toBe("absent");
    expect(parseKind(" 违纪 ")).toBe("misconduct");
    expect(parseKind("作弊")).toBe("cheating");
    expect(parseKind("其他违规")).toBe("other");
    expect(parseKind("其他")).toBe("other");
    expect(parseKind("ＣＨＥＡＴＩＮＧ")).toBe("cheating");
    expect(parseKind("Absent")).toBe("absent");
    expect(parseKind("迟到")).toBeNull();
    expect(parseKind("")).toBeNull();
  });

  it("VIO-1/seed 002 §七: the score file's grade codes as kinds (−1 absent, −2/−7 misconduct, −3…−6/−8 cheating, −9 other)", () => {
    expect(kindOfGradeCode(-1)).toBe("absent");
    expect([-2, -7].map(kindOfGradeCode)).toEqual(["misconduct", "misconduct"]);
    expect([-3, -4, -5, -6, -8].map(kindOfGradeCode)).toEqual(Array(5).fill("cheating"));
    expect(kindOfGradeCode(-9)).toBe("other");
    for (const grade of [0, 1, 2, 3]) expect(kindOfGradeCode(grade)).toBeNull();
  });

  it("VIO-1: an admission number in full-width digits or with spaces reads; letters do not", () => {
    expect(normaliseAdmissionNo("１４５３ ９９０１０１０３０１８９")).toBe("1453990101030189");
    expect(normaliseAdmissionNo("14539901O1030189")).toBeNull();
    expect(normaliseAdmissionNo("")).toBeNull();
  });

  it("VIO-1: a row: number and type required; a 16-digit number stored as a number has lost digits; remark ≤ 200", () => {
    expect(parseViolationRow({ 准考证号: "1453990101030189", 违纪类型: "作弊", 姓名: "王飞" })).toEqual({
      value: { admissionNo: "1453990101030189", name: "王飞", kind: "cheating", remark: "" },
    });
    const r = parseViolationRow({ 准考证号: 9_453_990_101_030_188 + 1, 违纪类型: "迟到", 备注: "x".repeat(201) });
    expect(r.errors?.map((e) => [e.column, e.key])).toEqual([
      ["准考证号", "violations.number_as_number"],
      ["违纪类型", "violations.kind_unknown"],
      ["备注", "violations.remark_too_long"],
    ]);
    expect(parseViolationRow({}).errors?.map((e) => e.key)).toEqual(["import.required", "import.required"]);
    // A short number typed as a number is exact; a 16-digit one is marked (Excel may have cut it).
    expect(parseViolationRow({ 准考证号: 12345, 违纪类型: "缺考" }).value).toMatchObject({ admissionNo: "12345" });
    expect(parseViolationRow({ 准考证号: 12345, 违纪类型: "缺考" }).value?.numeric).toBeUndefined();
    expect(parseViolationRow({ 准考证号: 1453990101030180, 违纪类型: "缺考" }).value?.numeric).toBe(true);
  });

  it("VIO-1: the import plan: unknown numbers, duplicates and name mismatches are errors; an existing different record needs overwrite", () => {
    const targets = new Map<string, NumberedTarget>([
      ["01", { entryId: 1, name: "王 飞", violation: null }],
      ["02", { entryId: 2, name: "李雷", violation: { kind: "cheating", remark: "" } }],
      ["03", { entryId: 3, name: "韩梅梅", violation: { kind: "absent", remark: "" } }],
    ]);
    const rows = [
      { row: 2, value: { admissionNo: "01", name: "王飞", kind: "absent" as const, remark: "" } },
      { row: 3, value: { admissionNo: "02", name: null, kind: "misconduct" as const, remark: "" } },
      { row: 4, value: { admissionNo: "03", name: null, kind: "absent" as const, remark: "" } },
    ];
    const refused = planViolationImport(rows, targets, false);
    expect(refused.errors).toEqual([
      expect.objectContaining({
        row: 3,
        key: "violations.exists_row",
        params: { kindKey: "violations.kind.cheating" },
      }),
    ]);
    expect(planViolationImport(rows, targets, true)).toEqual({ errors: [], inserts: 1, updates: 1, unchanged: 1 });
    const bad = planViolationImport(
      [
        { row: 2, value: { admissionNo: "09", name: null, kind: "absent", remark: "" } },
        { row: 3, value: { admissionNo: "01", name: "李雷", kind: "absent", remark: "" } },
        { row: 4, value: { admissionNo: "09", name: null, kind: "absent", remark: "" } },
        { row: 5, value: { admissionNo: "1453990101030180", name: null, kind: "absent", remark: "", numeric: true } },
      ],
      targets,
      true,
    );
    expect(bad.errors.map((e) => [e.row, e.key])).toEqual([
      [2, "violations.no_such_entry"],
      [3, "violations.name_mismatch"],
      [4, "violations.duplicate_row"],
      [5, "violations.number_as_number"],
    ]);
  });
});

describe("violation statistics (VIO-2)", () => {
  it("VIO-2: counts by subject and kind, subjects in code order, with totals", () => {
    const t = violationTable([
      { subject_code: "65", kind: "absent", n: 3 },
      { subject_code: "14", kind: "cheating", n: 1 },
      { subject_code: "14", kind: "absent", n: 2 },
      { subject_code: "65", kind: "other", n: 1 },
    ]);
    expect(t.subjects).toEqual([
      { code: "14", absent: 2, misconduct: 0, cheating: 1, other: 0, total: 3 },
      { code: "65", absent: 3, misconduct: 0, cheating: 0, other: 1, total: 4 },
    ]);
    expect(t.total).toEqual({ absent: 5, misconduct: 0, cheating: 1, other: 1, total: 7 });
    expect(violationTable([]).subjects).toEqual([]);
  });
});

describe("roll call (DOC-9)", () => {
  it("DOC-9: those never checked in and without a violation are marked absent; a typed violation is never overwritten", () => {
    expect(
      rollCallAbsentees([
        { id: 1, checkedIn: true, hasViolation: false },
        { id: 2, checkedIn: false, hasViolation: false },
        { id: 3, checkedIn: false, hasViolation: true },
        { id: 4, checkedIn: true, hasViolation: true },
        { id: 5, checkedIn: false, hasViolation: false },
      ]),
    ).toEqual([2, 5]);
  });
});
