import { describe, expect, it } from "vitest";
import { randomToken } from "./random-token.server";

describe("randomToken (X-7)", () => {
  it("X-7: hands out each random byte once, across refills of the pool, in the encoding asked", () => {
    const seen = new Set<string>();
    // 16-byte tokens: 256 fill a pool; 1,000 cross several refills.
    for (let i = 0; i < 1000; i++) {
      const t = randomToken(16, "base64");
      expect(Buffer.from(t, "base64")).toHaveLength(16);
      seen.add(t);
    }
    expect(seen.size).toBe(1000);
    // A size that does not divide the pool: the last bytes of a pool are never reused.
    const odd = Array.from({ length: 800 }, () => randomToken(12, "base64url"));
    expect(new Set(odd).size).toBe(800);
    expect(odd.every((t) => /^[A-Za-z0-9_-]{16}$/.test(t))).toBe(true);
    expect(Buffer.from(randomToken(5000, "base64url"), "base64url")).toHaveLength(5000);
  });
});
