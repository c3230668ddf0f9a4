import type { ReceiptGroup } from "~/domain/certificate-receipts";
import { drawFitted, grid, newPrintDocument, shade } from "./pdf-kit.server";
import { MM } from "./card-layouts";

// DOC-7 (manual §五十二): a certificate receipt form, A4 portrait: a row per passed entry with its
// certificate number, a box to sign and the date of collection. Millimetres from the top-left.

export interface ReceiptLabels {
  title: string;
  site: string;
  group: string;
  no: string;
  name: string;
  idNumber: string;
  admissionNo: string;
  subject: string;
  certificateNo: string;
  signature: string;
  date: string;
  footer: (count: number) => string;
  page: (n: number, total: number) => string;
}

const A4 = { w: 210, h: 297 };
const MARGIN = 12;
const COLUMNS = [
  { key: "no", w: 10 },
  { key: "name", w: 24 },
  { key: "idNumber", w: 30 },
  { key: "admissionNo", w: 32 },
  { key: "subject", w: 30 },
  { key: "certificateNo", w: 28 },
  { key: "signature", w: 18 },
  { key: "date", w: 14 },
] as const;
const ROW_H = 11;
const HEAD_H = 8;
const TOP = 30;
export const RECEIPT_ROWS_PER_PAGE = Math.floor((A4.h - 24 - TOP - HEAD_H) / ROW_H);

export async function drawReceiptForm(
  group: ReceiptGroup,
  head: { sittingName: string; siteCode: string; siteName: string; groupLabel: string },
  L: ReceiptLabels,
): Promise<Uint8Array> {
  const { doc, font } = await newPrintDocument(`${L.title} ${head.siteCode} ${head.groupLabel}`);
  const width = A4.w - 2 * MARGIN;
  const pages = Math.max(1, Math.ceil(group.entries.length / RECEIPT_ROWS_PER_PAGE));
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([A4.w * MM, A4.h * MM]);
    drawFitted(
      page,
      font,
      `${head.sittingName} ${L.title}`,
      { x: MARGIN, y: 10, w: width, size: 15, min: 11 },
      { center: true },
    );
    drawFitted(page, font, `${L.site}(${head.siteCode}) ${head.siteName}    ${L.group}${head.groupLabel}`, {
      x: MARGIN,
      y: 20,
      w: width,
      size: 9.5,
      min: 7,
    });
    let x = MARGIN;
    for (const c of COLUMNS) {
      shade(page, 0.92, x, TOP, c.w, HEAD_H);
      grid(page, x, TOP, c.w, HEAD_H);
      drawFitted(page, font, L[c.key], { x: x + 0.5, y: TOP + 2, w: c.w - 1, size: 8.5, min: 5.5 }, { center: true });
      x += c.w;
    }
    const rows = group.entries.slice(p * RECEIPT_ROWS_PER_PAGE, (p + 1) * RECEIPT_ROWS_PER_PAGE);
    rows.forEach((e, i) => {
      const top = TOP + HEAD_H + i * ROW_H;
      const values: Record<(typeof COLUMNS)[number]["key"], string> = {
        no: String(p * RECEIPT_ROWS_PER_PAGE + i + 1),
        name: e.name,
        idNumber: e.idNumber,
        admissionNo: e.admissionNo,
        subject: e.subject,
        certificateNo: e.certificateNo,
        signature: "",
        date: "",
      };
      x = MARGIN;
      for (const c of COLUMNS) {
        grid(page, x, top, c.w, ROW_H);
        if (values[c.key])
          drawFitted(
            page,
            font,
            values[c.key],
            { x: x + 1, y: top + ROW_H / 2 - 2, w: c.w - 2, size: 8.5, min: 5 },
            {
              center: c.key === "no",
            },
          );
        x += c.w;
      }
    });
    const footY = TOP + HEAD_H + RECEIPT_ROWS_PER_PAGE * ROW_H + 4;
    drawFitted(page, font, L.footer(group.entries.length), { x: MARGIN, y: footY, w: width, size: 10, min: 7 });
    drawFitted(page, font, L.page(p + 1, pages), { x: MARGIN, y: A4.h - 10, w: width, size: 8 }, { right: true });
  }
  return doc.save({ useObjectStreams: true });
}
