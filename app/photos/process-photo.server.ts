import sharp from "sharp";
import { AppError } from "~/domain/errors";
import {
  PHOTO,
  checkAspect,
  checkBackground,
  checkCrop,
  checkPhotoDimensions,
  checkPhotoFile,
  defaultCrop,
  sniffImageType,
  type Crop,
  type PhotoProblem,
} from "~/domain/photo";

export interface ProcessedPhoto {
  jpeg: Buffer;
  width: number;
  height: number;
  bytes: number;
}

// Quality steps: start high; go down while above the byte limit, up (with full-resolution colour)
// while below the lower bound. A 360×480 portrait lands at 20–60 KB at the first step.
const START_QUALITY = 90;
const LOWER_STEPS = [85, 80, 75, 70, 65, 60, 55, 50];
const RAISE_STEPS = [95, 100];

function refuse(problem: PhotoProblem): never {
  throw new AppError(problem.key, problem.params ?? {}, 400);
}

/**
 * PHO-7 (with the PHO-4 checks): turns a candidate's upload into the stored photo: a 360×480
 * baseline JPEG without metadata, 10–200 KB. The type is judged by content; EXIF orientation is
 * applied before the crop (the crop is in the pixels the candidate saw); `crop` null means the
 * largest centred 3:4 rectangle (a browser without JavaScript sends none).
 * Throws AppError("photo.*", params, 400) for anything the candidate can fix.
 */
export async function processCandidatePhoto(input: Buffer, crop: Crop | null): Promise<ProcessedPhoto> {
  const fileProblems = checkPhotoFile({ bytes: input.length, sniffedType: sniffImageType(input.subarray(0, 16)) });
  if (fileProblems.length > 0) refuse(fileProblems[0]);

  // Header only: no pixels are decoded, so a 100 000 × 100 000 "bomb" costs nothing here.
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    refuse({ key: "photo.broken" });
  }
  if (meta.format !== "jpeg" || !meta.width || !meta.height) refuse({ key: "photo.broken" });
  const image = meta.autoOrient ?? { width: meta.width, height: meta.height };

  const sourceProblem = checkPhotoDimensions(image);
  if (sourceProblem) refuse(sourceProblem);

  const area = crop ?? defaultCrop(image.width, image.height);
  const cropProblem = checkCrop(area, image) ?? checkAspect(area) ?? checkPhotoDimensions(area);
  if (cropProblem) refuse(cropProblem);

  // One decode: orient, crop, scale to the stored size. The background is judged on exactly
  // these pixels (the browser judges the same crop at the same size), then they are encoded.
  let pixels: StoredPixels;
  try {
    pixels = await storedPhotoPixels(input, area);
  } catch (e) {
    if (e instanceof Error && /pixel limit/i.test(e.message))
      refuse(checkPhotoDimensions(image) ?? { key: "photo.too_many_pixels" });
    refuse({ key: "photo.broken" });
  }
  const { width, height, channels } = pixels.info;

  const background = checkBackground(pixels.data, width, height, channels);
  if (background) refuse(background);

  const jpeg = await encodeStoredPhoto(pixels);
  // Not reached at 360×480 (pure noise peaks near 110 KB); were the stored size raised, a photo
  // still too large at the lowest quality would be mostly noise.
  if (jpeg.length > PHOTO.storedMaxBytes) refuse({ key: "photo.background_busy" });
  // Under 10 KB even at full quality: an almost blank or badly blurred picture, not a portrait.
  if (jpeg.length < PHOTO.storedMinBytes) refuse({ key: "photo.too_plain" });

  return { jpeg, width, height, bytes: jpeg.length };
}

export interface StoredPixels {
  data: Buffer;
  info: sharp.OutputInfo;
}

/**
 * PHO-6/PHO-7: the form a photo is re-encoded to, whoever sends it (the candidate's page, the site's
 * page, and those photos of a zip that cannot be stored as they came, decision 0055): EXIF orientation applied, `area` (none: the whole picture, already
 * 3:4) scaled to 360×480, sRGB, three channels, so CMYK, grayscale and progressive sources all end
 * as the same pixels; encodeWithinBounds then writes them as a baseline JPEG without metadata.
 * Throws sharp's errors (broken data, pixel limit) for the caller to name.
 */
export async function storedPhotoPixels(input: Buffer, area: Crop | null): Promise<StoredPixels> {
  let image = sharp(input, { autoOrient: true, limitInputPixels: PHOTO.maxInputPixels, failOn: "truncated" });
  if (area) image = image.extract({ left: area.x, top: area.y, width: area.width, height: area.height });
  // "cover": a crop within the ±2 % tolerance loses a sliver instead of being stretched.
  return image
    .resize(PHOTO.storedWidth, PHOTO.storedHeight, { fit: "cover" })
    .toColourspace("srgb")
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
}

/** The stored JPEG of pixels from storedPhotoPixels (PHO-6), the same for every path. */
export async function encodeStoredPhoto(pixels: StoredPixels): Promise<Buffer> {
  const { width, height, channels } = pixels.info;
  return encodeWithinBounds(pixels.data, { width, height, channels });
}

/**
 * Encodes raw pixels as JPEG, lowering the quality step by step while above `maxBytes` and raising
 * it (with full-resolution colour) while below `minBytes`. Returns the last attempt, which the
 * caller checks: at 360×480 even pure noise stays near 110 KB at the first step, so the upper
 * bound is a guard, while the lower one does refuse blank pictures.
 */
export async function encodeWithinBounds(
  raw: Buffer,
  geometry: { width: number; height: number; channels: 1 | 2 | 3 | 4 },
  bounds: { minBytes: number; maxBytes: number } = { minBytes: PHOTO.storedMinBytes, maxBytes: PHOTO.storedMaxBytes },
): Promise<Buffer> {
  const encodeAt = (quality: number, fullColour = false) =>
    sharp(raw, { raw: geometry })
      // mozjpeg's trellis quantisation and tables, ~10 % smaller at the same quality; but not its
      // `mozjpeg: true`, which also makes the file progressive: the cards and the CBT system read
      // baseline JPEGs (PHO-6). No withMetadata(): sharp writes no EXIF, XMP or ICC, so GPS and
      // camera data never reach the store.
      .jpeg({
        quality,
        progressive: false,
        trellisQuantisation: true,
        overshootDeringing: true,
        quantisationTable: 3,
        optimiseCoding: true,
        chromaSubsampling: fullColour ? "4:4:4" : "4:2:0",
      })
      .toBuffer();

  let jpeg = await encodeAt(START_QUALITY);
  for (const q of LOWER_STEPS) {
    if (jpeg.length <= bounds.maxBytes) break;
    jpeg = await encodeAt(q);
  }
  for (const q of RAISE_STEPS) {
    if (jpeg.length >= bounds.minBytes) break;
    jpeg = await encodeAt(q, true);
  }
  return jpeg;
}
