import { describe, expect, it } from "vitest";
import { EDUCATION_RANK } from "~templates/code-tables";
import {
  formatEligibleSites,
  parseEligibleSites,
  parseStudentRecordImportRow,
  parseStudentRecordRow,
  planStudentRecordImport,
} from "./student-record";

const row = (over: Record<string, unknown> = {}) => ({
  姓名: "张三",
  性别: "男",
  出生日期: "2005-03-08",
  证件类型: "居民身份证",
  证件号码: "110105200503080014",
  民族: "汉族",
  文化程度: "本科",
  ...over,
});

describe("student-record rows", () => {
  it("SR-2: a row with codes or names, any date style, types into one value", () => {
    const a = parseStudentRecordRow(row());
    const b = parseStudentRecordRow(
      row({
        性别: "1",
        出生日期: 38419,
        证件类型: "1",
        民族: "01",
        文化程度: "20",
        证件号码: " １１０１０５２００５０３０８００１４ ",
      }),
    );
    expect(a.value).toEqual(b.value);
    expect(a.value).toMatchObject({
      gender: "1",
      birth_date: "2005-03-08",
      id_type: "1",
      ethnicity: "01",
      education: "20",
    });
  });

  it("CAN-3/SR-3: a row's mistakes name their columns, with the facts the message needs", () => {
    const r = parseStudentRecordRow(row({ 出生日期: "2005-03-09", 电子邮箱: "not-mail", 民族: "火星族" }));
    expect(r.errors?.map((e) => [e.column, e.key])).toEqual([
      ["民族", "import.bad_code"],
      ["电子邮箱", "import.bad_email"],
      ["出生日期", "id.birth_mismatch"],
    ]);
    const mismatch = parseStudentRecordRow(row({ 出生日期: "2005-03-09" }));
    expect(mismatch.errors).toEqual([
      { column: "出生日期", value: "2005-03-09", key: "id.birth_mismatch", params: { born: "2005-03-08" } },
    ]);
    // What Excel hands over for an 18-digit ID typed as a number: the last digits are gone.
    expect(parseStudentRecordRow(row({ 证件号码: Number("110105200503080014") })).errors?.[0].key).toBe(
      "id.lost_precision",
    );
  });

  it("SR-4: duplicates in the file, same site without overwrite, and a lower education level are errors", () => {
    const v = (id: string, education = "20") => ({ id_number: id, education });
    const existing = new Map([
      ["A", { org_id: 1, education: "20" }],
      ["B", { org_id: 2, education: "10" }],
      ["C", { org_id: 2, education: "30" }],
    ]);
    const rows = [
      { row: 2, value: v("A") },
      { row: 3, value: v("B") },
      { row: 4, value: v("C") },
      { row: 5, value: v("D") },
      { row: 6, value: v("D") },
    ];
    const plan = planStudentRecordImport(rows, existing, 1, false, EDUCATION_RANK);
    expect(plan.errors.map((e) => [e.row, e.key])).toEqual([
      [2, "records.exists_same_site"],
      [3, "records.lower_education"],
      [6, "records.duplicate_in_file"],
    ]);
    const ok = planStudentRecordImport(
      [
        { row: 2, value: v("A") },
        { row: 4, value: v("C") },
        { row: 5, value: v("D") },
      ],
      existing,
      1,
      true,
      EDUCATION_RANK,
    );
    expect(ok).toEqual({ errors: [], inserts: 1, sameSite: 1, otherSite: 1 });
  });
});

describe("eligible sites of a record (SET-9)", () => {
  it("SET-9: empty means its own site, '全省' or 'any' any site of the province, otherwise site codes in any separator", () => {
    expect(parseEligibleSites("")).toEqual({ value: null });
    expect(parseEligibleSites(undefined)).toEqual({ value: null });
    expect(parseEligibleSites("全省")).toEqual({ value: [] });
    expect(parseEligibleSites(" ANY ")).toEqual({ value: [] });
    expect(parseEligibleSites("990101,990102")).toEqual({ value: ["990101", "990102"] });
    // A Chinese input method's full-width digits and commas, 、 and repeats.
    expect(parseEligibleSites("９９０１０１，990102、990102；990201")).toEqual({
      value: ["990101", "990102", "990201"],
    });
    expect(parseEligibleSites(990101)).toEqual({ value: ["990101"] }); // Excel kept it as a number
    expect(parseEligibleSites("9901")).toEqual({ error: "records.eligible_sites_format" });
    expect(parseEligibleSites("第一考点")).toEqual({ error: "records.eligible_sites_format" });
  });

  it("SET-9: what the edit form shows reads back as the same value", () => {
    for (const v of [null, [], ["990101", "990102"]] as const)
      for (const locale of ["zh-CN", "en"] as const)
        expect(parseEligibleSites(formatEligibleSites(v, locale))).toEqual({ value: v });
  });

  it("SET-9: the registry's own row reads the column with the personal ones and names its errors", () => {
    expect(parseStudentRecordImportRow({ ...row(), 可报考考点: "990102" }).value?.eligible_sites).toEqual(["990102"]);
    expect(parseStudentRecordImportRow(row()).value?.eligible_sites).toBeNull(); // an old template without it
    const bad = parseStudentRecordImportRow({ ...row({ 姓名: "" }), 可报考考点: "99" });
    expect(bad.errors?.map((e) => [e.column, e.key])).toEqual([
      ["姓名", "import.required"],
      ["可报考考点", "records.eligible_sites_format"],
    ]);
  });
});
