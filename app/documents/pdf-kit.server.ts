import fs from "node:fs/promises";
import {
  fill,
  PDFDocument,
  popGraphicsState,
  PrintScaling,
  pushGraphicsState,
  rectangle,
  rgb,
  setFillingGrayscaleColor,
  setLineWidth,
  setStrokingGrayscaleColor,
  stroke,
  type PDFFont,
  type PDFImage,
  type PDFPage,
} from "pdf-lib";
import { cardFontBytes, cardFontkit } from "./card-font.server";
import { MM, type TextBox } from "./card-layouts";

// What every printed document shares (cards, sign-in sheets, seating charts): an A4 document that
// prints at 100 %, the CJK font subset to what it prints, text fitted into a box, stored photos.

/** A new document with the embedded font: print scaling "none" (issue 17 item 6). */
export async function newPrintDocument(title: string, o: { wholeFont?: boolean } = {}) {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(cardFontkit);
  doc.setTitle(title);
  doc.setProducer("Kaowu");
  doc.catalog.getOrCreateViewerPreferences().setPrintScaling(PrintScaling.None);
  const font = await doc.embedFont(cardFontBytes(), { subset: !o.wholeFont });
  return { doc, font };
}

export const readStoredPhoto = async (p: string) => {
  try {
    return new Uint8Array(await fs.readFile(p));
  } catch {
    return null;
  }
};

/** A stored photo embedded once, or null when it is missing or not a JPEG we can embed (the box says so). */
export async function embedPhoto(
  doc: PDFDocument,
  photoPath: string | null,
  read: (path: string) => Promise<Uint8Array | null> = readStoredPhoto,
): Promise<PDFImage | null> {
  const bytes = photoPath ? await read(photoPath) : null;
  if (!bytes) return null;
  try {
    return await doc.embedJpg(bytes);
  } catch {
    return null;
  }
}

/**
 * Draws `value` with its top at the box's y (mm from the page's top-left): a value too wide is drawn
 * smaller down to `min` points, then cut by whole characters with an ellipsis.
 */
export function drawFitted(
  page: PDFPage,
  font: PDFFont,
  value: string,
  box: TextBox,
  o: { center?: boolean; right?: boolean } = {},
) {
  const pageH = page.getHeight() / MM;
  let size = box.size;
  const min = box.min ?? box.size;
  let s = value;
  while (size > min && font.widthOfTextAtSize(s, size) > box.w * MM) size -= 0.5;
  if (font.widthOfTextAtSize(s, size) > box.w * MM) {
    const chars = [...s];
    while (chars.length > 1 && font.widthOfTextAtSize(chars.join("") + "…", size) > box.w * MM) chars.pop();
    s = chars.join("") + "…";
  }
  const w = font.widthOfTextAtSize(s, size);
  const x = o.center ? box.x * MM + (box.w * MM - w) / 2 : o.right ? (box.x + box.w) * MM - w : box.x * MM;
  // The box's y is the text's top: the baseline sits one ascent lower.
  page.drawText(s, { x, y: (pageH - box.y) * MM - size * 0.88, size, font, color: rgb(0, 0, 0) });
}

// Operators go straight into the page's content, in drawing order with its text (a fill drawn later
// would cover the text under it).
export function grid(page: PDFPage, x: number, y: number, w: number, h: number, width = 0.4) {
  const pageH = page.getHeight() / MM;
  page.pushOperators(
    pushGraphicsState(),
    setStrokingGrayscaleColor(0),
    setLineWidth(width),
    rectangle(x * MM, (pageH - y - h) * MM, w * MM, h * MM),
    stroke(),
    popGraphicsState(),
  );
}

export function shade(page: PDFPage, gray: number, x: number, y: number, w: number, h: number) {
  const pageH = page.getHeight() / MM;
  page.pushOperators(
    pushGraphicsState(),
    setFillingGrayscaleColor(gray),
    rectangle(x * MM, (pageH - y - h) * MM, w * MM, h * MM),
    fill(),
    popGraphicsState(),
  );
}
