/**
 * Cell values from imported spreadsheets and data files (SR-2, CAN-3). Pure: no I/O.
 * Spreadsheets typed in Chinese input methods are full of full-width digits, ideographic spaces
 * and invisible characters; everything that is matched or validated goes through here first.
 */

/** Full-width ASCII (U+FF01–U+FF5E) to half-width, ideographic space to a plain space. */
export function toHalfWidth(s: string): string {
  // Most cells hold none: a test allocates nothing (100,000-row imports call this per cell).
  if (!HAS_FULL_WIDTH.test(s)) return s;
  return s.replace(/[\uFF01-\uFF5E\u3000]/g, (c) =>
    c === "\u3000" ? " " : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

const HAS_FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;

// Zero-width space/joiners and the BOM: invisible, but they break matching (often pasted from web pages).
const ZERO_WIDTH = /[\u200B-\u200D\uFEFF]/g;

/** A number as a spreadsheet shows it: integers in full (no exponent), fractions to 15 significant digits like Excel. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return "";
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  // 0.1 + 0.2 stored by Excel should read 0.3, not 0.30000000000000004.
  return String(Number(n.toPrecision(15)));
}

function isoDate(d: Date): string {
  const y = String(d.getUTCFullYear()).padStart(4, "0");
  const m = String(d.getUTCMonth() + 1).padStart(2, "0");
  const day = String(d.getUTCDate()).padStart(2, "0");
  return `${y}-${m}-${day}`;
}

/** The raw text of a cell, before trimming: understands the value shapes exceljs produces. */
function rawText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberText(v);
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "" : isoDate(v);
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText))
      return o.richText.map((r: unknown) => rawText((r as { text?: unknown } | null)?.text)).join("");
    // Formula cells (plain or shared) carry their last computed value.
    if ("formula" in o || "sharedFormula" in o || "result" in o) return rawText(o.result);
    // Hyperlink cells: the shown text (itself possibly rich text), not the target.
    if ("text" in o) return rawText(o.text);
  }
  // Error cells ({error: "#N/A"}) and anything unknown hold no usable value.
  return "";
}

// What cleanText would change: an invisible character, whitespace other than one plain space between words, or a space at an end.
const NEEDS_CLEANING = /[\u200B-\u200D\uFEFF]|[^\S ]| {2}|^ | $/;

/** A cell value as a trimmed single-line string ("" for empty). */
export function cleanText(v: unknown): string {
  if (typeof v === "string" && !NEEDS_CLEANING.test(v)) return v;
  return rawText(v).replace(ZERO_WIDTH, "").replace(/\s+/g, " ").trim();
}

const MS_PER_DAY = 86_400_000;
// Excel's 1900 date system: serial 1 = 1900-01-01, and it believes 1900 was a leap year (serial 60 = 1900-02-29).
const EXCEL_EPOCH_BEFORE_LEAP_BUG = Date.UTC(1899, 11, 31);
const EXCEL_EPOCH_AFTER_LEAP_BUG = Date.UTC(1899, 11, 30);
const EXCEL_MAX_SERIAL = 2_958_465; // 9999-12-31

/** 'YYYY-MM-DD' for a real calendar date from year 1900 on, else null. */
function ymd(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  if (d > daysInMonth(y, m)) return null; // 2005-02-30
  // Arithmetic, not a Date: every birth date of a 100,000-row import passes here, some twice.
  return `${y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (y: number, m: number) =>
  m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS_IN_MONTH[m - 1];

const TEXT_DATES: ReadonlyArray<RegExp> = [
  // The same separator throughout: 2005-03-08, 2005/3/8, 2005.3.8; an exported time of day is ignored.
  /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/,
  /^(\d{4})()(\d{2})(\d{2})$/, // 20050308 (the empty group keeps the indices of the first pattern)
  /^(\d{4})\s*(年)\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/,
];

/**
 * A date cell as 'YYYY-MM-DD', or null if it is not a real date. Accepts a Date (UTC parts, which is
 * how exceljs hands over date cells), an Excel serial number, or the text forms people type.
 */
export function parseDateValue(v: unknown): string | null {
  if (v instanceof Date) {
    return Number.isNaN(v.getTime()) ? null : ymd(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
  }
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return null;
    const serial = Math.floor(v); // the fraction is the time of day
    if (serial < 1 || serial > EXCEL_MAX_SERIAL || serial === 60) return null;
    const epoch = serial < 60 ? EXCEL_EPOCH_BEFORE_LEAP_BUG : EXCEL_EPOCH_AFTER_LEAP_BUG;
    return isoDate(new Date(epoch + serial * MS_PER_DAY));
  }
  let text: string;
  if (typeof v === "string") text = v;
  else if (v !== null && typeof v === "object") {
    // A formula whose result is a Date or a serial: judge the result, not its text.
    if ("result" in v) return parseDateValue((v as { result: unknown }).result);
    text = cleanText(v); // rich text, hyperlink
  } else return null;
  text = toHalfWidth(cleanText(text)).trim();
  for (const re of TEXT_DATES) {
    const m = re.exec(text);
    if (m) return ymd(Number(m[1]), Number(m[3]), Number(m[4]));
  }
  return null;
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE_WITH_AREA = /^0\d{6,11}$/;
const LANDLINE_LOCAL = /^\d{7,8}$/;

/**
 * A contact phone as bare digits, or null. Mainland mobiles and landlines (with or without area
 * code); the country code is dropped since every number here is mainland.
 */
export function normalisePhone(s: string): string | null {
  let digits = toHalfWidth(s).replace(/[\s\-\u2010-\u2015\u2212()]/g, "");
  let international = false;
  if (digits.startsWith("+86")) [digits, international] = [digits.slice(3), true];
  else if (digits.startsWith("0086")) [digits, international] = [digits.slice(4), true];
  if (!/^\d+$/.test(digits)) return null;
  // +86 10 1234 5678: the international form drops the landline's trunk 0; put it back.
  if (international && !MOBILE.test(digits) && !digits.startsWith("0")) digits = `0${digits}`;
  if (MOBILE.test(digits) || LANDLINE_WITH_AREA.test(digits) || LANDLINE_LOCAL.test(digits)) return digits;
  return null;
}

// Pragmatic: ASCII local part and dotted host names with a letter TLD; no quoted or IP-literal forms.
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;

/** Whether the text is a plausible e-mail address (full-width characters are converted first). */
export function isEmail(s: string): boolean {
  const t = toHalfWidth(s).trim();
  return t.length <= 254 && EMAIL.test(t);
}

/** Headers are matched by name, order-free, tolerant of full-width characters, spaces, '*' marks and hints in brackets. */
export function normaliseHeader(s: string): string {
  return toHalfWidth(s)
    .replace(/[（(][^）)]*[）)]/g, "")
    .replace(/[\s*]/g, "")
    .trim();
}
