import { describe, expect, it } from "vitest";
import {
  DEFAULT_ADMISSION_FORMAT,
  formatAdmissionNumber,
  parseAdmissionFormat,
  planAdmissionNumbers,
  type NumberedEntry,
} from "./admission-numbers";

const format = parseAdmissionFormat(DEFAULT_ADMISSION_FORMAT);
if ("error" in format) throw new Error(format.error);
const fixed = { sitting: "53", site: "990101" };
const entry = (
  id: number,
  subject: string,
  room: string,
  seat: number,
  current: string | null = null,
): NumberedEntry => ({
  entry_id: id,
  subject,
  room,
  current,
  batch_order: 1,
  seat,
});

describe("admission numbers (ADM-1)", () => {
  it("ADM-1: the default is the manual's 16 digits: subject, sitting, site, room, serial", () => {
    expect(formatAdmissionNumber(format.pieces, { ...fixed, subject: "14", room: "03", serial: 189 })).toBe(
      "1453990101030189",
    );
  });

  it("ADM-1: a deployment's own format is checked before use", () => {
    expect(parseAdmissionFormat("{site}-{serial:6}")).toMatchObject({ serialWidth: 6 });
    expect(parseAdmissionFormat("{subject}{room}")).toEqual({ error: expect.stringContaining("{serial:N}") });
    expect(parseAdmissionFormat("{subject}{colour}{serial:4}")).toEqual({ error: "unknown part {colour}" });
    expect(parseAdmissionFormat("{subject}{serial:2}")).toEqual({ error: expect.stringContaining("3 to 8") });
  });

  it("ADM-1: numbers are given in room, batch and seat order and are unique", () => {
    const r = planAdmissionNumbers(
      format,
      fixed,
      [entry(1, "65", "02", 1), entry(2, "14", "01", 2), entry(3, "14", "01", 1)],
      0,
    );
    if ("overflow" in r) throw new Error("overflow");
    expect([...r.numbers.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [1, "6553990101020003"],
      [2, "1453990101010002"],
      [3, "1453990101010001"],
    ]);
    expect(r.issued).toBe(3);
  });

  it("ADM-1: regenerating keeps every unchanged entry's number and never reuses one (after a cancellation and a move)", () => {
    const first = planAdmissionNumbers(
      format,
      fixed,
      [entry(1, "14", "01", 1), entry(2, "14", "01", 2), entry(3, "14", "01", 3)],
      0,
    );
    if ("overflow" in first) throw new Error("overflow");
    // Entry 2 is cancelled, entry 3 moves to room 02, entry 4 is new.
    const again = planAdmissionNumbers(
      format,
      fixed,
      [
        entry(1, "14", "01", 1, first.numbers.get(1)!),
        entry(3, "14", "02", 1, first.numbers.get(3)!),
        entry(4, "14", "01", 2),
      ],
      first.issued,
    );
    if ("overflow" in again) throw new Error("overflow");
    expect(again.numbers.get(1)).toBe(first.numbers.get(1));
    expect(again.kept).toBe(1);
    expect(again.numbers.get(3)).toBe("1453990101020005"); // moved: a new serial after every one issued
    expect(again.numbers.get(4)).toBe("1453990101010004");
    const all = [...first.numbers.values(), ...again.numbers.values()];
    expect(new Set(again.numbers.values()).size).toBe(3);
    expect(all).not.toContain("1453990101020002");
  });

  it("ADM-1: a site that would outgrow the serial's width is refused, not wrapped", () => {
    expect(planAdmissionNumbers(format, fixed, [entry(1, "14", "01", 1), entry(2, "14", "01", 2)], 9998)).toEqual({
      overflow: 10000,
    });
  });
});
