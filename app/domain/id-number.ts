/**
 * ID numbers by ID type (CAN-3; DOMAIN.md "ID-number validation"). Pure: `now` is a parameter.
 * The ID number is the candidate's key for matching across sites, photo file names and score
 * files, so it is normalised once (normaliseIdNumber) and validated in that form.
 */
import { parseDateValue, toHalfWidth } from "./import-values";

/** ID-type codes (DOMAIN.md "Code tables"; names in templates/code-tables.ts). */
export const ID_TYPES = ["1", "6", "7", "8", "9", "A", "C", "Z"] as const;
export type IdType = (typeof ID_TYPES)[number];

export function isIdType(s: string): s is IdType {
  return (ID_TYPES as readonly string[]).includes(s);
}

export type IdProblem = "id.empty" | "id.format" | "id.check_digit" | "id.birth_date";

/** CAN-3: trim, full-width to half-width, no whitespace at all, upper case (a trailing `x` is `X`). */
export function normaliseIdNumber(raw: string): string {
  return toHalfWidth(raw)
    .replace(/[\s\u200B-\u200D\uFEFF]/g, "")
    .toUpperCase();
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = "10X98765432";

/** GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

const RESIDENT_ID = /^\d{17}[\dX]$/;
const RESIDENCE_PERMIT = /^8[123]0000\d{11}[\dX]$/; // HK 810000, Macao 820000, Taiwan 830000
const PERMANENT_RESIDENCE_2017 = /^[A-Z]{3}\d{12}$/;
const PERMANENT_RESIDENCE_2023 = /^9\d{16}[\dX]$/;
const HK_MACAO_PERMIT = /^[HM](\d{8}|\d{10})$/;
const TAIWAN_PERMIT = /^(\d{8}|\d{10})$/;
const CHINESE_PASSPORT = /^E[0-9A-HJ-NP-Z]\d{7}$|^[EG]\d{8}$/;
const PASSPORT_LIKE = /^[A-Z0-9]{5,17}$/;
const OTHER = /^[A-Z0-9-]{4,30}$/;

/** Whether the ID carries a GB 11643 birth date and check character (so also a gender digit). */
function hasEmbeddedBirthDate(type: IdType, id: string): boolean {
  if (type === "1") return RESIDENT_ID.test(id);
  if (type === "C") return RESIDENCE_PERMIT.test(id);
  if (type === "9") return PERMANENT_RESIDENCE_2023.test(id);
  return false;
}

/** Digits 7–14 as a real date from 1900 on and not after `now` (a date counts from its UTC midnight). */
function embeddedBirthDate(id: string, now: Date): string | null {
  const date = parseDateValue(id.slice(6, 14));
  // ISO dates compare as text: after today's UTC date means after `now`.
  if (!date || date > now.toISOString().slice(0, 10)) return null;
  return date;
}

/**
 * CAN-3: validate an already normalised ID number against its type. Resident IDs, residence
 * permits and 2023 permanent-residence IDs are checked down to their birth date and check
 * character; the other types by format only.
 */
export function validateIdNumber(type: IdType, id: string, now: Date = new Date()): IdProblem | null {
  return idFacts(type, id, now).problem;
}

/**
 * What an ID number says, in one pass: its problem (as `validateIdNumber`), and for a valid ID that
 * carries them (GB 11643) the birth date and gender it holds. An import asks this for every row.
 */
export function idFacts(
  type: IdType,
  id: string,
  now: Date = new Date(),
): { problem: IdProblem | null; born: string | null; gender: "1" | "2" | null } {
  const none = { born: null, gender: null };
  if (id === "") return { problem: "id.empty", ...none };
  if (hasEmbeddedBirthDate(type, id)) {
    const born = embeddedBirthDate(id, now);
    if (!born) return { problem: "id.birth_date", ...none };
    if (idCheckCharacter(id) !== id[17]) return { problem: "id.check_digit", ...none };
    // GB/T 2261.1: digit 17 odd = "1" (male), even = "2" (female).
    return { problem: null, born, gender: Number(id[16]) % 2 === 1 ? "1" : "2" };
  }
  return { problem: formatProblem(type, id), ...none };
}

function formatProblem(type: IdType, id: string): IdProblem | null {
  // Types 1 and C end up in `default` when their pattern fails, 15-digit first-generation IDs included.
  switch (type) {
    case "6":
    case "7":
      return HK_MACAO_PERMIT.test(id) || PASSPORT_LIKE.test(id) ? null : "id.format";
    case "8":
      return TAIWAN_PERMIT.test(id) ? null : "id.format";
    case "9":
      return PERMANENT_RESIDENCE_2017.test(id) ? null : "id.format";
    case "A":
      return CHINESE_PASSPORT.test(id) || PASSPORT_LIKE.test(id) ? null : "id.format";
    case "Z":
      return OTHER.test(id) ? null : "id.format";
    default:
      return "id.format";
  }
}

/** The birth date ('YYYY-MM-DD') a valid ID carries (types 1, C, 2023-style 9), else null. */
export function birthDateFromId(type: IdType, id: string, now: Date = new Date()): string | null {
  return idFacts(type, id, now).born;
}

/** GB/T 2261.1 gender from a valid ID of the same types: digit 17 odd = "1" (male), even = "2" (female). */
export function genderFromId(type: IdType, id: string, now: Date = new Date()): "1" | "2" | null {
  return idFacts(type, id, now).gender;
}

/** what an export or a sheet shows of an ID number: its last four characters only. */
export function idLastFour(id: string): string {
  return [...id].slice(-4).join("");
}

/** hide all but the last four characters, keeping the length. */
export function maskIdNumber(id: string): string {
  const chars = [...id];
  const keep = Math.min(4, chars.length);
  return "*".repeat(chars.length - keep) + chars.slice(chars.length - keep).join("");
}

/**
 * a list never shows the birth date beside the masked ID (the resident ID's digits 7–14 are
 * the birth date, so the two together leave only the region code hidden): it is masked as a whole.
 */
export function maskBirthDate(date: string | null | undefined): string {
  return date ? "****-**-**" : "";
}

/**
 * An 18-digit ID typed into Excel as a number keeps only 15 significant digits (the rest become
 * zeros, the X is lost). Such a cell cannot be repaired: imports refuse it and ask for text cells.
 */
export function looksLikeLostPrecision(v: unknown): boolean {
  if (typeof v === "number") return v >= 1e15;
  // The same cell saved by Excel as CSV: "1.10105E+17" (full-width forms included).
  if (typeof v !== "string") return false;
  const s = v
    .trim()
    .replace(/[\uFF0B\uFF0E\uFF10-\uFF19\uFF25\uFF45]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return /^\d(?:\.\d+)?[eE]\+?\d{1,3}$/.test(s) && Number(s) >= 1e15;
}
