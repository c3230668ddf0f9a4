import type { Readable } from "node:stream";
import { cardPreconditions, cardRows, type CardRow } from "~db/queries/admission-cards";
import type { DB } from "~db/schema";
import type { Kysely, Transaction } from "kysely";
import { cardFiles, missingCharacters, sortCards, type AdmissionCard, type CardOrder } from "~/domain/admission-cards";
import { cardTokenUrl, signCardToken } from "~/domain/card-token";
import { formatClock } from "~/domain/rooms";
import { drawCardsPdf, type CardSize } from "~/documents/admission-card-pdf.server";
import { cardFontHas } from "~/documents/card-font.server";
import { cardInstructions, cardLabels } from "~/documents/card-labels.server";
import { translator, type Locale } from "~/i18n";
import { AppError } from "~/domain/errors";
import { getEnv } from "~/utils/env.server";
import { keptSecret } from "~/utils/app-secret.server";
import { localPathOf } from "~/utils/file-store.server";
import { nameOf } from "~templates/code-tables";
import { streamPdfZip } from "./pdf-zip.server";

type Q = Kysely<DB> | Transaction<DB>;

/** DOC-9: the deployment's card-token secret: the environment's, or one kept in the database (made once). */
export function cardSecret(): Promise<string> {
  const fromEnv = getEnv().CARD_TOKEN_SECRET;
  return fromEnv ? Promise.resolve(fromEnv) : keptSecret("card_token");
}

/** DOC-4: a card's fields from its row, labels in the card's language, the QR code's signed URL. */
export function toCard(row: CardRow, locale: Locale, key: string): AdmissionCard {
  const token = signCardToken(key, row.sitting_code, row.admission_no!);
  return {
    entryId: row.entry_id,
    sittingName: row.sitting_name,
    admissionNo: row.admission_no!,
    name: row.name,
    gender: nameOf("gender", row.gender, locale),
    idType: nameOf("idType", row.id_type, locale),
    idNumber: row.id_number,
    subject: `(${row.subject_code}) ${row.subject_name}`,
    examDate: row.exam_date,
    examTime: `${formatClock(row.start_min)}–${formatClock(row.end_min)}`,
    room: row.room,
    seat: String(row.seat ?? "").padStart(2, "0"),
    siteName: row.site_name,
    siteAddress: row.address ?? "",
    className: row.class_name,
    photoPath: row.photo_path ? localPathOf({ path: row.photo_path }) : null,
    qrText: cardTokenUrl(getEnv().publicOrigin, token),
  };
}

/** The cards of a site, or of some of its registrations. */
export async function loadCards(
  db: Q,
  sittingId: number,
  siteId: number,
  locale: Locale,
  registrationIds?: readonly number[],
): Promise<Array<AdmissionCard & { registrationId: number }>> {
  const [rows, key] = await Promise.all([cardRows(db, sittingId, siteId, registrationIds), cardSecret()]);
  return rows.map((r) => ({ ...toCard(r, locale, key), registrationId: r.registration_id }));
}

/**
 * What the card pages show before anything is generated: how many entries have numbers, and every
 * character of the cards the font cannot print (issue 17 item 5), with whose cards they are on.
 */
export async function cardCheck(db: Q, sittingId: number, siteId: number) {
  // Only what the font must print and whether a photo exists: no tokens signed, no labels looked up.
  const [pre, rows] = await Promise.all([cardPreconditions(db, sittingId, siteId), cardRows(db, sittingId, siteId)]);
  const texts = rows.map((r) => ({
    sittingName: r.sitting_name,
    name: r.name,
    subject: `(${r.subject_code}) ${r.subject_name}`,
    siteName: r.site_name,
    siteAddress: r.address ?? "",
  }));
  return {
    ...pre,
    cards: rows.length,
    withoutPhoto: rows.filter((r) => r.photo_path === null).length,
    missing: missingCharacters(texts, cardFontHas),
  };
}

/**
 * DOC-1/DOC-2: cards are generated once every paid entry has its admission number, and never with
 * a character the font would print blank (the page lists them with their candidates).
 */
export async function refuseUnlessCardsReady(
  db: Q,
  sittingId: number,
  siteId: number,
  /** What to say when nothing is numbered (DOC-7's sheets print with the same font, but are not cards). */
  none: "cards.no_cards" | "photopkg.no_numbers" = "cards.no_cards",
) {
  const c = await cardCheck(db, sittingId, siteId);
  if (c.cards === 0) throw new AppError(none);
  if (c.numbered < c.paid) throw new AppError("cards.not_ready", { count: c.paid - c.numbered });
  if (c.missing.length)
    throw new AppError("cards.missing_chars", {
      chars: c.missing.map((m) => m.char).join(" "),
      count: c.missing.length,
    });
  return c;
}

/**
 * DOC-1/DOC-2: the site's cards as a .zip of PDFs, one per room (or per 500 cards), in the chosen
 * order, streamed: each PDF is drawn, added and written before the next is drawn (issue 17 item 8).
 */
export function cardsZip(
  cards: readonly AdmissionCard[],
  size: CardSize,
  order: CardOrder,
  o: { locale: Locale; siteCode: string; onProgress?: (done: number, total: number) => Promise<void> },
): Readable {
  const t = translator(o.locale);
  const labels = cardLabels(o.locale);
  const instructions = size === "large" ? cardInstructions(o.locale) : undefined;
  const prefix = t(size === "small" ? "cards.small_file" : "cards.large_file");
  return streamPdfZip(cardFiles(sortCards(cards, order)), {
    name: (f) => `${o.siteCode}/${prefix}-${o.siteCode}-${t("cards.room")}${f.name}.pdf`,
    draw: (f) => drawCardsPdf(f.cards, size, { labels, instructions, title: `${prefix} ${o.siteCode}-${f.name}` }),
    weight: (f) => f.cards.length,
    onProgress: o.onProgress,
  });
}
