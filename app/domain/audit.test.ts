import { describe, expect, it } from "vitest";
import { diffFields } from "./audit";

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
    expect(diffFields({ at: d }, { at: new Date("2026-09-02T00:00:00Z") })).toEqual({ at: ["2026-09-01T00:00:00.000Z", "2026-09-02T00:00:00.000Z"] });
  });
});
