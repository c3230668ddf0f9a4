import { describe, expect, it } from "vitest";
import {
  compactStamp,
  checkWindow,
  effectiveWindow,
  formatWallClock,
  isInstant,
  parseWallClock,
  WINDOW_KINDS,
  windowStatus,
  type WindowSpan,
} from "./windows";

const tz = "Asia/Shanghai";
const at = (s: string) => parseWallClock(s, tz)!;
const span = (a: string, b: string | null): WindowSpan => ({ starts_at: at(a), ends_at: b ? at(b) : null });

describe("time windows", () => {
  it("WIN-2: there are nine windows, and the admission-card print start is an instant", () => {
    expect(WINDOW_KINDS).toHaveLength(9);
    expect(WINDOW_KINDS.filter(isInstant)).toEqual(["card_print"]);
  });

  it.each([
    ["before the start", "2026-09-01 07:59", "upcoming"],
    ["at the start", "2026-09-01 08:00", "open"],
    ["inside", "2026-09-10 12:00", "open"],
    ["at the end", "2026-09-30 21:00", "closed"],
    ["after the end", "2026-10-01 00:00", "closed"],
  ] as const)("WIN-3: a window is open from its start up to (not including) its end — %s", (_label, now, expected) => {
    expect(windowStatus(span("2026-09-01 08:00", "2026-09-30 21:00"), at(now))).toBe(expected);
  });

  it("WIN-3: a window that is not set keeps the module read-only", () => {
    expect(windowStatus(null, new Date())).toBe("not_set");
  });

  it("WIN-3: an instant is open from its start on, for good", () => {
    expect(windowStatus(span("2026-09-10 08:00", null), at("2027-01-01 00:00"))).toBe("open");
    expect(windowStatus(span("2026-09-10 08:00", null), at("2026-09-10 07:59"))).toBe("upcoming");
  });

  const parent = span("2026-09-01 00:00", "2026-09-30 00:00");
  it.each([
    ["inside", span("2026-09-02 00:00", "2026-09-29 00:00"), null],
    ["equal to the parent", span("2026-09-01 00:00", "2026-09-30 00:00"), null],
    ["starting before", span("2026-08-31 23:59", "2026-09-29 00:00"), "window.outside_parent"],
    ["ending after", span("2026-09-02 00:00", "2026-09-30 00:01"), "window.outside_parent"],
    ["ending before it starts", span("2026-09-10 00:00", "2026-09-09 00:00"), "window.end_before_start"],
    ["without an end", span("2026-09-10 00:00", null), "window.end_required"],
  ] as const)("WIN-1: a subordinate's window must lie inside its superior's — %s", (_l, w, problem) => {
    expect(checkWindow("registration", w, parent, true)).toBe(problem);
  });

  it("WIN-1: a subordinate's window can only be set once the superior's is set", () => {
    expect(checkWindow("registration", span("2026-09-02 00:00", "2026-09-03 00:00"), null, true)).toBe(
      "window.parent_not_set",
    );
    // The centre has no superior: its own windows need no parent.
    expect(checkWindow("registration", span("2026-09-02 00:00", "2026-09-03 00:00"), null, false)).toBeNull();
  });

  it("WIN-1: the print start must not be before the superior's and has no end", () => {
    const p = span("2026-09-10 08:00", null);
    expect(checkWindow("card_print", span("2026-09-11 08:00", null), p, true)).toBeNull();
    expect(checkWindow("card_print", span("2026-09-09 08:00", null), p, true)).toBe("window.outside_parent");
    expect(checkWindow("card_print", span("2026-09-11 08:00", "2026-09-12 08:00"), p, true)).toBe(
      "window.instant_no_end",
    );
  });

  it("WIN-1/WIN-5: a window counts only inside every superior's window (the effective window)", () => {
    const site = span("2026-09-01 00:00", "2026-10-31 00:00"); // extended beyond the city's
    const city = span("2026-09-05 00:00", "2026-09-30 00:00");
    const province = span("2026-08-01 00:00", "2026-09-20 00:00");
    expect(effectiveWindow([site, city, province])).toEqual(span("2026-09-05 00:00", "2026-09-20 00:00"));
    expect(effectiveWindow([site, null, province])).toBeNull();
    const disjoint = effectiveWindow([
      span("2026-01-01 00:00", "2026-01-02 00:00"),
      span("2026-02-01 00:00", "2026-02-02 00:00"),
    ]);
    expect(windowStatus(disjoint, at("2026-01-01 12:00"))).toBe("upcoming");
    expect(windowStatus(disjoint, at("2026-02-01 12:00"))).toBe("closed");
  });

  it("WIN-7: wall-clock times are Asia/Shanghai (UTC+8) by default and round-trip", () => {
    expect(at("2026-09-01 08:00").toISOString()).toBe("2026-09-01T00:00:00.000Z");
    expect(formatWallClock(new Date("2026-09-01T00:00:00Z"), tz)).toBe("2026-09-01 08:00");
    expect(parseWallClock("2026-09-01T08:00", tz)!.getTime()).toBe(at("2026-09-01 08:00").getTime());
  });

  it("WIN-7: a configured zone with daylight saving is honoured", () => {
    expect(parseWallClock("2026-07-01 12:00", "Europe/Berlin")!.toISOString()).toBe("2026-07-01T10:00:00.000Z");
    expect(parseWallClock("2026-01-01 12:00", "Europe/Berlin")!.toISOString()).toBe("2026-01-01T11:00:00.000Z");
  });

  it.each(["2026-02-30 08:00", "2026-13-01 08:00", "2026-09-01 24:00", "tomorrow", ""])(
    "WIN-7: %j is not a time",
    (s) => {
      expect(parseWallClock(s, tz)).toBeNull();
    },
  );
});

describe("names people read (issue 15 item 5)", () => {
  it("WIN-7: export names and order numbers carry the display zone's wall clock, not UTC", () => {
    const at = new Date("2026-12-04T17:30:05Z");
    expect(compactStamp(at, "Asia/Shanghai")).toBe("20261205013005");
    expect(compactStamp(at, "UTC")).toBe("20261204173005");
  });
});
