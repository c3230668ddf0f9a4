import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  BinaryBitmap,
  Code128Reader,
  DecodeHintType,
  HybridBinarizer,
  QRCodeReader,
  RGBLuminanceSource,
} from "@zxing/library";

// Renders PDFs as a printer would see them (poppler's pdftoppm) and reads what is on the page: ink
// and barcodes. DESIGN.md "Chinese PDFs": text extraction does not catch glyphs that print blank.

/** Whether pdftoppm is here; CI installs poppler-utils and sets REQUIRE_PDFTOPPM so a missing one fails. */
export function havePdftoppm(): boolean {
  const ok = spawnSync("pdftoppm", ["-v"], { stdio: "ignore" }).status === 0;
  if (!ok && process.env.REQUIRE_PDFTOPPM) throw new Error("pdftoppm (poppler-utils) is required here");
  if (!ok) console.warn("pdftoppm (poppler-utils) is not installed: the PDF render tests are skipped");
  return ok;
}

export interface Gray {
  width: number;
  height: number;
  /** One byte per pixel, 0 black … 255 white. */
  data: Uint8Array;
}

/** Page `page` (1-based) of the PDF at `dpi`, in grey. */
export function renderPage(pdf: Uint8Array, dpi: number, page = 1): Gray {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-pdf-"));
  try {
    const file = path.join(dir, "in.pdf");
    fs.writeFileSync(file, pdf);
    execFileSync("pdftoppm", [
      "-gray",
      "-r",
      String(dpi),
      "-f",
      String(page),
      "-l",
      String(page),
      file,
      path.join(dir, "p"),
    ]);
    const out = fs.readdirSync(dir).find((f) => f.endsWith(".pgm"))!;
    return parsePgm(fs.readFileSync(path.join(dir, out)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function parsePgm(b: Buffer): Gray {
  // "P5\n<w> <h>\n255\n" then the pixels.
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(b[i]))) i++;
    let s = "";
    while (!/\s/.test(String.fromCharCode(b[i]))) s += String.fromCharCode(b[i++]);
    fields.push(s);
  }
  if (fields[0] !== "P5") throw new Error("not a binary PGM");
  const width = Number(fields[1]);
  const height = Number(fields[2]);
  return { width, height, data: new Uint8Array(b.subarray(i + 1, i + 1 + width * height)) };
}

/** Dark pixels (< 128) in a region (pixels), or the whole page. */
export function ink(g: Gray, r = { x: 0, y: 0, w: g.width, h: g.height }): number {
  let n = 0;
  for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) if (g.data[y * g.width + x] < 128) n++;
  return n;
}

/** A region of the page given in millimetres from the top-left, in pixels at `dpi`. */
export const mmBox = (dpi: number, x: number, y: number, w: number, h: number) => {
  const k = dpi / 25.4;
  return { x: Math.round(x * k), y: Math.round(y * k), w: Math.round(w * k), h: Math.round(h * k) };
};

function crop(g: Gray, r: { x: number; y: number; w: number; h: number }) {
  const rgba = new Uint8ClampedArray(r.w * r.h * 4);
  for (let y = 0; y < r.h; y++)
    for (let x = 0; x < r.w; x++) {
      const v = g.data[(r.y + y) * g.width + r.x + x];
      const o = (y * r.w + x) * 4;
      rgba[o] = rgba[o + 1] = rgba[o + 2] = v;
      rgba[o + 3] = 255;
    }
  // RGBLuminanceSource takes 32-bit pixels (0xAARRGGBB little-endian) or one luminance byte each.
  const lum = new Uint8ClampedArray(r.w * r.h);
  for (let k = 0; k < lum.length; k++) lum[k] = rgba[k * 4];
  return new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(lum, r.w, r.h)));
}

/** A QR symbol's modules as a perfect grey image: `px` pixels a module, a quiet zone of `quiet` modules. */
export function moduleImage(m: { size: number; data: Uint8Array }, px = 5, quiet = 4): Gray {
  const side = (m.size + 2 * quiet) * px;
  const data = new Uint8Array(side * side).fill(255);
  for (let r = 0; r < m.size; r++)
    for (let c = 0; c < m.size; c++)
      if (m.data[r * m.size + c])
        for (let y = 0; y < px; y++)
          data.fill(
            0,
            ((quiet + r) * px + y) * side + (quiet + c) * px,
            ((quiet + r) * px + y) * side + (quiet + c + 1) * px,
          );
  return { width: side, height: side, data };
}

/**
 * The text of the QR code in a region (pixels) holding that one symbol and its quiet zone, or null when
 * none decodes. Read as a "pure" symbol first: zxing's finder-pattern search alone misses about one
 * symbol in fifty even on a perfect image and one in eight of our cards at 150 dpi (measured
 * 2026-12-06; all of those read as pure symbols), which made the browser test of a card's QR code
 * fail by chance. The bits, format and error correction are checked the same way either way.
 */
export function decodeQr(g: Gray, r: { x: number; y: number; w: number; h: number }): string | null {
  for (const hints of [new Map([[DecodeHintType.PURE_BARCODE, true]]), undefined])
    try {
      return new QRCodeReader().decode(crop(g, r), hints).getText();
    } catch {
      // the next way, or none
    }
  return null;
}

/** The text of the Code 128 barcode in a region (pixels), or null. */
export function decodeCode128(g: Gray, r: { x: number; y: number; w: number; h: number }): string | null {
  try {
    return new Code128Reader().decode(crop(g, r)).getText();
  } catch {
    return null;
  }
}

/** The PDF's text in reading order (poppler's pdftotext), pages separated by form feeds. */
export function pdfText(pdf: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-pdf-"));
  try {
    const file = path.join(dir, "in.pdf");
    fs.writeFileSync(file, pdf);
    return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** How many pages the PDF has, and the first page's size in points (poppler's pdfinfo). */
export function pdfPages(pdf: Uint8Array): { pages: number; width: number; height: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-pdf-"));
  try {
    const file = path.join(dir, "in.pdf");
    fs.writeFileSync(file, pdf);
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    const size = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info)!;
    return { pages: Number(/Pages:\s+(\d+)/.exec(info)![1]), width: Number(size[1]), height: Number(size[2]) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
