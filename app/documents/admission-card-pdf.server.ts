import {
  fill,
  lineTo,
  moveTo,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingGrayscaleColor,
  setLineWidth,
  setStrokingGrayscaleColor,
  stroke,
  type PDFFont,
  type PDFImage,
  type PDFOperator,
  type PDFPage,
} from "pdf-lib";
import QRCode from "qrcode";
import type { AdmissionCard } from "~/domain/admission-cards";
import { CARD_LINES, LARGE_CARD, MM, SMALL_CARD, type CardLayout, type CardLine, type TextBox } from "./card-layouts";
import { drawFitted, embedPhoto, newPrintDocument } from "./pdf-kit.server";
// jsbarcode's Code 128 encoder alone (no canvas or DOM): the bar pattern as "1"/"0" modules.
import { CODE128 } from "jsbarcode/bin/barcodes/CODE128/index.js";

// DOC-1/DOC-2/DOC-4: admission cards drawn as PDF (pdf-lib), laid out by app/documents/card-layouts.ts.
// One document per call: the font is embedded once per document and subset to what it prints.

export type CardSize = "small" | "large";

export interface CardLabels extends Record<CardLine, string> {
  titleSuffix: string;
  site: string;
  address: string;
  noPhoto: string;
  calibration: string;
}

export interface DrawOptions {
  labels: CardLabels;
  /** The large card's instructions (考生须知): a heading line, then paragraphs. */
  instructions?: string;
  /** A stored photo's bytes (a JPEG), or null when it cannot be read. */
  readPhoto?: (path: string) => Promise<Uint8Array | null>;
  title?: string;
  /** Embed the whole font instead of a subset (10 MB a file): only the render tests' reference. */
  wholeFont?: boolean;
}

export const layoutOf = (size: CardSize): CardLayout => (size === "small" ? SMALL_CARD : LARGE_CARD);

/** Draws `cards` into one PDF: exact A4, print scaling "none" (issue 17 item 6). */
export async function drawCardsPdf(
  cards: readonly AdmissionCard[],
  size: CardSize,
  o: DrawOptions,
): Promise<Uint8Array> {
  const layout = layoutOf(size);
  const { doc, font } = await newPrintDocument(o.title ?? "准考证", { wholeFont: o.wholeFont });
  const perPage = layout.columns * layout.rows;
  let page: PDFPage | null = null;
  for (let i = 0; i < cards.length; i++) {
    if (i % perPage === 0) page = doc.addPage([layout.page.w * MM, layout.page.h * MM]);
    const slot = i % perPage;
    const left = layout.origin.x + (slot % layout.columns) * layout.card.w;
    const top = layout.origin.y + Math.floor(slot / layout.columns) * layout.card.h;
    const c = cards[i];
    // Not a JPEG we can embed: the box says "no photo" rather than failing the batch.
    const photo = await embedPhoto(doc, c.photoPath, o.readPhoto);
    drawCard(page!, font, layout, left, top, c, photo, o);
  }
  return doc.save({ useObjectStreams: true });
}

function drawCard(
  page: PDFPage,
  font: PDFFont,
  L: CardLayout,
  left: number,
  top: number,
  c: AdmissionCard,
  photo: PDFImage | null,
  o: DrawOptions,
) {
  const pageH = L.page.h;
  // mm from the card's top-left → PDF points from the page's bottom-left.
  const X = (x: number) => (left + x) * MM;
  const Y = (y: number) => (pageH - top - y) * MM;
  const ops: PDFOperator[] = [pushGraphicsState()];
  if (L.frame) {
    ops.push(
      setStrokingGrayscaleColor(0.6),
      setLineWidth(0.4),
      rectangle(X(0), Y(L.card.h), L.card.w * MM, L.card.h * MM),
      stroke(),
    );
  }

  const text = (value: string, box: TextBox, opts: { center?: boolean } = {}) =>
    drawFitted(page, font, value, { ...box, x: left + box.x, y: top + box.y }, opts);

  text(`${c.sittingName} ${o.labels.titleSuffix}`, L.title, { center: true });
  const values: Record<CardLine, string> = {
    admissionNo: c.admissionNo,
    name: c.name,
    gender: c.gender,
    idType: c.idType,
    idNumber: c.idNumber,
    subject: c.subject,
    examDate: c.examDate,
    examTime: c.examTime,
    roomSeat: `${c.room} / ${c.seat}`,
  };
  CARD_LINES.forEach((k, i) => {
    const y = L.lines.top + i * L.lines.gap;
    text(o.labels[k], {
      x: L.lines.labelX,
      y,
      w: L.lines.valueX - L.lines.labelX - 1,
      size: L.lines.size,
      min: L.lines.min,
    });
    text(values[k], { x: L.lines.valueX, y, w: L.lines.valueW, size: L.lines.size, min: L.lines.min });
  });
  text(`${o.labels.site}${c.siteName}`, L.site.name);
  text(`${o.labels.address}${c.siteAddress}`, L.site.address);

  // Photo, or an empty box that says so.
  const p = L.photo;
  if (photo) page.drawImage(photo, { x: X(p.x), y: Y(p.y + p.h), width: p.w * MM, height: p.h * MM });
  else {
    ops.push(
      setStrokingGrayscaleColor(0.5),
      setLineWidth(0.5),
      rectangle(X(p.x), Y(p.y + p.h), p.w * MM, p.h * MM),
      stroke(),
    );
    text(o.labels.noPhoto, { x: p.x, y: p.y + p.h / 2 - 2, w: p.w, size: L.lines.size }, { center: true });
  }

  // QR code of the signed token: dark modules merged into horizontal runs, one fill.
  const q = QRCode.create(c.qrText, { errorCorrectionLevel: "M" }).modules;
  const quiet = 2;
  const cell = (L.qr.size * MM) / (q.size + 2 * quiet);
  ops.push(setFillingGrayscaleColor(0));
  for (let r = 0; r < q.size; r++)
    for (let col = 0; col < q.size;) {
      if (!q.data[r * q.size + col]) {
        col++;
        continue;
      }
      let end = col;
      while (end < q.size && q.data[r * q.size + end]) end++;
      ops.push(
        rectangle(X(L.qr.x) + (quiet + col) * cell, Y(L.qr.y) - (quiet + r + 1) * cell, (end - col) * cell, cell),
      );
      col = end;
    }
  ops.push(fill());

  // Code 128 of the admission number, its digits beneath.
  const bars = new CODE128(c.admissionNo, {}).encode().data as string;
  const bw = L.barcode;
  const module = (bw.w * MM) / bars.length;
  for (let i = 0; i < bars.length;) {
    if (bars[i] !== "1") {
      i++;
      continue;
    }
    let end = i;
    while (end < bars.length && bars[end] === "1") end++;
    ops.push(rectangle(X(bw.x) + i * module, Y(bw.y + bw.h), (end - i) * module, bw.h * MM));
    i = end;
  }
  ops.push(fill());
  text(c.admissionNo, { x: bw.x, y: bw.y + bw.h + 0.6, w: bw.w, size: bw.textSize }, { center: true });

  if (L.instructions && o.instructions) {
    const ins = L.instructions;
    const [heading, ...paras] = o.instructions.trim().split(/\r?\n/);
    text(heading, { x: ins.x, y: ins.y, w: ins.w, size: ins.heading });
    let y = ins.y + ins.heading / MM + 2.5;
    for (const para of paras)
      for (const line of wrap(font, para, ins.size, ins.w * MM)) {
        text(line, { x: ins.x, y, w: ins.w, size: ins.size });
        y += ins.lineGap;
      }
  }

  if (L.calibration) {
    const cal = L.calibration;
    ops.push(
      setStrokingGrayscaleColor(0),
      setLineWidth(0.8),
      moveTo(X(cal.x), Y(cal.y)),
      lineTo(X(cal.x + 100), Y(cal.y)),
      stroke(),
    );
    for (let mm = 0; mm <= 100; mm += 10)
      ops.push(
        setLineWidth(mm % 50 === 0 ? 0.8 : 0.4),
        moveTo(X(cal.x + mm), Y(cal.y)),
        lineTo(X(cal.x + mm), Y(cal.y - (mm % 50 === 0 ? 3 : 1.8))),
        stroke(),
      );
    text(o.labels.calibration, { x: cal.x + 104, y: cal.y - 2.6, w: 70, size: 8 });
  }
  ops.push(popGraphicsState());
  page.pushOperators(...ops);
}

/** Lines of `text` no wider than `width` points: broken between characters (CJK has no spaces), at spaces in Latin runs. */
export function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const token of text.match(/[A-Za-z0-9'’,.;:%"()-]+\s*|\s+|./gu) ?? []) {
    if (font.widthOfTextAtSize(line + token, size) <= width || line === "") line += token;
    else {
      out.push(line.trimEnd());
      line = token.trimStart();
    }
  }
  if (line.trim()) out.push(line.trimEnd());
  return out;
}
