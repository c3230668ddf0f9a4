import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkPasswordPolicy, makeOneTimePassword, ONE_TIME_PASSWORD_LENGTH } from "./password";

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

  it("ORG-9: one-time passwords are random, without look-alikes, and always meet the policy", () => {
    const seen = new Set<string>();
    // zxcvbn takes ~5-20 ms a password: 60 samples say as much as 300 without racing the timeout on a busy CI machine.
    for (let i = 0; i < 60; i++) {
      const p = makeOneTimePassword((n) => randomBytes(n));
      expect(p).toHaveLength(ONE_TIME_PASSWORD_LENGTH);
      expect(checkPasswordPolicy(p, { email: "student@example.com", name: "Student" })).toBeNull();
      expect(p).not.toMatch(/[0O1lI]/);
      seen.add(p);
    }
    expect(seen.size).toBe(60);
  });
});
