import { describe, expect, it } from "vitest";
import { prng } from "../../tests/fixtures/prng";
import { zhCN } from "~/i18n/zh-CN";
import { en } from "~/i18n/en";
import {
  BACKGROUND,
  PHOTO,
  checkAspect,
  checkBackground,
  checkCrop,
  checkPhotoDimensions,
  checkPhotoFile,
  checkStoredPhotoBytes,
  clampCrop,
  defaultCrop,
  readCropFields,
  sniffImageType,
  type ImageType,
  type PhotoProblemKey,
} from "./photo";

type Rgb = [number, number, number];

interface PortraitSpec {
  width?: number;
  height?: number;
  channels?: 1 | 3 | 4;
  background: Rgb | ((x: number, y: number, rand: () => number) => Rgb);
  /** ± levels of sensor noise on the background */
  noise?: number;
  /** Size of the person relative to a usual ID photo (1.4 = a tight crop). */
  scale?: number;
  /** Top of the hair, as a share of the height. */
  headTop?: number;
}

/** A portrait as raw pixels (like a canvas's ImageData with channels 4): backdrop, hair, face, neck, jacket. */
function portrait({
  width = 360,
  height = 480,
  channels = 4,
  background,
  noise = 2,
  scale = 1,
  headTop = 0.14,
}: PortraitSpec): Uint8ClampedArray {
  const rand = prng(42);
  const px = new Uint8ClampedArray(width * height * channels);
  const cx = width / 2;
  const H = height * scale;
  const hairRy = 0.2 * H;
  const hairCy = height * headTop + hairRy;
  const faceCy = hairCy + 0.03 * H;
  const inside = (x: number, y: number, ex: number, ey: number, rx: number, ry: number) =>
    ((x - ex) / rx) ** 2 + ((y - ey) / ry) ** 2 <= 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let c: Rgb;
      let n = 4;
      if (inside(x, y, cx, faceCy + 0.75 * H, 0.45 * H, 0.45 * H)) c = [38, 52, 84];
      else if (Math.abs(x - cx) < 0.06 * H && y > faceCy) c = [214, 170, 138];
      else if (inside(x, y, cx, faceCy, 0.14 * H, 0.19 * H)) c = [226, 182, 150];
      else if (inside(x, y, cx, hairCy, 0.165 * H, hairRy)) c = [46, 34, 28];
      else {
        c = typeof background === "function" ? background(x, y, rand) : background;
        n = noise;
      }
      const d = n ? (rand() * 2 - 1) * n : 0;
      const i = (y * width + x) * channels;
      if (channels === 1) px[i] = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] + d;
      else {
        px[i] = c[0] + d;
        px[i + 1] = c[1] + d;
        px[i + 2] = c[2] + d;
        if (channels === 4) px[i + 3] = 255;
      }
    }
  }
  return px;
}

const bytesOf = (...b: number[]) => new Uint8Array([...b, ...new Array(16).fill(0)]);
const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

describe("photo checks", () => {
  it.each<[string, Uint8Array, ImageType]>([
    ["JPEG (JFIF)", bytesOf(0xff, 0xd8, 0xff, 0xe0), "jpeg"],
    ["JPEG (Exif)", bytesOf(0xff, 0xd8, 0xff, 0xe1), "jpeg"],
    ["PNG", bytesOf(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), "png"],
    ["GIF89a", bytesOf(...ascii("GIF89a")), "gif"],
    ["GIF87a", bytesOf(...ascii("GIF87a")), "gif"],
    ["WebP", bytesOf(...ascii("RIFF"), 0x10, 0, 0, 0, ...ascii("WEBPVP8 ")), "webp"],
    ["HEIC from an iPhone", bytesOf(0, 0, 0, 0x18, ...ascii("ftypheic")), "heic"],
    ["HEIF (mif1)", bytesOf(0, 0, 0, 0x1c, ...ascii("ftypmif1")), "heic"],
    ["BMP", bytesOf(...ascii("BM"), 0x36, 0x10), "bmp"],
    ["a PDF", bytesOf(...ascii("%PDF-1.7")), "unknown"],
    ["text", new TextEncoder().encode("张三.jpg"), "unknown"],
    ["nothing", new Uint8Array(0), "unknown"],
    ["two bytes of a JPEG", new Uint8Array([0xff, 0xd8]), "unknown"],
  ])("PHO-4: the image type is judged by content: %s", (_name, head, type) => {
    expect(sniffImageType(head)).toBe(type);
  });

  it.each<[string, { bytes: number; sniffedType: ImageType }, PhotoProblemKey[]]>([
    ["a 3 MB JPEG passes", { bytes: 3 * 1024 * 1024, sniffedType: "jpeg" }, []],
    ["a JPEG of exactly 10 MB passes", { bytes: PHOTO.maxInputBytes, sniffedType: "jpeg" }, []],
    [
      "a JPEG one byte over 10 MB is too large",
      { bytes: PHOTO.maxInputBytes + 1, sniffedType: "jpeg" },
      ["photo.too_large_file"],
    ],
    ["a PNG is not a JPEG", { bytes: 500_000, sniffedType: "png" }, ["photo.not_jpeg"]],
    ["a HEIC is not a JPEG", { bytes: 500_000, sniffedType: "heic" }, ["photo.not_jpeg"]],
    ["an unknown file is not a picture", { bytes: 500_000, sniffedType: "unknown" }, ["photo.not_image"]],
    [
      "a 12 MB PNG has both problems",
      { bytes: 12 * 1024 * 1024, sniffedType: "png" },
      ["photo.not_jpeg", "photo.too_large_file"],
    ],
    ["an empty file", { bytes: 0, sniffedType: "unknown" }, ["photo.empty"]],
  ])("PHO-4: file check: %s", (_name, file, keys) => {
    expect(checkPhotoFile(file).map((p) => p.key)).toEqual(keys);
  });

  it("PHO-4: a wrong type names the type found, so the message can say what it is", () => {
    expect(checkPhotoFile({ bytes: 1000, sniffedType: "png" })).toEqual([
      { key: "photo.not_jpeg", params: { found: "PNG" } },
    ]);
    expect(checkPhotoFile({ bytes: 1000, sniffedType: "heic" })[0].params).toEqual({ found: "HEIC" });
    expect(checkPhotoFile({ bytes: 12 * 1024 * 1024, sniffedType: "jpeg" })[0].params).toEqual({
      size: "12 MB",
      max: "10 MB",
    });
  });

  it.each<[string, number, number, PhotoProblemKey | null]>([
    ["the minimum 240×320", 240, 320, null],
    ["a phone photo 3024×4032", 3024, 4032, null],
    ["a landscape phone photo 4032×3024", 4032, 3024, null],
    ["a 50-MP sensor 8160×6120", 8160, 6120, null],
    ["239 wide", 239, 320, "photo.too_small"],
    ["319 high", 240, 319, "photo.too_small"],
    ["a thumbnail 100×133", 100, 133, "photo.too_small"],
    ["a landscape 320×240 (cannot hold a 240×320 crop)", 320, 240, "photo.too_small"],
    ["10 000 × 10 000 (a decompression bomb)", 10_000, 10_000, "photo.too_many_pixels"],
    ["65 535 × 65 535", 65_535, 65_535, "photo.too_many_pixels"],
  ])("PHO-4: pixel bounds: %s", (_name, width, height, key) => {
    expect(checkPhotoDimensions({ width, height })?.key ?? null).toBe(key);
  });

  it("PHO-4: the pixel messages carry the sizes found and required", () => {
    expect(checkPhotoDimensions({ width: 100, height: 133 })?.params).toEqual({
      width: 100,
      height: 133,
      minWidth: 240,
      minHeight: 320,
    });
    expect(checkPhotoDimensions({ width: 10_000, height: 10_000 })?.params).toEqual({ megapixels: 100, max: 50 });
  });

  it.each<[number, number, boolean]>([
    [360, 480, true],
    [300, 400, true],
    [3, 4, true],
    [305, 400, true], // +1.7 %
    [295, 400, true], // −1.7 %
    [310, 400, false], // +3.3 %
    [290, 400, false], // −3.3 %
    [400, 300, false],
    [480, 480, false],
    [360, 0, false],
    [0, 480, false],
  ])("PHO-4: aspect ratio 3:4 within ±2 %%: %i×%i → %s", (width, height, ok) => {
    expect(checkAspect({ width, height }) === null).toBe(ok);
  });

  it.each<[number, number, { x: number; y: number; width: number; height: number }]>([
    [600, 800, { x: 0, y: 0, width: 600, height: 800 }],
    [1200, 800, { x: 300, y: 0, width: 600, height: 800 }],
    [4032, 3024, { x: 882, y: 0, width: 2268, height: 3024 }],
    [3024, 4032, { x: 0, y: 0, width: 3024, height: 4032 }],
    [800, 1200, { x: 1, y: 68, width: 798, height: 1064 }],
    [601, 801, { x: 0, y: 0, width: 600, height: 800 }],
    [2, 2, { x: 1, y: 1, width: 0, height: 0 }],
  ])("PHO-7: the default crop is the largest centred 3:4 rectangle: %i×%i", (w, h, expected) => {
    const c = defaultCrop(w, h);
    expect(c).toEqual(expected);
    // Exactly 3:4, inside, centred to the pixel, and one step larger would not fit.
    expect(c.width * 4).toBe(c.height * 3);
    expect(c.x + c.width).toBeLessThanOrEqual(w);
    expect(c.y + c.height).toBeLessThanOrEqual(h);
    expect(Math.abs(w - c.width - 2 * c.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(h - c.height - 2 * c.y)).toBeLessThanOrEqual(1);
    expect(c.width + 3 > w || c.height + 4 > h).toBe(true);
  });

  it.each<[string, { x: number; y: number; width: number; height: number }, boolean]>([
    ["the whole image", { x: 0, y: 0, width: 600, height: 800 }, true],
    ["a part", { x: 100, y: 50, width: 300, height: 400 }, true],
    ["touching the bottom right corner", { x: 300, y: 400, width: 300, height: 400 }, true],
    ["one pixel past the right edge", { x: 301, y: 0, width: 300, height: 400 }, false],
    ["one pixel past the bottom", { x: 0, y: 401, width: 300, height: 400 }, false],
    ["starting left of the image", { x: -1, y: 0, width: 300, height: 400 }, false],
    ["starting above the image", { x: 0, y: -10, width: 300, height: 400 }, false],
    ["fractional pixels", { x: 0.5, y: 0, width: 300, height: 400 }, false],
    ["not a number", { x: NaN, y: 0, width: 300, height: 400 }, false],
    ["empty", { x: 0, y: 0, width: 0, height: 0 }, false],
    ["far outside", { x: 5000, y: 5000, width: 300, height: 400 }, false],
  ])("PHO-7: a crop must lie inside the image: %s", (_name, crop, ok) => {
    const p = checkCrop(crop, { width: 600, height: 800 });
    expect(p === null).toBe(ok);
    if (p) expect(p).toEqual({ key: "photo.crop_outside", params: { width: 600, height: 800 } });
  });

  it.each<
    [
      string,
      { x: number; y: number; width: number; height: number },
      { x: number; y: number; width: number; height: number },
    ]
  >([
    ["inside stays as it is", { x: 10, y: 20, width: 300, height: 400 }, { x: 10, y: 20, width: 300, height: 400 }],
    [
      "one pixel too high (cropper rounding) is trimmed",
      { x: 0, y: -1, width: 602, height: 803 },
      { x: 0, y: 0, width: 602, height: 802 },
    ],
    [
      "past the right edge is moved back",
      { x: 305, y: 0, width: 300, height: 400 },
      { x: 302, y: 0, width: 300, height: 400 },
    ],
    [
      "fractions are rounded",
      { x: 10.4, y: 19.6, width: 299.6, height: 400.2 },
      { x: 10, y: 20, width: 300, height: 400 },
    ],
  ])("PHO-7: a hand-made crop is brought inside the image: %s", (_name, crop, expected) => {
    const image = { width: 602, height: 802 };
    const c = clampCrop(crop, image);
    expect(c).toEqual(expected);
    expect(checkCrop(c, image)).toBeNull();
    expect(checkAspect(c)).toBeNull();
  });

  it("PHO-7: the crop fields of the form: absent means the default crop, garbage is refused by checkCrop", () => {
    const form = (entries: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(entries)) f.set(k, v);
      return f;
    };
    expect(readCropFields(form({}))).toBeNull();
    expect(readCropFields(form({ cropX: "", cropY: "", cropWidth: "", cropHeight: "" }))).toBeNull();
    expect(readCropFields(form({ cropX: "10", cropY: "20", cropWidth: "300", cropHeight: "400" }))).toEqual({
      x: 10,
      y: 20,
      width: 300,
      height: 400,
    });
    const partial = readCropFields(form({ cropX: "10", cropWidth: "abc" }))!;
    expect(partial.y).toBeNaN();
    expect(partial.width).toBeNaN();
    expect(checkCrop(partial, { width: 600, height: 800 })?.key).toBe("photo.crop_outside");
  });

  const noise: PortraitSpec["background"] = (_x, _y, rand) => [rand() * 255, rand() * 255, rand() * 255];
  it.each<[string, PortraitSpec, PhotoProblemKey | null]>([
    ["white", { background: [246, 247, 248] }, null],
    ["white with a camera's noise (±12)", { background: [240, 240, 240], noise: 12 }, null],
    ["white drowned in noise (±40)", { background: [215, 215, 215], noise: 40 }, "photo.background_busy"],
    ["light grey", { background: [200, 200, 204] }, null],
    ["light blue", { background: [142, 197, 255] }, null],
    ["sky blue", { background: [135, 206, 235] }, null],
    ["a medium light blue", { background: [111, 168, 220] }, null],
    ["cream (a warm white wall)", { background: [240, 226, 200] }, null],
    [
      "white, light falling off from left to right",
      { background: (x) => [235 - x / 9, 235 - x / 9, 238 - x / 9] },
      null,
    ],
    ["white, a tight crop: head close to the top", { background: [246, 247, 248], scale: 1.15, headTop: 0.05 }, null],
    ["white, a tight crop: head 3 % from the top", { background: [246, 247, 248], scale: 1.15, headTop: 0.03 }, null],
    [
      "white, but the hair touches the top edge (no background above the head)",
      { background: [246, 247, 248], scale: 1.25, headTop: 0 },
      "photo.background_busy",
    ],
    ["dark grey", { background: [48, 48, 52] }, "photo.background_dark"],
    ["medium grey", { background: [130, 130, 130] }, "photo.background_dark"],
    ["black", { background: [5, 5, 5], noise: 0 }, "photo.background_dark"],
    ["the deep blue of studio ID photos (not light)", { background: [67, 142, 219] }, "photo.background_dark"],
    ["random noise", { background: noise, noise: 0 }, "photo.background_busy"],
    [
      "a striped wallpaper",
      { background: (x) => (x % 8 < 4 ? [235, 235, 235] : [200, 200, 200]) },
      "photo.background_busy",
    ],
    [
      "a room: white wall left, brown door right",
      { background: (x) => (x < 180 ? [245, 245, 245] : [120, 80, 50]) },
      "photo.background_busy",
    ],
    [
      "a bookshelf: blocks of colours",
      {
        background: (x, y) =>
          (
            [
              [240, 240, 240],
              [120, 90, 60],
              [200, 60, 60],
              [60, 60, 60],
            ] as Rgb[]
          )[(Math.floor(x / 30) + Math.floor(y / 30)) % 4],
      },
      "photo.background_busy",
    ],
    ["strong green", { background: [40, 190, 60] }, "photo.background_colour"],
    ["red", { background: [220, 30, 30] }, "photo.background_colour"],
    ["yellow", { background: [250, 230, 90] }, "photo.background_colour"],
  ])("PHO-4: background: %s", (_name, spec, key) => {
    const width = spec.width ?? 360,
      height = spec.height ?? 480,
      channels = spec.channels ?? 4;
    expect(checkBackground(portrait(spec), width, height, channels)?.key ?? null).toBe(key);
  });

  it("PHO-4: a dark background is refused", () => {
    expect(checkBackground(portrait({ background: [40, 40, 40] }), 360, 480, 4)).toEqual({
      key: "photo.background_dark",
    });
  });

  it("PHO-4: the background check reads RGBA (canvas), RGB (sharp) and grey pixels alike, at any size", () => {
    for (const [spec, key] of [
      [{ background: [246, 247, 248] }, null],
      [{ background: [48, 48, 52] }, "photo.background_dark"],
      [{ background: noise, noise: 0 }, "photo.background_busy"],
    ] as Array<[PortraitSpec, PhotoProblemKey | null]>) {
      for (const channels of [1, 3, 4] as const) {
        for (const [width, height] of [
          [360, 480],
          [90, 120],
          [600, 800],
        ]) {
          expect(
            checkBackground(portrait({ ...spec, channels, width, height }), width, height, channels)?.key ?? null,
          ).toBe(key);
        }
      }
    }
  });

  it("PHO-4: the background check refuses buffers that do not match their geometry (a programming error)", () => {
    expect(() => checkBackground(new Uint8Array(10), 360, 480, 4)).toThrow(RangeError);
    expect(() => checkBackground(new Uint8Array(0), 0, 0, 4)).toThrow(RangeError);
    expect(() => checkBackground(new Uint8Array(100), 5, 5, 5)).toThrow(RangeError);
  });

  it("PHO-4: the thresholds are those of the decision record", () => {
    expect(PHOTO).toMatchObject({
      maxInputBytes: 10 * 1024 * 1024,
      maxInputPixels: 50_000_000,
      minCropWidth: 240,
      minCropHeight: 320,
      storedWidth: 360,
      storedHeight: 480,
      storedMinBytes: 10 * 1024,
      storedMaxBytes: 200 * 1024,
      aspectTolerance: 0.02,
    });
    expect(PHOTO.storedWidth / PHOTO.storedHeight).toBe(PHOTO.aspect);
    expect(BACKGROUND.minLuma).toBe(150);
  });

  it.each<[number, PhotoProblemKey | null]>([
    [9 * 1024, "photo.too_small_file"],
    [10 * 1024, null],
    [60 * 1024, null],
    [200 * 1024, null],
    [200 * 1024 + 1, "photo.too_large_file"],
  ])("PHO-4: a stored photo of %i bytes is within 10–200 KB or refused", (bytes, key) => {
    expect(checkStoredPhotoBytes(bytes)?.key ?? null).toBe(key);
  });

  it("PHO-7: every problem has a plain-words message in Chinese and English", () => {
    const keys: PhotoProblemKey[] = [
      "photo.empty",
      "photo.not_image",
      "photo.not_jpeg",
      "photo.too_large_file",
      "photo.too_small_file",
      "photo.too_small",
      "photo.too_many_pixels",
      "photo.aspect",
      "photo.crop_outside",
      "photo.broken",
      "photo.background_dark",
      "photo.background_busy",
      "photo.background_colour",
      "photo.too_plain",
    ];
    for (const key of keys) {
      expect(zhCN[key], key).toMatch(/请/); // says what to do
      expect(en[key], key).toBeTruthy();
    }
    expect(zhCN["photo.not_jpeg"]).toContain("{found}");
  });
});

describe("photo file names (X-4)", () => {
  it("X-4: a stored photo is named by the last four characters of the ID number, never the whole number", async () => {
    const { photoFileName } = await import("./photo");
    expect(photoFileName("330105197810270025")).toBe("photo-0025.jpg");
    expect(photoFileName("330105197810270025")).not.toContain("19781027");
  });
});
