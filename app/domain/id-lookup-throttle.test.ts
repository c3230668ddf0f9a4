import { describe, expect, it } from "vitest";
import { ID_LOOKUP_LIMIT, takeLookup, type LookupWindow } from "./id-lookup-throttle";

describe("ID-number look-up throttle (SR-6, X-4)", () => {
  const t0 = new Date("2027-03-01T08:00:00Z");
  const at = (min: number) => new Date(t0.getTime() + min * 60_000);

  it("SR-6: an account may look up ten ID numbers an hour; the eleventh waits for the window to end", () => {
    let s: LookupWindow | undefined;
    for (let i = 0; i < ID_LOOKUP_LIMIT.max; i++) {
      const d = takeLookup(s, at(i));
      expect(d.allowed).toBe(true);
      if (d.allowed) s = d.next;
    }
    expect(s).toEqual({ windowStart: t0, count: 10 });
    expect(takeLookup(s, at(30))).toEqual({ allowed: false, retryAt: at(60) });
  });

  it("SR-6: a new window starts an hour after the first look-up", () => {
    const full: LookupWindow = { windowStart: t0, count: 10 };
    expect(takeLookup(full, at(59.9)).allowed).toBe(false);
    expect(takeLookup(full, at(60))).toEqual({ allowed: true, next: { windowStart: at(60), count: 1 } });
  });

  it("SR-6: the first look-up of an account opens its window", () => {
    expect(takeLookup(undefined, t0)).toEqual({ allowed: true, next: { windowStart: t0, count: 1 } });
  });
});
