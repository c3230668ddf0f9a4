import { describe, expect, it } from "vitest";
import {
  CODE_MAX_ATTEMPTS,
  CODE_SENDS_PER_IP_PER_HOUR,
  CODE_SENDS_PER_TARGET_PER_HOUR,
  CODE_TTL_MS,
  codeExpiry,
  codeState,
  isProvenAccount,
  makeCode,
  maskTarget,
  normaliseCode,
  oneTimePasswordExpired,
  oneTimePasswordExpiry,
  sendRefusal,
} from "./verification";

const now = new Date("2026-12-04T10:00:00Z");

describe("verification codes (CAN-1, ORG-9)", () => {
  it("CAN-1: a code is six digits, leading zeros kept", () => {
    expect(makeCode(() => 42)).toBe("000042");
    expect(makeCode((max) => max - 1)).toBe("999999");
    expect(normaliseCode(" １２3 456 ")).toBe("123456");
    expect(normaliseCode("12345")).toBeNull();
    expect(normaliseCode("12345a")).toBeNull();
  });

  it("CAN-1: a code expires after 10 minutes", () => {
    const expiresAt = codeExpiry(now);
    expect(expiresAt.getTime() - now.getTime()).toBe(CODE_TTL_MS);
    expect(CODE_TTL_MS).toBe(10 * 60_000);
    expect(codeState({ expiresAt, attempts: 0, consumedAt: null }, new Date(now.getTime() + CODE_TTL_MS - 1))).toBe(
      "open",
    );
    expect(codeState({ expiresAt, attempts: 0, consumedAt: null }, new Date(now.getTime() + CODE_TTL_MS))).toBe(
      "expired",
    );
  });

  it("CAN-1: a code takes a limited number of wrong entries, and is used once", () => {
    const expiresAt = codeExpiry(now);
    expect(codeState({ expiresAt, attempts: CODE_MAX_ATTEMPTS - 1, consumedAt: null }, now)).toBe("open");
    expect(codeState({ expiresAt, attempts: CODE_MAX_ATTEMPTS, consumedAt: null }, now)).toBe("too_many_attempts");
    expect(codeState({ expiresAt, attempts: 0, consumedAt: now }, now)).toBe("used");
  });

  it("CAN-1: sends are limited per address and per client address each hour", () => {
    expect(sendRefusal(CODE_SENDS_PER_TARGET_PER_HOUR - 1, 0)).toBeNull();
    expect(sendRefusal(CODE_SENDS_PER_TARGET_PER_HOUR, 0)).toBe("verify.too_many_sends");
    expect(sendRefusal(0, CODE_SENDS_PER_IP_PER_HOUR)).toBe("verify.too_many_from_ip");
  });

  it("ORG-9: a one-time password expires after 14 days; a chosen password never does", () => {
    const otp_expires_at = oneTimePasswordExpiry(now);
    expect(otp_expires_at.getTime() - now.getTime()).toBe(14 * 24 * 3600_000);
    expect(
      oneTimePasswordExpired({ must_change_password: true, otp_expires_at }, new Date(otp_expires_at.getTime() - 1)),
    ).toBe(false);
    expect(oneTimePasswordExpired({ must_change_password: true, otp_expires_at }, otp_expires_at)).toBe(true);
    expect(
      oneTimePasswordExpired({ must_change_password: false, otp_expires_at }, new Date(otp_expires_at.getTime() + 1)),
    ).toBe(false);
  });

  it("GRP-4: an account is proven by a code on its e-mail or mobile, or by the site that issued it", () => {
    const none = { email_verified_at: null, mobile_verified_at: null, site_vouched_at: null };
    expect(isProvenAccount(none)).toBe(false);
    expect(isProvenAccount({ ...none, email_verified_at: now })).toBe(true);
    expect(isProvenAccount({ ...none, mobile_verified_at: now })).toBe(true);
    expect(isProvenAccount({ ...none, site_vouched_at: now })).toBe(true);
  });

  it("X-4: the destination is shown masked", () => {
    expect(maskTarget("zhangwei@example.com")).toBe("zh***@example.com");
    expect(maskTarget("13912345678")).toBe("139****5678");
  });
});
