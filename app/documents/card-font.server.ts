import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import * as fontkit from "fontkit";
import type { Fontkit } from "pdf-lib/cjs/types/fontkit";

// Issue 17 item 5 (DESIGN.md "Chinese PDFs"): the card font, Noto Sans SC 400 (OFL, TrueType
// outlines: templates/fonts/README.md says where it came from), parsed once per process and given
// to pdf-lib through upstream fontkit 2.x. `@pdf-lib/fontkit` writes broken subsets for documents
// with fewer than about 300 distinct glyphs (72–79 % of the ink lost: every one-card PDF).

export const CARD_FONT_PATH = path.resolve("templates/fonts/NotoSansSC-Regular.ttf");

let bytes: Uint8Array | null = null;
let parsed: fontkit.Font | null = null;

/** The font file's bytes, read once; pass exactly these to embedFont so the adapter reuses the parse. */
export function cardFontBytes(): Uint8Array {
  bytes ??= new Uint8Array(fs.readFileSync(CARD_FONT_PATH));
  return bytes;
}

function cardFont(): fontkit.Font {
  parsed ??= fontkit.create(Buffer.from(cardFontBytes())) as fontkit.Font;
  return parsed;
}

/** Whether the card font can print this character (DOC-4: listed before generating, never a blank). */
export const cardFontHas = (codePoint: number) => cardFont().hasGlyphForCodePoint(codePoint);

/**
 * The fontkit pdf-lib registers (`doc.registerFontkit(cardFontkit)`): upstream fontkit with the one
 * method pdf-lib expects of its fork (a subset's `encodeStream()`), the parsed font shared between
 * documents (each document has its own subset), and no OpenType layout: Chinese, digits and Latin
 * need none, and shaping costs about 30 %.
 */
export const cardFontkit: Fontkit = {
  create(data: Uint8Array) {
    const font = data === bytes ? cardFont() : (fontkit.create(Buffer.from(data)) as fontkit.Font);
    // pdf-lib's Fontkit types describe its fork; upstream's font has what pdf-lib calls.
    return new Proxy(font, {
      get(target, prop) {
        if (prop === "layout") return (text: string) => ({ glyphs: target.glyphsForString(text) });
        if (prop === "createSubset")
          return () => {
            const subset = target.createSubset();
            return {
              includeGlyph: (glyph: fontkit.Glyph) => subset.includeGlyph(glyph),
              encodeStream() {
                const out = new EventEmitter();
                queueMicrotask(() => {
                  try {
                    out.emit("data", subset.encode());
                    out.emit("end");
                  } catch (e) {
                    out.emit("error", e);
                  }
                });
                return out;
              },
            };
          };
        const v = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    }) as unknown as ReturnType<Fontkit["create"]>;
  },
};
