import { describe, expect, it } from "vitest";
import { diffFields, maskEntityId } from "./audit";

describe("audit diff", () => {
  it("X-1: records only the changed fields with before and after", () => {
    expect(diffFields({ a: 1, b: "x", c: null }, { a: 1, b: "y", c: null })).toEqual({ b: ["x", "y"] });
  });
  it("X-1: a creation has no before, a deletion no after", () => {
    expect(diffFields(undefined, { name: "n" })).toEqual({ name: [null, "n"] });
    expect(diffFields({ name: "n" }, undefined)).toEqual({ name: ["n", null] });
  });
  it("X-1: dates are compared and stored as ISO strings; secrets never reach the log", () => {
    const d = new Date("2026-09-01T00:00:00Z");
    expect(diffFields({ at: d }, { at: new Date(d) })).toEqual({});
    expect(diffFields({ password_hash: "a" }, { password_hash: "b" })).toEqual({});
    expect(diffFields({ at: d }, { at: new Date("2026-09-02T00:00:00Z") })).toEqual({
      at: ["2026-09-01T00:00:00.000Z", "2026-09-02T00:00:00.000Z"],
    });
  });
});

describe("audit masking (X-1, X-4)", () => {
  it("X-4: ID numbers keep their last four characters; contact data only says that it changed", async () => {
    const { maskAuditChanges } = await import("./audit");
    const changes = diffFields(undefined, {
      id_number: "330105197810270025",
      name: "张三",
      phone: "13800000001",
      email: "a@example.com",
      address: "学府路1号",
      postcode: "310000",
      class_name: "软工2401",
    });
    expect(maskAuditChanges("registration", changes)).toEqual({
      id_number: [null, "**************0025"],
      name: [null, "张三"],
      phone: [null, "***"],
      email: [null, "***"],
      address: [null, "***"],
      postcode: [null, "***"],
      class_name: [null, "软工2401"],
    });
  });
  it("X-4: whole ID numbers, mobile numbers and e-mail addresses in free text and nested values are masked", async () => {
    const { maskAuditChanges, scrubText } = await import("./audit");
    expect(scrubText("idNumber=11010519491231002x&name=x")).toBe("idNumber=**************002X&name=x");
    expect(scrubText("tel 13800000001, mail li@example.com")).toBe("tel ***, mail ***");
    expect(scrubText("batch 2026-09-01T00:00:00.000Z of 12 rows")).toBe("batch 2026-09-01T00:00:00.000Z of 12 rows");
    const masked = maskAuditChanges("registration", {
      rows: [null, [{ idNumber: "330105197810270025", login: "13800000001" }]],
    });
    expect(JSON.stringify(masked)).not.toMatch(/\d{17}[\dX]|1[3-9]\d{9}/);
    expect(maskAuditChanges("photo", { idNumbers: [["E12345678", "330105197810270025"], null] })).toEqual({
      idNumbers: [["*****5678", "**************0025"], null],
    });
  });
  it("X-1: an organisation's own address and phone stay readable; its ID-like strings do not", async () => {
    const { maskAuditChanges, maskEntityId } = await import("./audit");
    expect(maskAuditChanges("org", { address: ["学府路1号", "学府路2号"], phone: ["", "0571-88888888"] })).toEqual({
      address: ["学府路1号", "学府路2号"],
      phone: ["", "0571-88888888"],
    });
    expect(maskEntityId("student_record", "330105197810270025")).toBe("**************0025");
    expect(maskEntityId("registration", "42")).toBe("42");
  });

  it("X-1: an account's UUID is kept whole as the entry's id, even when its last group reads like a mobile number", () => {
    const id = "0f8e2c1a-3b4d-4e5f-8a9b-a13812345678";
    expect(maskEntityId("account", id)).toBe(id);
    expect(maskEntityId("registration", "13812345678")).toBe("***");
  });
});
