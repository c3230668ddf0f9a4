// DOC-1 … DOC-4 (manual §三十四 – §三十七): what an admission card says, in which order cards are
// printed, which files they go into, and which characters the card font cannot print. Pure: the
// PDF drawing lives in app/documents, the data comes from db/queries/admission-cards.ts.

/** One card: one allocated entry with its admission number (DOC-4). */
export interface AdmissionCard {
  entryId: number;
  sittingName: string;
  admissionNo: string;
  name: string;
  /** Labels, already in the card's language. */
  gender: string;
  idType: string;
  idNumber: string;
  subject: string;
  examDate: string;
  /** "08:00–10:00". */
  examTime: string;
  room: string;
  seat: string;
  siteName: string;
  siteAddress: string;
  className: string;
  /** The stored photo's path (read when drawn), or null when the candidate has none. */
  photoPath: string | null;
  /** What the QR code carries (the signed token's URL). */
  qrText: string;
}

/** DOC-1's ordering options. */
export const CARD_ORDERS = ["admission_no", "room_seat", "class", "name"] as const;
export type CardOrder = (typeof CARD_ORDERS)[number];

const zh = new Intl.Collator("zh-CN-u-co-pinyin");

/** Cards in the chosen order; ties always fall back to the admission number, so the order is fixed. */
export function sortCards<T extends AdmissionCard>(cards: readonly T[], order: CardOrder): T[] {
  const byNo = (a: T, b: T) => (a.admissionNo < b.admissionNo ? -1 : a.admissionNo > b.admissionNo ? 1 : 0);
  const cmp: Record<CardOrder, (a: T, b: T) => number> = {
    admission_no: byNo,
    room_seat: (a, b) =>
      a.room.localeCompare(b.room) ||
      a.examDate.localeCompare(b.examDate) ||
      a.examTime.localeCompare(b.examTime) ||
      Number(a.seat) - Number(b.seat) ||
      byNo(a, b),
    // Candidates without a class after every class.
    class: (a, b) =>
      (a.className === "" ? 1 : 0) - (b.className === "" ? 1 : 0) ||
      zh.compare(a.className, b.className) ||
      zh.compare(a.name, b.name) ||
      byNo(a, b),
    name: (a, b) => zh.compare(a.name, b.name) || byNo(a, b),
  };
  return [...cards].sort(cmp[order]);
}

/**
 * DOC-1: the small cards' files: one per room, and a room with more than `max` cards in several
 * (`07`, `07-2`, …), in the chosen order within each; rooms in number order.
 */
export function cardFiles<T extends AdmissionCard>(
  sorted: readonly T[],
  max = 500,
): Array<{ name: string; cards: T[] }> {
  const byRoom = new Map<string, T[]>();
  for (const c of sorted) {
    const list = byRoom.get(c.room);
    if (list) list.push(c);
    else byRoom.set(c.room, [c]);
  }
  const out: Array<{ name: string; cards: T[] }> = [];
  for (const room of [...byRoom.keys()].sort()) {
    const list = byRoom.get(room)!;
    for (let i = 0, part = 1; i < list.length; i += max, part++)
      out.push({ name: part === 1 ? room : `${room}-${part}`, cards: list.slice(i, i + max) });
  }
  return out;
}

/** What of a card comes from the data and must be printable (labels are fixed text, checked with the layout). */
export type PrintedTexts = Pick<AdmissionCard, "sittingName" | "name" | "subject" | "siteName" | "siteAddress">;

export const printedTexts = (c: PrintedTexts) => [c.sittingName, c.name, c.subject, c.siteName, c.siteAddress];

/**
 * Every character of some texts that a target cannot hold (a font without its glyph, a code page
 * without it), with whose texts it appears in (at most 20 names), so that an administrator sees them
 * before anything prints blank or is written as "?". DOC-4 (the card font) and DOC-6 (GBK) share it.
 */
export function unholdableCharacters(
  items: ReadonlyArray<{ who: string; texts: readonly string[] }>,
  holds: (char: string) => boolean,
): Array<{ char: string; codePoint: string; names: string[] }> {
  const found = new Map<string, Set<string>>();
  const known = new Map<string, boolean>();
  for (const item of items)
    for (const text of item.texts)
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if (cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0)) continue;
        let ok = known.get(ch);
        if (ok === undefined) known.set(ch, (ok = holds(ch)));
        if (!ok) found.set(ch, (found.get(ch) ?? new Set<string>()).add(item.who));
      }
  return [...found.entries()]
    .map(([char, names]) => ({
      char,
      codePoint: `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`,
      names: [...names].sort(zh.compare).slice(0, 20),
    }))
    .sort((a, b) => (a.codePoint < b.codePoint ? -1 : 1));
}

/** DOC-4 / issue 17 item 5: the characters of the cards the font has no glyph for. */
export const missingCharacters = (cards: readonly PrintedTexts[], hasGlyph: (codePoint: number) => boolean) =>
  unholdableCharacters(
    cards.map((c) => ({ who: c.name, texts: printedTexts(c) })),
    (ch) => hasGlyph(ch.codePointAt(0)!),
  );
