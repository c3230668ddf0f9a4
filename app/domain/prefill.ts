/**
 * SR-6 + X-4: what a student record may tell the person who typed an ID number. Whoever knows
 * someone's ID number must learn nothing from it: the record counts only when the typed name
 * matches it too, and even then it fills the school fields only, never contact data (phone,
 * e-mail, address, postcode), which the candidate types themselves. Pure.
 */
import { toHalfWidth } from "./import-values";

/** The fields a matching record fills in (besides the name and ID the candidate typed). */
export const PREFILL_FIELDS = ["education", "occupation", "department", "major", "class_name", "student_no"] as const;
export type PrefillField = (typeof PREFILL_FIELDS)[number];

/** Names compared as a person would: half-width, no spaces or middle dots, case-insensitive. */
export function normaliseName(name: string): string {
  return toHalfWidth(name)
    .replace(/[\s·•.\u00B7\u30FB]/g, "")
    .toLowerCase();
}

export function namesMatch(typed: string, recorded: string): boolean {
  const a = normaliseName(typed);
  return a !== "" && a === normaliseName(recorded);
}

/** The record, when the typed name matches it; else null (as if there were no record at all). */
export function matchingRecord<R extends { name: string }>(record: R | null | undefined, typedName: string): R | null {
  return record && namesMatch(typedName, record.name) ? record : null;
}

/** The school fields of a record whose name matched: nothing else leaves the registry. */
export function schoolFields(
  record: Partial<Record<PrefillField, string | null>>,
): Partial<Record<PrefillField, string>> {
  const out: Partial<Record<PrefillField, string>> = {};
  for (const f of PREFILL_FIELDS) if (record[f]) out[f] = String(record[f]);
  return out;
}
