// DOC-9 (second half): checking a candidate in on exam day, as pure rules: whether the card scanned
// belongs where the invigilator stands, and how a room's batch stands.

/** Where a card's entry sits. */
export interface CardPlace {
  sittingId: number;
  siteId: number;
  roomId: number | null;
  batchId: number | null;
}

/** Where the invigilator checks in: the site and sitting, and the room and batch chosen on this device (if any). */
export interface Post {
  sittingId: number;
  siteId: number;
  roomId: number | null;
  batchId: number | null;
}

export const CHECK_IN_VERDICTS = [
  "ok",
  "other_sitting",
  "wrong_site",
  "not_allocated",
  "wrong_room",
  "wrong_batch",
] as const;
export type CheckInVerdict = (typeof CHECK_IN_VERDICTS)[number];

/**
 * DOC-9: whether this candidate belongs at this post. Anything but "ok" is shown in red; only
 * "ok", "wrong_room" and "wrong_batch" can still be checked in (the candidate is sent on, and the
 * right room sees them arrive), never a candidate of another site or sitting.
 */
export function checkInVerdict(card: CardPlace, post: Post): CheckInVerdict {
  if (card.sittingId !== post.sittingId) return "other_sitting";
  if (card.siteId !== post.siteId) return "wrong_site";
  if (card.batchId === null) return "not_allocated";
  if (post.roomId !== null && card.roomId !== post.roomId) return "wrong_room";
  if (post.batchId !== null && card.batchId !== post.batchId) return "wrong_batch";
  return "ok";
}

export const canCheckIn = (v: CheckInVerdict) => v === "ok" || v === "wrong_room" || v === "wrong_batch";

/** DOC-9: a batch's candidates: present, and not yet (absent once the batch is over). */
export function batchAttendance(entries: ReadonlyArray<{ checkedInAt: Date | string | null }>, ended: boolean) {
  const present = entries.filter((e) => e.checkedInAt !== null).length;
  const rest = entries.length - present;
  return { expected: entries.length, present, notYet: ended ? 0 : rest, absent: ended ? rest : 0 };
}

/** The check-in device's chosen batch, kept in a cookie value: a positive whole number or nothing. */
export function parsePostBatch(value: string | null | undefined): number | null {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : null;
}

/** A card's URL on this deployment (`/C/<token>`, upper-case as printed), or null for any other code. */
export function cardPath(text: string, origin: string): string | null {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return null;
  }
  if (u.origin.toLowerCase() !== origin.toLowerCase()) return null;
  return /^\/C\/[0-9A-Z.]+$/i.test(u.pathname) ? u.pathname : null;
}
