/**
 * Time windows (WIN-1 … WIN-7). Pure: `now` is always a parameter.
 */
export const WINDOW_KINDS = [
  "pre_registration",
  "eligibility",
  "registration",
  "online_registration",
  "allocation",
  "card_print",
  "violations",
  "pre_exam_downloads",
  "post_exam_downloads",
] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

/** WIN-2: the admission-card print start is an instant (a start with no end); the others are ranges. */
export function isInstant(kind: WindowKind): boolean {
  return kind === "card_print";
}

export function isWindowKind(s: string): s is WindowKind {
  return (WINDOW_KINDS as readonly string[]).includes(s);
}

export interface WindowSpan {
  starts_at: Date;
  ends_at: Date | null;
}

export type WindowStatus = "not_set" | "upcoming" | "open" | "closed";

/** WIN-3: open means start ≤ now < end; an instant is open from its start on. */
export function windowStatus(w: WindowSpan | null | undefined, now: Date): WindowStatus {
  if (!w) return "not_set";
  if (now < w.starts_at) return "upcoming";
  if (w.ends_at && now >= w.ends_at) return "closed";
  return "open";
}

/**
 * WIN-1: a window only counts inside every superior's window. `chain` is the organisation's own
 * window followed by its ancestors' (the centre's last); a missing link means "not set".
 * Superiors that gave no window to the top of the tree (the centre) are not in the chain.
 */
export function effectiveWindow(chain: ReadonlyArray<WindowSpan | null | undefined>): WindowSpan | null {
  if (chain.length === 0 || chain.some((w) => !w)) return null;
  let starts = chain[0]!.starts_at;
  let ends = chain[0]!.ends_at;
  for (const w of chain.slice(1)) {
    if (w!.starts_at > starts) starts = w!.starts_at;
    if (w!.ends_at && (!ends || w!.ends_at < ends)) ends = w!.ends_at;
  }
  // Disjoint windows (a superior narrowed its own later): a window of no length, never open.
  if (ends && ends <= starts) return { starts_at: starts, ends_at: starts };
  return { starts_at: starts, ends_at: ends };
}

export type WindowProblem =
  | "window.parent_not_set"
  | "window.outside_parent"
  | "window.end_before_start"
  | "window.end_required"
  | "window.instant_no_end";

/** WIN-1: the shape of a window, and that it lies inside the superior's (null parent = not set). */
export function checkWindow(
  kind: WindowKind,
  w: WindowSpan,
  parent: WindowSpan | null | undefined,
  parentRequired: boolean,
): WindowProblem | null {
  if (isInstant(kind)) {
    if (w.ends_at) return "window.instant_no_end";
  } else {
    if (!w.ends_at) return "window.end_required";
    if (w.ends_at <= w.starts_at) return "window.end_before_start";
  }
  if (!parentRequired) return null;
  if (!parent) return "window.parent_not_set";
  if (w.starts_at < parent.starts_at) return "window.outside_parent";
  if (!isInstant(kind) && parent.ends_at && w.ends_at! > parent.ends_at) return "window.outside_parent";
  return null;
}

/**
 * WIN-7: parse a wall-clock 'YYYY-MM-DD HH:mm' (or with a 'T') in `timeZone` into an instant.
 * Done by asking Intl for the zone's offset at that moment, which handles zones with DST too.
 */
export function parseWallClock(text: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(asUtc).getUTCDate() !== d) return null;
  let guess = asUtc - zoneOffsetMs(new Date(asUtc), timeZone);
  // Second pass settles the offset when the first guess crossed a transition.
  guess = asUtc - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

export function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The wall clock of an instant in `timeZone`, two digits a field (year four). */
function wallClockParts(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { y: get("year"), mo: get("month"), d: get("day"), h: get("hour"), mi: get("minute"), s: get("second") };
}

/** WIN-7: format an instant as 'YYYY-MM-DD HH:mm' wall-clock in `timeZone` (for inputs and messages). */
export function formatWallClock(at: Date, timeZone: string): string {
  const w = wallClockParts(at, timeZone);
  return `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}`;
}

/**
 * WIN-7 (issue 15 item 5): 'YYYYMMDDHHmmss' wall-clock in `timeZone`, for names people read:
 * export file names and order numbers carry the time the user lives in, not UTC.
 */
export function compactStamp(at: Date, timeZone: string): string {
  const w = wallClockParts(at, timeZone);
  return `${w.y}${w.mo}${w.d}${w.h}${w.mi}${w.s}`;
}
