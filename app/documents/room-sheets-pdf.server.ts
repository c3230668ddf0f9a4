import type { PDFFont, PDFPage } from "pdf-lib";
import { seatingCells, type RoomBatchSheet } from "~/domain/room-sheets";
import { wrap } from "./admission-card-pdf.server";
import { MM } from "./card-layouts";
import { drawFitted, embedPhoto, grid, newPrintDocument, shade } from "./pdf-kit.server";

// DOC-7: a room and batch's sign-in sheet (A4 portrait, a row per candidate in seat order with the
// photo and a box to sign in) and seating chart (A4 landscape, the room's grid with the front at the
// top). Measurements in millimetres from the page's top-left corner.

export interface SheetLabels {
  signInTitle: string;
  chartTitle: string;
  site: string;
  room: string;
  batch: string;
  time: string;
  seat: string;
  photo: string;
  name: string;
  idNumber: string;
  admissionNo: string;
  subject: string;
  signature: string;
  noPhoto: string;
  /** "应到 {expected} 人…": the footer of a sign-in sheet, the count filled in. */
  signInFooter: (expected: number) => string;
  chartFooter: (seated: number, seats: number) => string;
  page: (n: number, total: number) => string;
  front: string;
}

export interface SheetHead {
  sittingName: string;
  siteCode: string;
  siteName: string;
}

const A4 = { w: 210, h: 297 };
const MARGIN = 12;

/** The sign-in sheet's columns: width in mm, left to right. */
export const SIGN_IN_COLUMNS = [
  { key: "seat", w: 12 },
  { key: "photo", w: 17 },
  { key: "name", w: 28 },
  { key: "idNumber", w: 34 },
  { key: "admissionNo", w: 34 },
  { key: "subject", w: 31 },
  { key: "signature", w: 30 },
] as const;
const ROW_H = 23;
const HEAD_H = 7;
const TABLE_TOP = 31;
export const SIGN_IN_ROWS_PER_PAGE = Math.floor((A4.h - 27 - TABLE_TOP - HEAD_H) / ROW_H);

function headerLines(page: PDFPage, font: PDFFont, title: string, info: string, width: number) {
  drawFitted(page, font, title, { x: MARGIN, y: 10, w: width, size: 15, min: 11 }, { center: true });
  drawFitted(page, font, info, { x: MARGIN, y: 20, w: width, size: 9.5, min: 7 });
}

const infoLine = (s: RoomBatchSheet, h: SheetHead, L: SheetLabels) =>
  [
    `${L.site}(${h.siteCode}) ${h.siteName}`,
    `${L.room}${s.room}${s.location ? ` (${s.location})` : ""}`,
    `${L.batch}${s.room}#${s.seq}`,
    `${L.time}${s.examDate} ${s.examTime}`,
  ].join("    ");

/** DOC-7: one room and batch's sign-in sheet, as many pages as its candidates need. */
export async function drawSignInSheet(
  s: RoomBatchSheet,
  head: SheetHead,
  L: SheetLabels,
  o: { readPhoto?: (path: string) => Promise<Uint8Array | null> } = {},
): Promise<Uint8Array> {
  const { doc, font } = await newPrintDocument(`${L.signInTitle} ${head.siteCode} ${s.room}#${s.seq}`);
  const pages = Math.max(1, Math.ceil(s.entries.length / SIGN_IN_ROWS_PER_PAGE));
  const width = A4.w - 2 * MARGIN;
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([A4.w * MM, A4.h * MM]);
    headerLines(page, font, `${head.sittingName} ${L.signInTitle}`, infoLine(s, head, L), width);
    // Column headings.
    let x = MARGIN;
    for (const c of SIGN_IN_COLUMNS) {
      grid(page, x, TABLE_TOP, c.w, HEAD_H);
      drawFitted(
        page,
        font,
        L[c.key],
        { x: x + 0.5, y: TABLE_TOP + 1.6, w: c.w - 1, size: 9, min: 6 },
        { center: true },
      );
      x += c.w;
    }
    const rows = s.entries.slice(p * SIGN_IN_ROWS_PER_PAGE, (p + 1) * SIGN_IN_ROWS_PER_PAGE);
    for (let i = 0; i < rows.length; i++) {
      const e = rows[i];
      const top = TABLE_TOP + HEAD_H + i * ROW_H;
      const mid = top + ROW_H / 2 - 2;
      x = MARGIN;
      for (const c of SIGN_IN_COLUMNS) {
        grid(page, x, top, c.w, ROW_H);
        const box = { x: x + 1, y: mid, w: c.w - 2, size: 9, min: 6 };
        if (c.key === "seat")
          drawFitted(page, font, String(e.seat).padStart(2, "0"), { ...box, size: 11 }, { center: true });
        else if (c.key === "photo") {
          const photo = await embedPhoto(doc, e.photoPath, o.readPhoto);
          const pw = 15;
          const ph = 20;
          if (photo)
            page.drawImage(photo, {
              x: (x + (c.w - pw) / 2) * MM,
              y: (A4.h - top - (ROW_H + ph) / 2) * MM,
              width: pw * MM,
              height: ph * MM,
            });
          else drawFitted(page, font, L.noPhoto, { ...box, size: 7, min: 5 }, { center: true });
        } else if (c.key === "name") {
          // A long name goes on two lines before it is drawn small (a signature is checked against it).
          const lines = font.widthOfTextAtSize(e.name, 9) > box.w * MM ? wrap(font, e.name, 8.5, box.w * MM) : [e.name];
          if (lines.length <= 1) drawFitted(page, font, e.name, { ...box, size: 11, min: 6 });
          else
            lines.slice(0, 2).forEach((line, k) =>
              drawFitted(page, font, k === 1 && lines.length > 2 ? lines.slice(1).join("") : line, {
                ...box,
                y: mid - 2 + k * 4.2,
                size: 8.5,
                min: 5,
              }),
            );
        } else if (c.key === "idNumber") drawFitted(page, font, e.idNumber, box);
        else if (c.key === "admissionNo") drawFitted(page, font, e.admissionNo, box);
        else if (c.key === "subject") {
          const lines = wrap(font, e.subject, 7.5, (c.w - 2) * MM).slice(0, 3);
          lines.forEach((line, k) =>
            drawFitted(page, font, line, {
              x: x + 1,
              y: top + ROW_H / 2 - (lines.length * 3.4) / 2 + k * 3.4,
              w: c.w - 2,
              size: 7.5,
              min: 5,
            }),
          );
        }
        x += c.w;
      }
    }
    const footY = TABLE_TOP + HEAD_H + SIGN_IN_ROWS_PER_PAGE * ROW_H + 4;
    drawFitted(page, font, L.signInFooter(s.entries.length), { x: MARGIN, y: footY, w: width, size: 10, min: 7 });
    drawFitted(page, font, L.page(p + 1, pages), { x: MARGIN, y: A4.h - 10, w: width, size: 8 }, { right: true });
  }
  return doc.save({ useObjectStreams: true });
}

const LANDSCAPE = { w: 297, h: 210 };
const CHART_TOP = 38;
const CHART_MIN_CELL_H = 15;
const CHART_MAX_CELL_H = 28;
export const CHART_ROWS_PER_PAGE = Math.floor((LANDSCAPE.h - CHART_TOP - 14) / CHART_MIN_CELL_H);

/** DOC-7: one room and batch's seating chart: the grid as the room is laid out, front row at the top. */
export async function drawSeatingChart(s: RoomBatchSheet, head: SheetHead, L: SheetLabels): Promise<Uint8Array> {
  const { doc, font } = await newPrintDocument(`${L.chartTitle} ${head.siteCode} ${s.room}#${s.seq}`);
  const cells = seatingCells(s);
  const pages = Math.max(1, Math.ceil(cells.length / CHART_ROWS_PER_PAGE));
  const width = LANDSCAPE.w - 2 * MARGIN;
  const cellW = width / s.columns;
  const H = LANDSCAPE.h;
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([LANDSCAPE.w * MM, H * MM]);
    headerLines(page, font, `${head.sittingName} ${L.chartTitle}`, infoLine(s, head, L), width);
    // The front of the room (讲台), so the chart is held the right way round.
    const fw = 70;
    const fx = (LANDSCAPE.w - fw) / 2;
    shade(page, 0.88, fx, 28, fw, 6);
    grid(page, fx, 28, fw, 6);
    drawFitted(page, font, L.front, { x: fx, y: 29.3, w: fw, size: 10 }, { center: true });
    const rows = cells.slice(p * CHART_ROWS_PER_PAGE, (p + 1) * CHART_ROWS_PER_PAGE);
    const cellH = Math.min(CHART_MAX_CELL_H, (H - CHART_TOP - 14) / Math.max(1, rows.length));
    const big = Math.min(11, cellH * 0.65);
    rows.forEach((row, r) => {
      const top = CHART_TOP + r * cellH;
      row.forEach((cell, c) => {
        const x = MARGIN + c * cellW;
        if (!cell.entry) shade(page, 0.94, x, top, cellW, cellH);
        grid(page, x, top, cellW, cellH);
        drawFitted(page, font, String(cell.seat).padStart(2, "0"), {
          x: x + 1,
          y: top + 0.8,
          w: cellW - 2,
          size: 7,
          min: 5,
        });
        if (cell.entry) {
          drawFitted(
            page,
            font,
            cell.entry.name,
            { x: x + 1, y: top + cellH * 0.3, w: cellW - 2, size: big, min: 5 },
            { center: true },
          );
          drawFitted(
            page,
            font,
            cell.entry.admissionNo,
            { x: x + 1, y: top + cellH * 0.66, w: cellW - 2, size: 8, min: 4.5 },
            { center: true },
          );
        }
      });
    });
    drawFitted(page, font, L.chartFooter(s.entries.length, s.seats), {
      x: MARGIN,
      y: H - 10,
      w: width - 40,
      size: 9,
      min: 7,
    });
    drawFitted(page, font, L.page(p + 1, pages), { x: MARGIN, y: H - 10, w: width, size: 8 }, { right: true });
  }
  return doc.save({ useObjectStreams: true });
}
