import type { MessageKey } from "~/i18n";
import { normaliseHeader } from "./import-values";
import { MAILING_COLUMNS } from "./certificate-mailing";
import { SCORE_COLUMNS } from "./scores";

// SCO-1/SCO-2: a deployment's own header names for the score and certificate mailing files, beside
// the built-in ones (no official layout is public; decision 0042). Pure: parsing and checking.

export const COLUMN_MAP_KINDS = { scores: SCORE_COLUMNS, mailing: MAILING_COLUMNS } as const;
export type ColumnMapKind = keyof typeof COLUMN_MAP_KINDS;
export const isColumnMapKind = (s: string): s is ColumnMapKind => Object.hasOwn(COLUMN_MAP_KINDS, s);

export const MAX_NAMES = 10;
export const MAX_NAME_LENGTH = 40;

/** Names as typed in one box: separated by commas (either width), 、 or new lines; blanks and repeats dropped. */
export function parseNames(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[,，、;；\n]/)) {
    const name = raw.trim();
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

export interface ColumnMapProblem {
  field: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

/**
 * A map is refused when a box holds too many or too long names, or a name would also match another
 * field (its code, a built-in name or another box's): each header must find one field.
 */
export function checkColumnMap(kind: ColumnMapKind, map: Record<string, string[]>): ColumnMapProblem[] {
  const builtIn = COLUMN_MAP_KINDS[kind] as Record<string, readonly string[]>;
  const owner = new Map<string, string>();
  for (const [field, names] of Object.entries(builtIn))
    for (const n of [field, ...names]) owner.set(normaliseHeader(n).toLowerCase(), field);
  const problems: ColumnMapProblem[] = [];
  for (const [field, names] of Object.entries(map)) {
    if (!Object.hasOwn(builtIn, field)) {
      problems.push({ field, key: "columns.unknown_field" });
      continue;
    }
    if (names.length > MAX_NAMES) problems.push({ field, key: "columns.too_many", params: { max: MAX_NAMES } });
    for (const n of names) {
      if (n.length > MAX_NAME_LENGTH)
        problems.push({ field, key: "columns.too_long", params: { name: n.slice(0, 20), max: MAX_NAME_LENGTH } });
      const key = normaliseHeader(n).toLowerCase();
      const other = owner.get(key);
      if (other && other !== field) problems.push({ field, key: "columns.taken", params: { name: n, other } });
      else owner.set(key, field);
    }
  }
  return problems;
}

/** The aliases an import matches with: the built-in names and the deployment's own. */
export function withOwnNames(kind: ColumnMapKind, own: Record<string, readonly string[]>) {
  const builtIn = COLUMN_MAP_KINDS[kind] as Record<string, readonly string[]>;
  return Object.fromEntries(Object.entries(builtIn).map(([f, names]) => [f, [...names, ...(own[f] ?? [])]]));
}
