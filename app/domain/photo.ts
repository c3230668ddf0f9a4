// PHO-4 / PHO-7: what a compliant candidate photo is, as pure checks shared by the browser (checks at
// once, while the candidate crops) and the server (the checks that count, before re-encoding).
// No I/O and no node imports: this module is bundled for the browser too.
// The thresholds and why they were chosen: docs/decisions/0011-sharp-photos.md.

/** The rules of a compliant photo. Input = what the candidate uploads; stored = what we keep. */
export const PHOTO = {
  /** Uploads above this are refused before decoding (a phone photo is 2–6 MB). */
  maxInputBytes: 10 * 1024 * 1024,
  /** Decompression-bomb guard: 50 MP covers a 50-MP phone's full-resolution mode (8160×6120). */
  maxInputPixels: 50_000_000,
  /** The crop, in source pixels, must hold at least this much detail (upscaling adds none). */
  minCropWidth: 240,
  minCropHeight: 320,
  /** Width : height of the crop and of the stored photo. */
  aspect: 3 / 4,
  /** A crop may differ from 3:4 by this fraction (rounding of a hand-made crop). */
  aspectTolerance: 0.02,
  /** The stored photo: exactly this size, JPEG, within these byte bounds. */
  storedWidth: 360,
  storedHeight: 480,
  storedMinBytes: 10 * 1024,
  storedMaxBytes: 200 * 1024,
} as const;

/** The upload limit on its own, for the multipart reader that streams the file to disk. */
export const PHOTO_MAX_FILE_BYTES = PHOTO.maxInputBytes;

/** The background check's thresholds (on 0–255 channels); see checkBackground. */
export const BACKGROUND = {
  /** Below this Rec. 601 luma (≈ 59 %) the background is too dark (or too deep a colour). */
  minLuma: 150,
  /** A pixel is "like the background" within this many levels of the region's median, per channel. */
  likeMedian: 24,
  /** …and at least this share of each region's pixels must be. */
  minUniform: 0.8,
  /** Mean luma step between horizontal neighbours above this is texture or noise. */
  maxTexture: 10,
  /** Two regions whose median colours differ by more than this (per channel) are not one backdrop. */
  maxRegionSpread: 70,
  /** HSV saturation and chroma (max − min) above which a non-blue colour counts as strong. */
  maxSaturation: 0.25,
  maxChroma: 40,
  /** Hues (degrees) that count as light blue, which may be as saturated as it likes while light. */
  blueHueFrom: 180,
  blueHueTo: 240,
} as const;

export type PhotoProblemKey =
  | "photo.empty"
  | "photo.not_image"
  | "photo.not_jpeg"
  | "photo.too_large_file"
  | "photo.too_small_file"
  | "photo.too_small"
  | "photo.too_many_pixels"
  | "photo.aspect"
  | "photo.crop_outside"
  | "photo.broken"
  | "photo.background_dark"
  | "photo.background_busy"
  | "photo.background_colour"
  | "photo.too_plain";

/** A reason to refuse a photo: an i18n message key and the values for its placeholders. */
export interface PhotoProblem {
  key: PhotoProblemKey;
  params?: Record<string, string | number>;
}

export type ImageType = "jpeg" | "png" | "gif" | "webp" | "heic" | "bmp" | "unknown";

export interface Size {
  width: number;
  height: number;
}

/** A rectangle in source pixels (after EXIF orientation), as the crop fields carry it. */
export interface Crop extends Size {
  x: number;
  y: number;
}

/** The names of the hidden form fields that carry the crop (absent = the default crop). */
export const CROP_FIELDS = { x: "cropX", y: "cropY", width: "cropWidth", height: "cropHeight" } as const;

const TYPE_NAMES: Record<Exclude<ImageType, "unknown">, string> = {
  jpeg: "JPEG",
  png: "PNG",
  gif: "GIF",
  webp: "WebP",
  heic: "HEIC",
  bmp: "BMP",
};

/** the image type by its first bytes (16 are enough), never by the file's name. */
export function sniffImageType(firstBytes: Uint8Array): ImageType {
  const b = firstBytes;
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (
    b.length >= 8 &&
    b[0] === 0x89 &&
    ascii(1, 4) === "PNG" &&
    b[4] === 0x0d &&
    b[5] === 0x0a &&
    b[6] === 0x1a &&
    b[7] === 0x0a
  )
    return "png";
  if (b.length >= 6 && (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a")) return "gif";
  if (b.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  // ISO base media: size, "ftyp", major brand. HEIC/HEIF is what iPhones save by default.
  if (
    b.length >= 12 &&
    ascii(4, 8) === "ftyp" &&
    ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"].includes(ascii(8, 12))
  )
    return "heic";
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return "bmp";
  return "unknown";
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** PHO-4: the uploaded file itself: JPEG by content, not empty, not above the input limit. Every problem, not just the first. */
export function checkPhotoFile({ bytes, sniffedType }: { bytes: number; sniffedType: ImageType }): PhotoProblem[] {
  const problems: PhotoProblem[] = [];
  if (bytes <= 0) return [{ key: "photo.empty" }];
  if (sniffedType === "unknown") problems.push({ key: "photo.not_image" });
  else if (sniffedType !== "jpeg") problems.push({ key: "photo.not_jpeg", params: { found: TYPE_NAMES[sniffedType] } });
  if (bytes > PHOTO.maxInputBytes)
    problems.push({
      key: "photo.too_large_file",
      params: { size: megabytes(bytes), max: megabytes(PHOTO.maxInputBytes) },
    });
  return problems;
}

/**
 * PHO-4: pixel bounds of the source image or of the crop area: at least 240 wide and 320 high
 * (a source that is not cannot hold a 3:4 crop that large), and at most 50 MP (decompression-bomb
 * guard; a crop inside an accepted source never exceeds it).
 */
export function checkPhotoDimensions({ width, height }: Size): PhotoProblem | null {
  if (width * height > PHOTO.maxInputPixels) {
    return {
      key: "photo.too_many_pixels",
      params: { megapixels: Math.round((width * height) / 1e6), max: PHOTO.maxInputPixels / 1e6 },
    };
  }
  if (width < PHOTO.minCropWidth || height < PHOTO.minCropHeight) {
    return {
      key: "photo.too_small",
      params: {
        width: Math.round(width),
        height: Math.round(height),
        minWidth: PHOTO.minCropWidth,
        minHeight: PHOTO.minCropHeight,
      },
    };
  }
  return null;
}

/** PHO-4: width : height is 3 : 4 within ±2 %. */
export function checkAspect({ width, height }: Size): PhotoProblem | null {
  const ok = width > 0 && height > 0 && Math.abs(width / height / PHOTO.aspect - 1) <= PHOTO.aspectTolerance;
  return ok ? null : { key: "photo.aspect", params: { width: Math.round(width), height: Math.round(height) } };
}

/** PHO-7: the crop lies inside the (oriented) image and has whole, positive sides. */
export function checkCrop(crop: Crop, image: Size): PhotoProblem | null {
  const values = [crop.x, crop.y, crop.width, crop.height];
  const inside =
    values.every((v) => Number.isFinite(v) && Number.isInteger(v)) &&
    crop.x >= 0 &&
    crop.y >= 0 &&
    crop.width > 0 &&
    crop.height > 0 &&
    crop.x + crop.width <= image.width &&
    crop.y + crop.height <= image.height;
  return inside ? null : { key: "photo.crop_outside", params: { width: image.width, height: image.height } };
}

/** PHO-7: the largest centred rectangle of exactly 3:4 (whole pixels) inside an image: the crop when the candidate made none. */
export function defaultCrop(width: number, height: number): Crop {
  const k = Math.max(0, Math.min(Math.floor(width / 3), Math.floor(height / 4)));
  const w = 3 * k;
  const h = 4 * k;
  return { x: Math.floor((width - w) / 2), y: Math.floor((height - h) / 2), width: w, height: h };
}

/**
 * PHO-7: a crop made by hand (the cropper rounds each side on its own, so it can end one pixel past
 * the edge) made whole and moved or trimmed to lie inside the image. Trimming one pixel stays far
 * within the ±2 % aspect tolerance.
 */
export function clampCrop(crop: Crop, image: Size): Crop {
  const width = Math.max(1, Math.min(Math.round(crop.width), image.width));
  const height = Math.max(1, Math.min(Math.round(crop.height), image.height));
  const x = Math.min(Math.max(0, Math.round(crop.x)), image.width - width);
  const y = Math.min(Math.max(0, Math.round(crop.y)), image.height - height);
  return { x, y, width, height };
}

/**
 * The crop from the hidden form fields (photo picker): null when none was sent (no JavaScript),
 * otherwise the numbers as given (NaN where a field is not a number, which checkCrop refuses).
 */
export function readCropFields(form: { get(name: string): unknown }): Crop | null {
  const raw = [CROP_FIELDS.x, CROP_FIELDS.y, CROP_FIELDS.width, CROP_FIELDS.height].map((n) => form.get(n));
  if (raw.every((v) => v === null || v === undefined || v === "")) return null;
  const [x, y, width, height] = raw.map((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : NaN));
  return { x, y, width, height };
}

interface RegionStats {
  median: [number, number, number];
  uniform: number;
  texture: number;
  count: number;
}

const luma = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

/** The element at ⌊n/2⌋ of the sorted 8-bit values, by counting (sorting cost 20–40 ms a photo). */
function median(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  const counts = new Uint32Array(256);
  for (let i = 0; i < values.length; i++) counts[values[i]]++;
  const k = Math.floor(values.length / 2);
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += counts[v];
    if (seen > k) return v;
  }
  return 255;
}

function regionStats(
  px: ArrayLike<number>,
  width: number,
  channels: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
): RegionStats {
  const n = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const rs = new Uint8Array(n),
    gs = new Uint8Array(n),
    bs = new Uint8Array(n);
  let texture = 0,
    steps = 0,
    k = 0;
  for (let y = y0; y < y1; y++) {
    let prev = -1;
    for (let x = x0; x < x1; x++) {
      const i = (y * width + x) * channels;
      const r = px[i],
        g = channels >= 3 ? px[i + 1] : r,
        b = channels >= 3 ? px[i + 2] : r;
      rs[k] = r;
      gs[k] = g;
      bs[k] = b;
      k++;
      const l = luma(r, g, b);
      if (prev >= 0) {
        texture += Math.abs(l - prev);
        steps++;
      }
      prev = l;
    }
  }
  const m: [number, number, number] = [median(rs), median(gs), median(bs)];
  let like = 0;
  for (let i = 0; i < rs.length; i++) {
    if (
      Math.abs(rs[i] - m[0]) <= BACKGROUND.likeMedian &&
      Math.abs(gs[i] - m[1]) <= BACKGROUND.likeMedian &&
      Math.abs(bs[i] - m[2]) <= BACKGROUND.likeMedian
    )
      like++;
  }
  return {
    median: m,
    uniform: rs.length ? like / rs.length : 1,
    texture: steps ? texture / steps : 0,
    count: rs.length,
  };
}

function hueOf(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b),
    min = Math.min(r, g, b),
    c = max - min;
  if (c === 0) return 0;
  const h = max === r ? ((g - b) / c) % 6 : max === g ? (b - r) / c + 2 : (r - g) / c + 4;
  return (h * 60 + 360) % 360;
}

/**
 * PHO-4: is the background a plain light colour? Samples where a portrait has background: the
 * top strip (top 8 %) and the upper left and right edges (outer 12 %, from 8 % to 45 % of the
 * height, above the shoulders). Refuses, in this order:
 * - busy: a region where under 80 % of the pixels are near its median colour (objects, noise), a
 *   region with fine texture, or regions of clearly different colours (a wall and a door);
 * - strong colour: saturated and not a blue (white, grey, cream and light blue pass);
 * - dark: median luma under 150 (also a deep blue, which is not light).
 * Pixels are 8-bit, row-major, `channels` per pixel (1 grey, 3 RGB, 4 RGBA; alpha is ignored).
 * Both sides run it on the crop scaled to the stored size, so they agree.
 */
export function checkBackground(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  channels: number,
): PhotoProblem | null {
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width <= 0 ||
    height <= 0 ||
    channels < 1 ||
    channels > 4
  ) {
    throw new RangeError(`checkBackground: bad geometry ${width}×${height}×${channels}`);
  }
  if (rgba.length < width * height * channels)
    throw new RangeError(`checkBackground: ${rgba.length} bytes for ${width}×${height}×${channels}`);
  const top = Math.max(1, Math.round(height * 0.08));
  const sideTo = Math.max(top + 1, Math.round(height * 0.45));
  const side = Math.max(1, Math.round(width * 0.12));
  const regions = [
    regionStats(rgba, width, channels, 0, width, 0, top),
    regionStats(rgba, width, channels, 0, side, top, sideTo),
    regionStats(rgba, width, channels, width - side, width, top, sideTo),
  ];

  const spread = Math.max(
    ...[0, 1, 2].map((c) => {
      const values = regions.map((reg) => reg.median[c]);
      return Math.max(...values) - Math.min(...values);
    }),
  );
  const busy =
    regions.some((r) => r.uniform < BACKGROUND.minUniform || r.texture > BACKGROUND.maxTexture) ||
    spread > BACKGROUND.maxRegionSpread;
  if (busy) return { key: "photo.background_busy" };

  // The backdrop's colour: the pixel-weighted mean of the regions' medians.
  const total = regions.reduce((s, r) => s + r.count, 0);
  const [r, g, b] = [0, 1, 2].map((c) => regions.reduce((s, reg) => s + reg.median[c] * reg.count, 0) / total);
  const max = Math.max(r, g, b),
    min = Math.min(r, g, b);
  const saturation = max === 0 ? 0 : (max - min) / max;
  const hue = hueOf(r, g, b);
  const blue = hue >= BACKGROUND.blueHueFrom && hue <= BACKGROUND.blueHueTo;
  if (!blue && saturation > BACKGROUND.maxSaturation && max - min > BACKGROUND.maxChroma)
    return { key: "photo.background_colour" };
  if (luma(r, g, b) < BACKGROUND.minLuma) return { key: "photo.background_dark" };
  return null;
}

/** PHO-4: the stored file's byte bounds (10 KB – 200 KB), for photos that arrive already encoded (PHO-2 imports). */
export function checkStoredPhotoBytes(bytes: number): PhotoProblem | null {
  const kb = (n: number) => `${Math.ceil(n / 1024)} KB`;
  if (bytes > PHOTO.storedMaxBytes)
    return { key: "photo.too_large_file", params: { size: kb(bytes), max: kb(PHOTO.storedMaxBytes) } };
  if (bytes < PHOTO.storedMinBytes)
    return { key: "photo.too_small_file", params: { size: kb(bytes), min: kb(PHOTO.storedMinBytes) } };
  return null;
}

/**
 * the name a stored photo is downloaded under: its ID number's last four characters only
 * (the whole number would land in download folders and browser history).
 */
export function photoFileName(idNumber: string): string {
  return `photo-${[...idNumber].slice(-4).join("")}.jpg`;
}
