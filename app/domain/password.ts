import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as zxcvbnCommon from "@zxcvbn-ts/language-common";
import * as zxcvbnEn from "@zxcvbn-ts/language-en";

/**
 * Password policy (CAN-1, ORG-9; decision 0019). Strength is judged by zxcvbn-ts (its common-password
 * and English dictionaries, keyboard patterns, dates, repeats, l33t) rather than by hand rules;
 * on top of it a minimum length and no login or name inside the password. Each refusal says why.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn score 3: about 10^8 guesses or more ("safely unguessable" against online guessing). */
const MIN_SCORE = 3;

export type PasswordProblem =
  "pw.too_short" | "pw.too_long" | "pw.contains_login" | "pw.contains_name" | "pw.common" | "pw.weak";

/** Who the password is for: the login (e-mail, mobile) and the name must not be in it. */
export interface PasswordOwner {
  email?: string | null;
  mobile?: string | null;
  name?: string | null;
}

let factory: ZxcvbnFactory | undefined;
// The dictionaries take ~0.3 s to rank: once per process, on first use.
function zxcvbn() {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  });
  return factory;
}

/** The parts of the login and name that must not appear in the password (lower case). */
export function ownerWords(owner: PasswordOwner): { login: string[]; name: string[] } {
  const login: string[] = [];
  const email = owner.email?.trim().toLowerCase();
  if (email) {
    const local = email.split("@")[0];
    if (local.length >= 3) login.push(local);
    // "zhang.san" also hides "zhang" behind the dot (parts of 4 or more: "new" or "li" alone would refuse too much).
    for (const part of local.split(/[._+-]+/)) if (part.length >= 4 && part !== local) login.push(part);
  }
  const mobile = owner.mobile?.replace(/\D/g, "");
  if (mobile && mobile.length >= 7) {
    login.push(mobile);
    // The last 8 digits are what people type as "my number".
    login.push(mobile.slice(-8));
  }
  const name: string[] = [];
  const n = owner.name?.trim().toLowerCase().replace(/\s+/g, " ");
  if (n) {
    // Chinese names are short: two characters of one are enough to count.
    const minLength = /[\u3400-\u9fff]/.test(n) ? 2 : 3;
    if (n.replace(/ /g, "").length >= minLength) name.push(n.replace(/ /g, ""));
    for (const part of n.split(" ")) if (part.length >= 4) name.push(part);
  }
  return { login: [...new Set(login)], name: [...new Set(name)] };
}

/** null when the password may be used; otherwise the reason, as a message key. */
export function checkPasswordPolicy(password: string, owner: PasswordOwner = {}): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return "pw.too_short";
  if (password.length > PASSWORD_MAX_LENGTH) return "pw.too_long";
  const lower = password.toLowerCase();
  const words = ownerWords(owner);
  if (words.login.some((w) => lower.includes(w))) return "pw.contains_login";
  if (words.name.some((w) => lower.includes(w))) return "pw.contains_name";
  const result = zxcvbn().check(password, [...words.login, ...words.name]);
  if (result.score >= MIN_SCORE) return null;
  // A password built mainly on a breached-list entry gets the plainer explanation.
  const common = result.sequence.some(
    (m) =>
      m.pattern === "dictionary" && m.dictionaryName === "passwords-common" && m.token.length >= password.length / 2,
  );
  return common ? "pw.common" : "pw.weak";
}

/**
 * ORG-9 (decision 0046): the alphabet of one-time passwords, Crockford's base32: digits and capital
 * letters without I, L, O and U. 32 symbols, so each carries exactly 5 bits.
 */
export const ONE_TIME_PASSWORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** Symbols in a one-time password, printed in groups of 4: `7KQM-2XDF-9TAC-WP4R`. */
export const ONE_TIME_PASSWORD_SYMBOLS = 16;
/** 16 symbols × 5 bits: every one-time password is one of 2^80, all equally likely. */
export const ONE_TIME_PASSWORD_BITS = ONE_TIME_PASSWORD_SYMBOLS * Math.log2(ONE_TIME_PASSWORD_ALPHABET.length);
const GROUP = 4;

/**
 * ORG-9/GRP-2 (decision 0046): a random one-time password of 80 bits, typed by its owner from a
 * printed sheet or a screen: 16 symbols of Crockford's base32 in groups of four. Each symbol is the
 * low 5 bits of one random byte (256 is a multiple of 32: no bias, nothing rejected), so the
 * entropy is exactly 80 bits. It is never run through the password policy: it is replaced at first
 * login, and its strength is its randomness (zxcvbn still rates it "strong", password.test.ts).
 */
export function makeOneTimePassword(randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(ONE_TIME_PASSWORD_SYMBOLS);
  if (bytes.length < ONE_TIME_PASSWORD_SYMBOLS) throw new Error("makeOneTimePassword: short random source");
  let s = "";
  for (let i = 0; i < ONE_TIME_PASSWORD_SYMBOLS; i++) {
    if (i > 0 && i % GROUP === 0) s += "-";
    s += ONE_TIME_PASSWORD_ALPHABET[bytes[i] & 31];
  }
  return s;
}

/**
 * A typed one-time password in its one canonical form (16 symbols, no separators), or null when it
 * cannot be one. Forgiving as Crockford's base32 is: any case, spaces and hyphens anywhere,
 * full-width characters from a Chinese input method, O read as 0, I and L as 1. The forgiveness
 * costs no entropy: every typed form maps to exactly one of the 2^80 passwords.
 */
export function normaliseOneTimePassword(typed: string): string | null {
  const s = typed
    // Full-width ASCII (ＡＢＣ１２３－) and the ideographic space, as a Chinese IME types them.
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\-\u2010-\u2015]/g, "")
    .toUpperCase()
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (s.length !== ONE_TIME_PASSWORD_SYMBOLS) return null;
  for (const c of s) if (!ONE_TIME_PASSWORD_ALPHABET.includes(c)) return null;
  return s;
}
