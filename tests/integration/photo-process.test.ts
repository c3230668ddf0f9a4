import { createElement } from "react";
import { renderToString } from "react-dom/server";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { PhotoPicker } from "../../app/components/photo-picker";
import { AppError } from "../../app/domain/errors";
import { PHOTO, sniffImageType } from "../../app/domain/photo";
import { translator } from "../../app/i18n";
import { encodeWithinBounds, processCandidatePhoto } from "../../app/photos/process-photo.server";
import {
  LIGHT_BLUE,
  LIGHT_GREY,
  busyBackgroundPhoto,
  colouredBackgroundPhoto,
  compliantPhoto,
  darkBackgroundPhoto,
  hugeBytes,
  pngBytes,
  roomBackgroundPhoto,
  sidewaysPhoto,
  tinyPhoto,
  truncatedPhoto,
  wideLandscapePhoto,
} from "../fixtures/photos";

/** The AppError a promise rejects with (the test fails if it resolves or throws something else). */
async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, "expected the photo to be refused").toBeInstanceOf(AppError);
  return e as AppError;
}

/** Horizontal centre of the dark pixels (the hair) in one row of the stored photo: where the person's head is. */
async function personCentre(jpeg: Buffer, y: number): Promise<number> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  let sum = 0,
    n = 0;
  for (let x = 0; x < info.width; x++) {
    const i = (y * info.width + x) * info.channels;
    if (data[i] + data[i + 1] + data[i + 2] < 300) {
      sum += x;
      n++;
    }
  }
  return n ? sum / n : NaN;
}

async function pixel(jpeg: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i], data[i + 1], data[i + 2]];
}

describe("candidate photo processing", () => {
  it("PHO-7: a compliant photo is stored as a 360×480 JPEG within 10–200 KB, without EXIF", async () => {
    const input = await compliantPhoto();
    const before = await sharp(input).metadata();
    expect(before.exif, "the fixture carries a phone's EXIF").toBeDefined();

    const out = await processCandidatePhoto(input, null);
    expect(out).toMatchObject({ width: PHOTO.storedWidth, height: PHOTO.storedHeight, bytes: out.jpeg.length });
    expect(sniffImageType(out.jpeg.subarray(0, 16))).toBe("jpeg");
    expect(out.bytes).toBeGreaterThanOrEqual(PHOTO.storedMinBytes);
    expect(out.bytes).toBeLessThanOrEqual(PHOTO.storedMaxBytes);
    const meta = await sharp(out.jpeg).metadata();
    expect(meta).toMatchObject({ format: "jpeg", width: 360, height: 480 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(out.jpeg.includes(Buffer.from("KaowuTestPhone"))).toBe(false);
  });

  it.each([
    ["light blue", LIGHT_BLUE],
    ["light grey", LIGHT_GREY],
  ] as const)("PHO-4: a portrait against %s passes", async (_name, background) => {
    const out = await processCandidatePhoto(await compliantPhoto({ background: [...background] }), null);
    expect([out.width, out.height]).toEqual([360, 480]);
  });

  it("PHO-7: a landscape photo without a crop gets the largest centred 3:4 crop", async () => {
    const out = await processCandidatePhoto(await wideLandscapePhoto(), null);
    expect([out.width, out.height]).toEqual([360, 480]);
    expect(out.width / out.height).toBe(3 / 4);
    expect(Math.abs((await personCentre(out.jpeg, 90)) - 180)).toBeLessThan(4);
  });

  it("PHO-7: the candidate's crop is applied in source pixels", async () => {
    // 1200×800 with the head at x = 600; this crop puts it at (600 − 375) / 525 ≈ 43 % of the width.
    // Source row 150 (through the hair) lands on row (150 − 50) / 700 × 480 ≈ 69.
    const out = await processCandidatePhoto(await wideLandscapePhoto(), { x: 375, y: 50, width: 525, height: 700 });
    expect([out.width, out.height]).toEqual([360, 480]);
    expect(Math.abs((await personCentre(out.jpeg, 69)) - ((600 - 375) / 525) * 360)).toBeLessThan(4);
  });

  it("PHO-7: EXIF orientation is applied before cropping (a phone's sideways portrait comes out upright)", async () => {
    const input = await sidewaysPhoto();
    const meta = await sharp(input).metadata();
    expect([meta.width, meta.height, meta.orientation]).toEqual([800, 600, 6]);
    const out = await processCandidatePhoto(input, { x: 0, y: 0, width: 600, height: 800 });
    expect([out.width, out.height]).toEqual([360, 480]);
    expect(Math.abs((await personCentre(out.jpeg, 90)) - 180)).toBeLessThan(4);
    const top = await pixel(out.jpeg, 180, 5);
    expect(Math.min(...top)).toBeGreaterThan(200); // backdrop above the head, not the jacket
  });

  it.each([
    ["starting past the right edge", { x: 500, y: 0, width: 600, height: 800 }],
    ["starting above the image", { x: 0, y: -40, width: 300, height: 400 }],
    ["far outside", { x: 5000, y: 5000, width: 300, height: 400 }],
    ["not numbers", { x: NaN, y: 0, width: 300, height: 400 }],
  ])("PHO-7: a crop outside the image is refused: %s", async (_name, crop) => {
    const e = await refusal(processCandidatePhoto(await compliantPhoto(), crop));
    expect(e.key).toBe("photo.crop_outside");
    expect(e.params).toEqual({ width: 600, height: 800 });
    expect(e.status).toBe(400);
  });

  it("PHO-4: a crop that is not 3:4 is refused, and so is one under 240×320 source pixels", async () => {
    const input = await compliantPhoto();
    expect((await refusal(processCandidatePhoto(input, { x: 0, y: 0, width: 600, height: 600 }))).key).toBe(
      "photo.aspect",
    );
    const small = await refusal(processCandidatePhoto(input, { x: 225, y: 200, width: 150, height: 200 }));
    expect(small.key).toBe("photo.too_small");
    expect(small.params).toMatchObject({ width: 150, height: 200, minWidth: 240, minHeight: 320 });
  });

  it("PHO-4: a PNG renamed to .jpg is refused with a message that names PNG and asks for JPEG", async () => {
    const e = await refusal(processCandidatePhoto(await pngBytes(), null));
    expect(e.key).toBe("photo.not_jpeg");
    expect(e.params).toEqual({ found: "PNG" });
    for (const locale of ["zh-CN", "en"] as const) {
      const text = translator(locale)(e.key, e.params);
      expect(text).toContain("PNG");
      expect(text).toContain("JPEG");
    }
  });

  it.each([
    ["dark", darkBackgroundPhoto, "photo.background_dark"],
    ["busy (random noise)", busyBackgroundPhoto, "photo.background_busy"],
    ["busy (a wall and a door)", roomBackgroundPhoto, "photo.background_busy"],
    ["strongly coloured", colouredBackgroundPhoto, "photo.background_colour"],
  ] as const)("PHO-4: a %s background is refused", async (_name, make, key) => {
    const e = await refusal(processCandidatePhoto(await make(), null));
    expect(e.key).toBe(key);
    expect(translator("zh-CN")(e.key, e.params)).toMatch(/背景/);
  });

  it("PHO-4: a tiny photo is refused with its size and the minimum", async () => {
    const e = await refusal(processCandidatePhoto(await tinyPhoto(), null));
    expect(e.key).toBe("photo.too_small");
    expect(e.params).toEqual({ width: 100, height: 133, minWidth: 240, minHeight: 320 });
  });

  it("PHO-4: a truncated or garbled JPEG is refused as broken", async () => {
    expect((await refusal(processCandidatePhoto(await truncatedPhoto(), null))).key).toBe("photo.broken");
    expect((await refusal(processCandidatePhoto(hugeBytes(4096), null))).key).toBe("photo.broken");
  });

  it("PHO-4: files over 10 MB are refused before decoding, empty files too", async () => {
    const e = await refusal(processCandidatePhoto(hugeBytes(PHOTO.maxInputBytes + 1), null));
    expect(e.key).toBe("photo.too_large_file");
    expect((await refusal(processCandidatePhoto(Buffer.alloc(0), null))).key).toBe("photo.empty");
  });

  it("PHO-4: a JPEG whose header claims 30 000 × 30 000 pixels is refused without decoding it", async () => {
    const jpeg = await sharp({ create: { width: 300, height: 400, channels: 3, background: "#fff" } })
      .jpeg()
      .toBuffer();
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    expect(sof).toBeGreaterThan(0);
    jpeg.writeUInt16BE(30_000, sof + 5); // height
    jpeg.writeUInt16BE(30_000, sof + 7); // width
    const started = Date.now();
    const e = await refusal(processCandidatePhoto(jpeg, null));
    expect(e.key).toBe("photo.too_many_pixels");
    expect(e.params).toEqual({ megapixels: 900, max: 50 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("PHO-7: a blank picture is refused: it has no detail to store", async () => {
    const blank = await sharp({ create: { width: 600, height: 800, channels: 3, background: "#f6f7f8" } })
      .jpeg()
      .toBuffer();
    expect((await refusal(processCandidatePhoto(blank, null))).key).toBe("photo.too_plain");
  });

  it("PHO-7: the encoder lowers the quality step by step until the file fits the byte limit", async () => {
    const geometry = { width: 360, height: 480, channels: 3 as const };
    const noise = Buffer.alloc(360 * 480 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24; // detail that compresses badly
    const first = await encodeWithinBounds(noise, geometry, { minBytes: 0, maxBytes: 10_000_000 });
    const fitted = await encodeWithinBounds(noise, geometry, { minBytes: 0, maxBytes: Math.round(first.length * 0.6) });
    expect(fitted.length).toBeLessThanOrEqual(first.length * 0.6);
    expect(await sharp(fitted).metadata()).toMatchObject({ format: "jpeg", width: 360, height: 480 });
  });

  it("PHO-7: the photo picker renders on the server as a plain JPEG file input, showing the current photo", () => {
    const t = translator("zh-CN");
    const html = renderToString(createElement(PhotoPicker, { t, currentUrl: "/candidate/photo-image?v=1" }));
    expect(html).toMatch(
      /<input[^>]*type="file"[^>]*name="photo"[^>]*accept="image\/jpeg"[^>]*data-testid="photo-input"/,
    );
    expect(html).toContain('data-testid="photo-problems"');
    expect(html).toContain('src="/candidate/photo-image?v=1"');
    // No crop fields without JavaScript: the server then uses the default crop.
    expect(html).not.toContain("cropX");
    expect(html).not.toContain('data-testid="photo-cropper"');
    const other = renderToString(createElement(PhotoPicker, { t: (k: string) => k, name: "upload" }));
    expect(other).toContain('name="upload"');
    expect(other).not.toContain("<img");
  });
});
