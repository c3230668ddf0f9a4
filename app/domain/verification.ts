import { maskEmail, maskMobile } from "./account-lookup";

/**
 * CAN-1/ORG-9 (decision 0019): one-time verification codes that prove control of an e-mail address
 * or mobile number, and the life of a site's one-time password. Pure rules; the service stores the
 * codes (hashed) and sends them.
 */

export const CODE_DIGITS = 6;
/** A code is good for 10 minutes. */
export const CODE_TTL_MS = 10 * 60_000;
/** Wrong entries allowed per code; then a new code must be asked for. */
export const CODE_MAX_ATTEMPTS = 5;
/** Codes sent to one address per hour (sign-up and recovery together). */
export const CODE_SENDS_PER_TARGET_PER_HOUR = 5;
/**
 * Codes asked for from one client address per hour. Schools and mobile carriers put many people
 * behind one address, so this is set against bulk abuse, not one person (decision 0019).
 */
export const CODE_SENDS_PER_IP_PER_HOUR = 30;
export const CODE_WINDOW_MS = 60 * 60_000;
/** ORG-9: a one-time password handed out by a site expires after 14 days. */
export const ONE_TIME_PASSWORD_TTL_MS = 14 * 24 * 60 * 60_000;

export type CodePurpose = "signup" | "recover";

/** Six decimal digits, leading zeros kept. `randomInt(max)` returns 0 … max-1. */
export function makeCode(randomInt: (max: number) => number): string {
  return String(randomInt(10 ** CODE_DIGITS)).padStart(CODE_DIGITS, "0");
}

/** What a user typed, as a code: digits only (full-width digits and spaces forgiven). */
export function normaliseCode(input: string): string | null {
  const s = input.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\s+/g, "");
  return new RegExp(`^\\d{${CODE_DIGITS}}$`).test(s) ? s : null;
}

export interface StoredCode {
  expiresAt: Date;
  attempts: number;
  consumedAt: Date | null;
}

export type CodeState = "open" | "expired" | "used" | "too_many_attempts";

/** Whether a stored code may still be tried. */
export function codeState(code: StoredCode, now: Date): CodeState {
  if (code.consumedAt) return "used";
  if (code.attempts >= CODE_MAX_ATTEMPTS) return "too_many_attempts";
  if (now.getTime() >= code.expiresAt.getTime()) return "expired";
  return "open";
}

export function codeExpiry(now: Date): Date {
  return new Date(now.getTime() + CODE_TTL_MS);
}

/**
 * Rate limit of sends: codes sent in the last hour to the address and from the client. The same
 * answer whether the address has an account or not, so the limit reveals nothing.
 */
export function sendRefusal(
  sentToTarget: number,
  sentFromIp: number,
): "verify.too_many_sends" | "verify.too_many_from_ip" | null {
  if (sentToTarget >= CODE_SENDS_PER_TARGET_PER_HOUR) return "verify.too_many_sends";
  if (sentFromIp >= CODE_SENDS_PER_IP_PER_HOUR) return "verify.too_many_from_ip";
  return null;
}

export function oneTimePasswordExpiry(now: Date): Date {
  return new Date(now.getTime() + ONE_TIME_PASSWORD_TTL_MS);
}

/** ORG-9: a one-time password not yet replaced may be used until it expires; a chosen password never expires. */
export function oneTimePasswordExpired(
  account: { must_change_password: boolean; otp_expires_at: Date | null },
  now: Date,
): boolean {
  return (
    account.must_change_password && account.otp_expires_at !== null && now.getTime() >= account.otp_expires_at.getTime()
  );
}

/**
 * GRP-4/CAN-1: an account belongs to a person when they proved its e-mail or mobile with a code, or
 * when a site created it (or took it over) and handed its one-time password out on its credentials
 * sheet (decision 0019). Anything else is an unproven sign-up from before codes existed.
 */
export function isProvenAccount(a: {
  email_verified_at: Date | null;
  mobile_verified_at: Date | null;
  site_vouched_at: Date | null;
}): boolean {
  return a.email_verified_at !== null || a.mobile_verified_at !== null || a.site_vouched_at !== null;
}

/** how a code's destination is shown back to whoever asked ("zh***@example.com", "138****0000"). */
export function maskTarget(target: string): string {
  return target.includes("@") ? maskEmail(target) : maskMobile(target);
}
