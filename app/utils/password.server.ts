import { createHmac, timingSafeEqual } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { normaliseOneTimePassword } from "~/domain/password";
import { keptSecret } from "./app-secret.server";
import { getEnv } from "./env.server";

// Argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes): every password a person chooses.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/**
 * CAN-1: a six-digit verification code lives 10 minutes; a lighter Argon2id (8 MiB, 1 pass) still
 * makes trying all 10^6 codes from a copy of the table take longer than that. Verification reads
 * the parameters from the hash.
 */
export function hashVerificationCode(code: string): Promise<string> {
  return hash(code, { memoryCost: 8192, timeCost: 1 });
}

// ---------------------------------------------------------------------------------------------
// ORG-9/GRP-2 (decision 0046): one-time passwords are 80 random bits, so a keyed fast hash is
// enough: HMAC-SHA-256 with the deployment's secret, stored as
//   $otp-hmac-sha256$k=<key id>$<MAC, base64url>
// The prefix tells verifyPassword which scheme a stored hash uses; the key id tells a MAC made
// under another secret (the secret was changed: reissue the password) from a wrong password.

export const ONE_TIME_HASH_PREFIX = "$otp-hmac-sha256$";
/** Domain separation: this key's MACs mean "one-time password, format 1" and nothing else. */
const MAC_CONTEXT = "kaowu/one-time-password/v1\0";

/** The deployment's one-time-password secret: ONE_TIME_PASSWORD_SECRET, or one made once and kept in app_secret. */
export function oneTimePasswordSecret(): Promise<string> {
  const fromEnv = getEnv().ONE_TIME_PASSWORD_SECRET;
  return fromEnv ? Promise.resolve(fromEnv) : keptSecret("one_time_password");
}

const keyIds = new Map<string, string>();
function keyId(secret: string): string {
  let id = keyIds.get(secret);
  if (id === undefined) {
    id = createHmac("sha256", secret).update("kaowu/one-time-password/key-id").digest("base64url").slice(0, 8);
    keyIds.set(secret, id);
  }
  return id;
}

function mac(secret: string, canonical: string): Buffer {
  return createHmac("sha256", secret)
    .update(MAC_CONTEXT + canonical)
    .digest();
}

/** The stored form of a one-time password under `secret` (pure: tests and bulk imports call it directly). */
export function oneTimePasswordHash(secret: string, password: string): string {
  const canonical = normaliseOneTimePassword(password);
  if (!canonical) throw new Error("not a one-time password");
  return `${ONE_TIME_HASH_PREFIX}k=${keyId(secret)}$${mac(secret, canonical).toString("base64url")}`;
}

type OneTimeCheck = "ok" | "wrong" | "other_key";

function checkOneTime(secret: string, stored: string, typed: string): OneTimeCheck {
  const m = /^\$otp-hmac-sha256\$k=([A-Za-z0-9_-]{8})\$([A-Za-z0-9_-]{43})$/.exec(stored);
  if (!m) return "wrong";
  if (m[1] !== keyId(secret)) return "other_key";
  const canonical = normaliseOneTimePassword(typed);
  if (!canonical) return "wrong";
  const expected = Buffer.from(m[2], "base64url");
  const actual = mac(secret, canonical);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? "ok" : "wrong";
}

/** Whether `typed` is the one-time password of `stored` under `secret`; compares in constant time. */
export function checkOneTimePasswordHash(secret: string, stored: string, typed: string): boolean {
  return checkOneTime(secret, stored, typed) === "ok";
}

/** A hasher bound to the deployment's secret: thousands of one-time passwords at a few microseconds each. */
export async function oneTimePasswordHasher(): Promise<(password: string) => string> {
  const secret = await oneTimePasswordSecret();
  return (password) => oneTimePasswordHash(secret, password);
}

/** ORG-9: the stored form of a generated one-time password (never of a password a person chose). */
export async function hashOneTimePassword(password: string): Promise<string> {
  return oneTimePasswordHash(await oneTimePasswordSecret(), password);
}

/**
 * Checks a typed password against a stored hash of either scheme: Argon2id (chosen passwords,
 * verification codes, one-time passwords made before decision 0046) or the one-time HMAC.
 */
export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  if (hashed.startsWith(ONE_TIME_HASH_PREFIX)) {
    const check = checkOneTime(await oneTimePasswordSecret(), hashed, password);
    if (check === "other_key")
      console.error(
        "one-time password: made under another key (ONE_TIME_PASSWORD_SECRET changed?); the site reissues it",
      );
    // The MAC takes microseconds: an Argon2 verification beside it makes the answer as slow as for any
    // other account, so response times do not tell which accounts still hold a one-time password.
    await burnVerify(password);
    return check === "ok";
  }
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

// Verifying against a fixed hash when the account does not exist keeps the answer time the same,
// so the login form does not reveal which e-mails have accounts.
let dummy: Promise<string> | undefined;
export async function burnVerify(password: string) {
  dummy ??= hash("not-a-real-password-1");
  try {
    await verify(await dummy, password);
  } catch {
    // a password the library cannot take: nothing to learn from it
  }
}
