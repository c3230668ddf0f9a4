import { randomBytes } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOneTimePassword } from "~/domain/password";
import { resetEnvCache } from "./env.server";
import {
  checkOneTimePasswordHash,
  hashOneTimePassword,
  hashPassword,
  hashVerificationCode,
  oneTimePasswordHash,
  verifyPassword,
} from "./password.server";

// The deployment's key from the environment: no database needed here (the integration tests use the kept one).
const SECRET = "unit-test-one-time-password-secret-0123456789";
const saved = process.env.ONE_TIME_PASSWORD_SECRET;
beforeAll(() => {
  process.env.ONE_TIME_PASSWORD_SECRET = SECRET;
  resetEnvCache();
});
afterAll(() => {
  if (saved === undefined) delete process.env.ONE_TIME_PASSWORD_SECRET;
  else process.env.ONE_TIME_PASSWORD_SECRET = saved;
  resetEnvCache();
});

describe("one-time password hashes (decision 0046)", () => {
  it("GRP-2/ORG-9: a one-time password is stored as an HMAC-SHA-256 under the deployment's key, with its scheme as a prefix", async () => {
    const otp = makeOneTimePassword((n) => randomBytes(n));
    const stored = await hashOneTimePassword(otp);
    expect(stored).toMatch(/^\$otp-hmac-sha256\$k=[A-Za-z0-9_-]{8}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).toBe(oneTimePasswordHash(SECRET, otp));
    // Nothing of the password in its hash.
    expect(stored).not.toContain(otp.replace(/-/g, "").slice(0, 4));
    // Deterministic under one key (no salt needed: 80 random bits), different under another.
    expect(await hashOneTimePassword(otp)).toBe(stored);
    expect(oneTimePasswordHash(`${SECRET}x`, otp)).not.toBe(stored);
    // Only generated one-time passwords go this way: anything else is a programming error.
    expect(() => oneTimePasswordHash(SECRET, "Kaowu-demo-2026")).toThrow();
  });

  it("GRP-2/ORG-9: the one-time password verifies as printed and as typed; a wrong or tampered one fails", async () => {
    const otp = makeOneTimePassword((n) => randomBytes(n));
    const stored = await hashOneTimePassword(otp);
    expect(await verifyPassword(stored, otp)).toBe(true);
    expect(await verifyPassword(stored, ` ${otp.toLowerCase().replace(/-/g, " ")} `)).toBe(true);
    // One symbol changed.
    const last = otp.at(-1) === "0" ? "1" : "0";
    expect(await verifyPassword(stored, otp.slice(0, -1) + last)).toBe(false);
    expect(await verifyPassword(stored, "")).toBe(false);
    // The stored MAC tampered with (one character), cut short, or under another key id: refused.
    const mac = stored.slice(stored.lastIndexOf("$") + 1);
    const flipped = stored.slice(0, -mac.length) + (mac[0] === "A" ? "B" : "A") + mac.slice(1);
    expect(await verifyPassword(flipped, otp)).toBe(false);
    expect(await verifyPassword(stored.slice(0, -1), otp)).toBe(false);
    expect(await verifyPassword(stored.replace(/k=[^$]+/, "k=AAAAAAAA"), otp)).toBe(false);
    // Under another deployment's key it is not the same password.
    expect(checkOneTimePasswordHash(`${SECRET}x`, stored, otp)).toBe(false);
    expect(checkOneTimePasswordHash(SECRET, stored, otp)).toBe(true);
  });

  it("GRP-2/ORG-9: Argon2 hashes keep verifying: one-time passwords made before the change and passwords people chose", async () => {
    // A one-time password of the old format, hashed as it was (light Argon2id), still logs in.
    const old = "Hk7mPq2xRt9w";
    const oldHash = await hash(old, { memoryCost: 8192, timeCost: 1 });
    expect(await verifyPassword(oldHash, old)).toBe(true);
    expect(await verifyPassword(oldHash, "Hk7mPq2xRt9W")).toBe(false);
    const tampered = oldHash.slice(0, -2) + (oldHash.at(-2) === "A" ? "B" : "A") + oldHash.at(-1);
    expect(await verifyPassword(tampered, old)).toBe(false);
    // A chosen password stays on Argon2id with the library's defaults; a verification code on the light one.
    const chosen = await hashPassword("Kaowu-demo-2026");
    expect(chosen).toMatch(/^\$argon2id\$v=19\$m=19456,t=2/);
    expect(await verifyPassword(chosen, "Kaowu-demo-2026")).toBe(true);
    expect(await hashVerificationCode("123456")).toMatch(/^\$argon2id\$v=19\$m=8192,t=1/);
    // Garbage in the column is a refusal, not an error.
    expect(await verifyPassword("not a hash", "whatever")).toBe(false);
  });
});
