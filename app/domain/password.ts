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

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
/** 12 characters of 57: ~70 bits; zxcvbn rates every one of them score 3 or more (password.test.ts). */
export const ONE_TIME_PASSWORD_LENGTH = 12;

/**
 * ORG-9: a random one-time password without look-alike characters, with letters and digits. The
 * full policy is not run per password (2–3 ms each would add seconds to an import of thousands of
 * accounts); the length makes every one pass it, as the unit test checks on many samples.
 */
export function makeOneTimePassword(randomBytes: (n: number) => Uint8Array, length = ONE_TIME_PASSWORD_LENGTH): string {
  for (;;) {
    const bytes = randomBytes(length);
    let s = "";
    // 256 is not a multiple of 57: bytes ≥ 228 are skipped, so every character is equally likely.
    for (const b of bytes) if (b < 228) s += ALPHABET[b % ALPHABET.length];
    if (s.length === length && /[A-Za-z]/.test(s) && /\d/.test(s) && !/(.)\1\1/.test(s)) return s;
  }
}
