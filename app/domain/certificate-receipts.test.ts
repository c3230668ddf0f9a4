import { describe, expect, it } from "vitest";
import { receiptFileName, receiptGroups, type ReceiptEntry } from "./certificate-receipts";

const e = (over: Partial<ReceiptEntry>): ReceiptEntry => ({
  className: "",
  room: "01",
  admissionNo: "1",
  name: "甲",
  idNumber: "**************0001",
  subject: "(14) X",
  certificateNo: "14799010000001",
  ...over,
});

describe("certificate receipt forms (DOC-7)", () => {
  it("DOC-7: by class (no class last) or by room, each in admission-number order", () => {
    const rows = [
      e({ className: "计科2402", admissionNo: "3", room: "02" }),
      e({ className: "", admissionNo: "5", room: "01" }),
      e({ className: "计科2401", admissionNo: "4", room: "02" }),
      e({ className: "计科2401", admissionNo: "2", room: "01" }),
    ];
    expect(receiptGroups(rows, "class").map((g) => [g.key, g.entries.map((x) => x.admissionNo)])).toEqual([
      ["计科2401", ["2", "4"]],
      ["计科2402", ["3"]],
      ["", ["5"]],
    ]);
    expect(receiptGroups(rows, "room").map((g) => [g.key, g.entries.length])).toEqual([
      ["01", 2],
      ["02", 2],
    ]);
  });

  it("DOC-7: a class name never becomes a path inside the zip", () => {
    expect(receiptFileName("990102", { key: "../计科/24:01", entries: [] }, "未填班级", 0)).toBe(
      "990102/001-.._计科_24_01.pdf",
    );
    expect(receiptFileName("990102", { key: "", entries: [] }, "未填班级", 11)).toBe("990102/012-未填班级.pdf");
  });
});
