import { describe, expect, it } from "vitest";
import { checkSittingCode, isSittingWritable } from "./sitting";

describe("sittings", () => {
  it("ORG-7: only the current sitting can be changed", () => {
    expect(isSittingWritable({ is_current: true })).toBe(true);
    expect(isSittingWritable({ is_current: false })).toBe(false);
  });
  it.each([
    ["79", null],
    ["7", "sitting.code.format"],
    ["079", "sitting.code.format"],
    ["ab", "sitting.code.format"],
  ] as const)("ORG-6: a sitting code (考次) is two digits: %j", (code, expected) =>
    expect(checkSittingCode(code)).toBe(expected),
  );
});
