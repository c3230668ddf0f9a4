import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkPasswordPolicy, makeOneTimePassword } from "./password";

describe("password policy", () => {
  it.each([
    ["Kaowu-demo-2026", null],
    ["abcd1234", null],
    ["abc123", "password.policy"],
    ["abcdefgh", "password.policy"],
    ["12345678", "password.policy"],
    ["123456", "password.policy"],
  ] as const)("CAN-1/ORG-9: %j", (pw, expected) => {
    expect(checkPasswordPolicy(pw)).toBe(expected);
  });

  it("ORG-9: one-time passwords are random and always meet the policy", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const p = makeOneTimePassword((n) => randomBytes(n));
      expect(checkPasswordPolicy(p)).toBeNull();
      expect(p).not.toMatch(/[0O1lI]/);
      seen.add(p);
    }
    expect(seen.size).toBe(500);
  });
});
