// ADM-1 (manual §三十二): admission numbers. The format is a deployment setting, a template of named
// parts, because public sources disagree on the last digits; the default is the manual's 16 digits:
// subject (2) + sitting 考次 (2) + site (6) + room (2) + site-wide serial (4), e.g. 1453990101030189.

export const DEFAULT_ADMISSION_FORMAT = "{subject}{sitting}{site}{room}{serial:4}";

export interface AdmissionParts {
  subject: string;
  sitting: string;
  site: string;
  room: string;
  serial: number;
}

type Piece = { literal: string } | { part: keyof AdmissionParts; width?: number };

const PART_NAMES = new Set(["subject", "sitting", "site", "room", "serial"]);

/** A format template read into pieces, or why it cannot be used (checked at start-up). */
export function parseAdmissionFormat(template: string): { pieces: Piece[]; serialWidth: number } | { error: string } {
  const pieces: Piece[] = [];
  let serialWidth = 0;
  const re = /\{(\w+)(?::(\d+))?\}|([^{}]+)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(template))) {
    consumed += m[0].length;
    if (m[3] !== undefined) {
      if (!/^[0-9A-Za-z-]+$/.test(m[3])) return { error: `only digits, letters and '-' between parts: "${m[3]}"` };
      pieces.push({ literal: m[3] });
    } else if (!PART_NAMES.has(m[1])) return { error: `unknown part {${m[1]}}` };
    else {
      const width = m[2] ? Number(m[2]) : undefined;
      if (m[1] === "serial") {
        if (!width || width < 3 || width > 8) return { error: "{serial:N} needs a width of 3 to 8" };
        serialWidth = width;
      }
      pieces.push({ part: m[1] as keyof AdmissionParts, width });
    }
  }
  if (consumed !== template.length) return { error: "unbalanced braces" };
  if (!serialWidth) return { error: "the format needs {serial:N}, which makes numbers unique" };
  return { pieces, serialWidth };
}

/** One admission number from its parts. */
export function formatAdmissionNumber(pieces: readonly Piece[], parts: AdmissionParts): string {
  return pieces
    .map((p) => {
      if ("literal" in p) return p.literal;
      const v = String(parts[p.part]);
      return p.width ? v.padStart(p.width, "0") : v;
    })
    .join("");
}

export interface NumberedEntry {
  entry_id: number;
  subject: string;
  room: string;
  /** The number it has, if generated before. */
  current: string | null;
  /** Where it sits, for the order new numbers are given in. */
  batch_order: number;
  seat: number;
}

/**
 * ADM-1: numbers for every allocated entry of a site. An entry whose number still matches its
 * subject and room keeps it; any other gets the next serial after every serial the site ever gave
 * (`issued`), in room, batch and seat order, so no number is ever reused. Refuses when the serial
 * would outgrow its width.
 */
export function planAdmissionNumbers(
  format: { pieces: Piece[]; serialWidth: number },
  fixed: { sitting: string; site: string },
  entries: readonly NumberedEntry[],
  issued: number,
): { numbers: Map<number, string>; issued: number; kept: number } | { overflow: number } {
  const numbers = new Map<number, string>();
  let kept = 0;
  const fresh: NumberedEntry[] = [];
  for (const e of entries) {
    const serial = e.current ? serialOf(format, fixed, e) : null;
    if (e.current && serial !== null) {
      numbers.set(e.entry_id, e.current);
      kept++;
    } else fresh.push(e);
  }
  fresh.sort((a, b) => a.room.localeCompare(b.room) || a.batch_order - b.batch_order || a.seat - b.seat);
  const max = 10 ** format.serialWidth - 1;
  if (issued + fresh.length > max) return { overflow: issued + fresh.length };
  let next = issued;
  for (const e of fresh)
    numbers.set(
      e.entry_id,
      formatAdmissionNumber(format.pieces, { ...fixed, subject: e.subject, room: e.room, serial: ++next }),
    );
  return { numbers, issued: next, kept };
}

/** Whether an entry's current number still matches its subject and room (after a move it does not). */
export function numberMatches(
  format: { pieces: Piece[]; serialWidth: number },
  fixed: { sitting: string; site: string },
  e: Pick<NumberedEntry, "subject" | "room" | "current">,
): boolean {
  return e.current !== null && serialOf(format, fixed, e) !== null;
}

/** The serial of an entry's current number if the number still matches its subject and room, else null. */
function serialOf(
  format: { pieces: Piece[]; serialWidth: number },
  fixed: { sitting: string; site: string },
  e: Pick<NumberedEntry, "subject" | "room" | "current">,
): number | null {
  // The number as it would read with each serial: the text around the serial must match exactly.
  const at = format.pieces.findIndex((p) => "part" in p && p.part === "serial");
  const parts = { ...fixed, subject: e.subject, room: e.room, serial: 0 };
  const before = formatAdmissionNumber(format.pieces.slice(0, at), parts);
  const after = formatAdmissionNumber(format.pieces.slice(at + 1), parts);
  const current = e.current!;
  if (current.length !== before.length + format.serialWidth + after.length) return null;
  if (!current.startsWith(before) || !current.endsWith(after)) return null;
  const digits = current.slice(before.length, before.length + format.serialWidth);
  return /^\d+$/.test(digits) ? Number(digits) : null;
}
