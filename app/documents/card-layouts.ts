// DOC-1/DOC-2/DOC-4: where each field of an admission card sits, in millimetres from the card's
// top-left corner, so that a designer moves a field here without reading the generator
// (app/documents/admission-card-pdf.server.ts). Font sizes in points.

export interface TextBox {
  x: number;
  y: number;
  /** Widest the text may be; a longer value is drawn smaller, down to `min` points, then cut. */
  w: number;
  size: number;
  min?: number;
}

export interface CardLayout {
  /** The page (A4) and how many cards it holds. */
  page: { w: number; h: number };
  columns: number;
  rows: number;
  /** The first card's top-left corner, and each card's size. */
  origin: { x: number; y: number };
  card: { w: number; h: number };
  /** A thin frame around each card, to cut along. */
  frame: boolean;
  title: TextBox;
  /** Label column (x) and value column (x, width) of the field lines, from `top`, `gap` apart. */
  lines: { top: number; gap: number; labelX: number; valueX: number; valueW: number; size: number; min: number };
  site: { name: TextBox; address: TextBox };
  photo: { x: number; y: number; w: number; h: number };
  qr: { x: number; y: number; size: number };
  barcode: { x: number; y: number; w: number; h: number; textSize: number };
  /** The large card's candidate instructions (考生须知). */
  instructions?: { x: number; y: number; w: number; size: number; lineGap: number; heading: number };
  /** A bar that must measure 100 mm on paper: a card printed "fit to page" is noticed (issue 17 item 6). */
  calibration?: { x: number; y: number };
}

/** The fields printed as lines, in order (DOC-4). */
export const CARD_LINES = [
  "admissionNo",
  "name",
  "gender",
  "idType",
  "idNumber",
  "subject",
  "examDate",
  "examTime",
  "roomSeat",
] as const;
export type CardLine = (typeof CARD_LINES)[number];

/** DOC-1: six cards on an A4 page (2 × 3), each 93 × 92 mm inside 12 mm / 10.5 mm margins. */
export const SMALL_CARD: CardLayout = {
  page: { w: 210, h: 297 },
  columns: 2,
  rows: 3,
  origin: { x: 12, y: 10.5 },
  card: { w: 93, h: 92 },
  frame: true,
  title: { x: 4, y: 4, w: 85, size: 9.5, min: 7 },
  lines: { top: 14, gap: 5.6, labelX: 4, valueX: 20, valueW: 40, size: 8, min: 6 },
  site: {
    name: { x: 4, y: 66.5, w: 61, size: 7.5, min: 6 },
    address: { x: 4, y: 71.5, w: 61, size: 7, min: 5.5 },
  },
  photo: { x: 65, y: 12, w: 24, h: 32 },
  qr: { x: 67, y: 50, size: 21 },
  barcode: { x: 4, y: 77, w: 58, h: 8, textSize: 6.5 },
};

/** DOC-2: one card on an A4 page, with the candidate instructions and the 100 mm calibration bar. */
export const LARGE_CARD: CardLayout = {
  page: { w: 210, h: 297 },
  columns: 1,
  rows: 1,
  origin: { x: 15, y: 12 },
  card: { w: 180, h: 273 },
  frame: false,
  title: { x: 0, y: 4, w: 180, size: 15, min: 11 },
  lines: { top: 22, gap: 8.5, labelX: 2, valueX: 30, valueW: 100, size: 11, min: 8 },
  site: {
    name: { x: 2, y: 100, w: 130, size: 11, min: 8 },
    address: { x: 2, y: 108.5, w: 130, size: 10, min: 7 },
  },
  photo: { x: 140, y: 20, w: 36, h: 48 },
  qr: { x: 141, y: 74, size: 34 },
  barcode: { x: 2, y: 116, w: 90, h: 12, textSize: 9 },
  instructions: { x: 2, y: 140, w: 176, size: 9.5, lineGap: 5.2, heading: 12 },
  calibration: { x: 2, y: 266 },
};

export const MM = 72 / 25.4;
