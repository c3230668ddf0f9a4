import { describe, expect, it } from "vitest";
import { isCrossOriginMutation } from "./origin";

describe("cross-origin form posts", () => {
  it.each([
    ["same-origin POST", "POST", "kw.example", "https://kw.example", undefined, false],
    ["cross-origin POST", "POST", "kw.example", "https://evil.example", undefined, true],
    ["opaque origin", "POST", "kw.example", "null", undefined, true],
    ["referer only, other host", "POST", "kw.example", undefined, "https://evil.example/form", true],
    ["referer only, same host", "POST", "kw.example", undefined, "https://kw.example/admin", false],
    ["no browser headers (a script)", "POST", "kw.example", undefined, undefined, false],
    ["cross-origin GET", "GET", "kw.example", "https://evil.example", undefined, false],
  ] as const)("%s", (_l, method, host, origin, referer, expected) => {
    expect(isCrossOriginMutation(method, host, origin, referer)).toBe(expected);
  });
});
