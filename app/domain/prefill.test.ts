import { describe, expect, it } from "vitest";
import { matchingRecord, namesMatch, PREFILL_FIELDS, schoolFields } from "./prefill";

const record = {
  name: "张 三",
  id_number: "330105197810270025",
  education: "5",
  occupation: "1",
  department: "计算机学院",
  major: "软件工程",
  class_name: "软工2401",
  student_no: "2024001",
  phone: "13800000001",
  email: "zhang@example.com",
  address: "学府路1号",
  postcode: "310000",
  ethnicity: "01",
  gender: "2",
  birth_date: "1978-10-27",
};

describe("pre-fill from the student record (SR-6, X-4)", () => {
  it("SR-6: a record counts only when the typed name matches it (spaces, width and case aside)", () => {
    expect(namesMatch("张三", "张 三")).toBe(true);
    expect(namesMatch("ＬＩ Ｍｉｎｇ", "li ming")).toBe(true);
    expect(namesMatch("李四", "张三")).toBe(false);
    expect(namesMatch("", "")).toBe(false);
    expect(matchingRecord(record, "李四")).toBeNull();
    expect(matchingRecord(record, "张三")).toBe(record);
    expect(matchingRecord(null, "张三")).toBeNull();
  });

  it("X-4: a matching record fills the school fields only, never phone, e-mail, address or postcode", () => {
    const filled = schoolFields(record);
    expect(filled).toEqual({
      education: "5",
      occupation: "1",
      department: "计算机学院",
      major: "软件工程",
      class_name: "软工2401",
      student_no: "2024001",
    });
    for (const f of ["phone", "email", "address", "postcode", "ethnicity"])
      expect(Object.keys(filled)).not.toContain(f);
    expect([...PREFILL_FIELDS]).not.toContain("phone");
  });
});
