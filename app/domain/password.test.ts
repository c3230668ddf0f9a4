import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkPasswordPolicy,
  makeOneTimePassword,
  normaliseOneTimePassword,
  ONE_TIME_PASSWORD_ALPHABET,
  ONE_TIME_PASSWORD_BITS,
  ONE_TIME_PASSWORD_SYMBOLS,
} from "./password";

describe("password policy (zxcvbn-ts)", () => {
  it.each([
    ["Kaowu-demo-2026", null],
    ["Tr4ck-Jade-91", null],
    ["password1", "pw.common"],
    ["P@ssw0rd", "pw.common"],
    ["qwerty123", "pw.common"],
    ["abcd1234", "pw.common"],
    ["ABCDEFGH23", "pw.weak"],
    ["aaaaaaaa11", "pw.weak"],
    ["abc123", "pw.too_short"],
    ["12345678", "pw.common"],
  ] as const)("CAN-1/ORG-9: %j → %s", (pw, expected) => {
    expect(checkPasswordPolicy(pw)).toBe(expected);
  });

  it("CAN-1: password1 is refused as a common, breached-list password", () => {
    expect(checkPasswordPolicy("password1")).toBe("pw.common");
  });

  it("CAN-1: a password containing the login (e-mail local part or mobile) is refused", () => {
    expect(checkPasswordPolicy("Zhangwei-x7Q!", { email: "zhangwei@example.com" })).toBe("pw.contains_login");
    expect(checkPasswordPolicy("my-13912345678", { mobile: "13912345678" })).toBe("pw.contains_login");
    expect(checkPasswordPolicy("Yo-12345678-q", { mobile: "13912345678" })).toBe("pw.contains_login");
    expect(checkPasswordPolicy("Kaowu-demo-2026", { email: "zhangwei@example.com", mobile: "13912345678" })).toBeNull();
  });

  it("CAN-1: a password containing the name is refused (Latin or Chinese)", () => {
    expect(checkPasswordPolicy("Li.Xiaoming#88", { name: "Li Xiaoming" })).toBe("pw.contains_name");
    expect(checkPasswordPolicy("我是张伟-Pq7x9", { name: "张伟" })).toBe("pw.contains_name");
    expect(checkPasswordPolicy("Kaowu-demo-2026", { name: "张伟" })).toBeNull();
  });

  it("GRP-2/ORG-9: one-time passwords are 80 random bits: 16 symbols of Crockford's base32 in groups of four", () => {
    expect(ONE_TIME_PASSWORD_ALPHABET).toHaveLength(32);
    expect(new Set(ONE_TIME_PASSWORD_ALPHABET).size).toBe(32);
    expect(ONE_TIME_PASSWORD_ALPHABET).not.toMatch(/[ILOU]/);
    expect(ONE_TIME_PASSWORD_SYMBOLS).toBe(16);
    expect(ONE_TIME_PASSWORD_BITS).toBeGreaterThanOrEqual(80);
    const seen = new Set<string>();
    // zxcvbn takes ~5-20 ms a password: 60 samples say as much as 300 without racing the timeout on a busy CI machine.
    for (let i = 0; i < 60; i++) {
      const p = makeOneTimePassword((n) => randomBytes(n));
      expect(p).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      // Never run through the policy in production (replaced at first login), but strong by any measure.
      expect(checkPasswordPolicy(p, { email: "student@example.com", name: "Student" })).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(60);
  });

  it("GRP-2: every random byte value maps to one symbol and every symbol is equally likely (no bias, no rejection)", () => {
    // All 256 byte values, 16 at a time: each of the 32 symbols comes out exactly 8 times.
    const counts = new Map<string, number>();
    let next = 0;
    for (let k = 0; k < 256 / ONE_TIME_PASSWORD_SYMBOLS; k++) {
      const p = makeOneTimePassword((n) => Uint8Array.from({ length: n }, () => next++ % 256));
      for (const c of p.replace(/-/g, "")) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect([...counts.keys()].sort().join("")).toBe([...ONE_TIME_PASSWORD_ALPHABET].sort().join(""));
    expect(new Set(counts.values())).toEqual(new Set([8]));
    // Each symbol depends on its own byte only: 16 independent symbols of 5 bits.
    const zero = makeOneTimePassword((n) => new Uint8Array(n));
    const one = makeOneTimePassword((n) => Uint8Array.from({ length: n }, (_, i) => (i === 5 ? 31 : 0)));
    expect(zero).toBe("0000-0000-0000-0000");
    expect(one).toBe("0000-0Z00-0000-0000");
    // Real randomness, 32,000 symbols: a chi-square test of uniformity (31 degrees of freedom; 80 is p < 10⁻⁵).
    const real = new Map<string, number>();
    for (let i = 0; i < 2000; i++)
      for (const c of makeOneTimePassword((n) => randomBytes(n)).replace(/-/g, "")) real.set(c, (real.get(c) ?? 0) + 1);
    const expected = (2000 * ONE_TIME_PASSWORD_SYMBOLS) / 32;
    const chi = [...ONE_TIME_PASSWORD_ALPHABET].reduce(
      (s, c) => s + ((real.get(c) ?? 0) - expected) ** 2 / expected,
      0,
    );
    expect(chi).toBeLessThan(80);
  });

  it("GRP-2: a typed one-time password is read as Crockford's base32 reads it: any case, spaces, O as 0, I and L as 1", () => {
    expect(normaliseOneTimePassword("7KQM-2XDF-9TAC-WP4R")).toBe("7KQM2XDF9TACWP4R");
    expect(normaliseOneTimePassword(" 7kqm 2xdf 9tac wp4r ")).toBe("7KQM2XDF9TACWP4R");
    expect(normaliseOneTimePassword("７ＫＱＭ－２ＸＤＦ－９ＴＡＣ－ＷＰ４Ｒ")).toBe("7KQM2XDF9TACWP4R");
    expect(normaliseOneTimePassword("O0Il-1000-0000-0000")).toBe("0011100000000000");
    // Too short, too long, or with a symbol outside the alphabet: not a one-time password.
    expect(normaliseOneTimePassword("7KQM-2XDF-9TAC-WP4")).toBeNull();
    expect(normaliseOneTimePassword("7KQM-2XDF-9TAC-WP4R-A")).toBeNull();
    expect(normaliseOneTimePassword("7KQM-2XDF-9TAC-WP4U")).toBeNull();
    expect(normaliseOneTimePassword("Kaowu-demo-2026")).toBeNull();
  });
});
