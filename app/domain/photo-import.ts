// PHO-1 … PHO-6: the per-file rules of the photo import (§二十三) and the plan of the photo check
// (§二十四), as pure functions: file names in, ID numbers and reasons out. The service reads the
// zip, decodes with sharp and writes; everything it decides, it asks here.
import { normaliseIdNumber } from "./id-number";
import { toHalfWidth } from "./import-values";
import {
  PHOTO,
  checkAspect,
  checkPhotoDimensions,
  checkStoredPhotoBytes,
  sniffImageType,
  type PhotoProblem,
  type Size,
} from "./photo";

/** Every reason a file of the zip is not imported; each is an i18n key with a matching `photos.short.*` label. */
export const PHOTO_IMPORT_REASONS = [
  "bad_name",
  "archive",
  "duplicate",
  "no_registration",
  "empty",
  "not_image",
  "not_jpeg",
  "broken",
  "rotated",
  "too_small",
  "too_many_pixels",
  "aspect",
  "too_large_file",
  "too_small_file",
  "background_dark",
  "background_busy",
  "background_colour",
  "exists",
  "locked",
] as const;
export type PhotoImportReason = (typeof PHOTO_IMPORT_REASONS)[number];
export type PhotoImportReasonKey = `photos.reason.${PhotoImportReason}`;

export interface PhotoImportProblem {
  key: PhotoImportReasonKey;
  params?: Record<string, string | number>;
}

export const reasonOf = (p: PhotoImportProblem): PhotoImportReason =>
  p.key.slice("photos.reason.".length) as PhotoImportReason;

/** Files that archivers and operating systems add on their own; they are not the user's photos and are passed over silently. */
const SYSTEM_FILES = new Set(["thumbs.db", "desktop.ini", ".ds_store"]);

export type EntryName =
  { kind: "skip" } | { kind: "photo"; fileName: string; idNumber: string } | { kind: "bad_name"; fileName: string };

/**
 * PHO-1: a zip entry's path → the ID number its name carries. Folders do not matter (only the
 * name counts); the name minus `.jpg`/`.jpeg` (any case, full-width too) is the ID number after
 * full-width characters (brackets included) become half-width, spaces go and `x` becomes `X` —
 * the normalisation registrations get (CAN-3), so both sides compare alike.
 * Folders, macOS resource forks (`__MACOSX/`, `._name`) and Thumbs.db-like files are skipped.
 */
export function parsePhotoEntryName(path: string): EntryName {
  const p = path.replace(/\\/g, "/");
  if (p.endsWith("/")) return { kind: "skip" };
  const parts = p.split("/");
  const fileName = parts[parts.length - 1];
  if (parts.some((s) => s === "__MACOSX") || fileName.startsWith("._") || SYSTEM_FILES.has(fileName.toLowerCase()))
    return { kind: "skip" };
  const half = toHalfWidth(fileName).trim();
  const m = /^(.*)\.jpe?g$/i.exec(half);
  if (!m) return { kind: "bad_name", fileName };
  const idNumber = normaliseIdNumber(m[1]);
  if (idNumber === "") return { kind: "bad_name", fileName };
  return { kind: "photo", fileName, idNumber };
}

/** A compressed archive by its first bytes: zip, RAR, 7z, gzip. A zip inside the zip is a bad file, not a folder. */
export function sniffArchive(head: Uint8Array): "zip" | "rar" | "7z" | "gzip" | null {
  const b = head;
  if (
    b.length >= 4 &&
    b[0] === 0x50 &&
    b[1] === 0x4b &&
    (b[2] === 3 || b[2] === 5 || b[2] === 7) &&
    (b[3] === 4 || b[3] === 6 || b[3] === 8)
  )
    return "zip";
  if (b.length >= 4 && b[0] === 0x52 && b[1] === 0x61 && b[2] === 0x72 && b[3] === 0x21) return "rar";
  if (
    b.length >= 6 &&
    b[0] === 0x37 &&
    b[1] === 0x7a &&
    b[2] === 0xbc &&
    b[3] === 0xaf &&
    b[4] === 0x27 &&
    b[5] === 0x1c
  )
    return "7z";
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return "gzip";
  return null;
}

const TYPE_NAMES: Record<string, string> = { png: "PNG", gif: "GIF", webp: "WebP", heic: "HEIC", bmp: "BMP" };

function fromPhotoProblem(p: PhotoProblem): PhotoImportProblem {
  return { key: `photos.reason.${p.key.slice("photo.".length)}` as PhotoImportReasonKey, params: p.params };
}

/**
 * PHO-2/PHO-4, what the bytes say before decoding: an archive, empty, not a JPEG whatever its name
 * (sniffed: "this is a PNG"), file size outside the stored bounds (10–200 KB).
 * `head` = the first bytes (16 are enough), `bytes` = the whole file's size.
 */
export function checkPhotoBytes({ bytes, head }: { bytes: number; head: Uint8Array }): PhotoImportProblem[] {
  const archive = sniffArchive(head);
  if (archive)
    return [{ key: "photos.reason.archive", params: { found: archive === "gzip" ? "GZIP" : archive.toUpperCase() } }];
  if (bytes <= 0) return [{ key: "photos.reason.empty" }];
  const problems: PhotoImportProblem[] = [];
  const type = sniffImageType(head);
  if (type === "unknown") problems.push({ key: "photos.reason.not_image" });
  else if (type !== "jpeg")
    problems.push({ key: "photos.reason.not_jpeg", params: { found: TYPE_NAMES[type] ?? type.toUpperCase() } });
  const size = checkStoredPhotoBytes(bytes);
  if (size) problems.push(fromPhotoProblem(size));
  return problems;
}

/**
 * PHO-4, what the JPEG header says: pixel size (at least 240×320, at most 50 MP), 3:4 within ±2 %,
 * and no EXIF rotation (the photo is stored as it is, and a card or sign-in sheet would print a
 * rotated one sideways).
 */
export function checkPhotoImage({
  width,
  height,
  orientation,
}: Size & { orientation?: number | null }): PhotoImportProblem[] {
  const problems: PhotoImportProblem[] = [];
  if (orientation && orientation !== 1) problems.push({ key: "photos.reason.rotated" });
  const dims = checkPhotoDimensions({ width, height });
  if (dims) problems.push(fromPhotoProblem(dims));
  const aspect = checkAspect({ width, height });
  if (aspect) problems.push(fromPhotoProblem(aspect));
  return problems;
}

/** PHO-4: the background check's verdict (checkBackground's problem) as an import reason. */
export function backgroundReason(p: PhotoProblem | null): PhotoImportProblem | null {
  return p ? fromPhotoProblem(p) : null;
}

/** One marker segment of a JPEG: bytes [start, end), from its 0xFF marker; a scan's runs to the end of its entropy-coded data. */
export interface JpegSegment {
  marker: number;
  start: number;
  end: number;
}

/**
 * The segments of a JPEG up to and including its end-of-image marker, or null when its structure
 * is broken: no start of image, a segment running past the end, or no end-of-image marker after
 * the (last) scan. Reads no pixels: PHO-2's structure check, which catches a file cut short or a
 * header glued to garbage (the zip's CRC-32 already vouches for every byte in between).
 */
export function jpegSegments(b: Uint8Array): JpegSegment[] | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  const segments: JpegSegment[] = [{ marker: 0xd8, start: 0, end: 2 }];
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff) return null;
    const start = i;
    while (i < b.length && b[i] === 0xff) i++; // fill bytes before a marker
    if (i >= b.length) return null;
    const marker = b[i++];
    if (marker === 0xd9) {
      segments.push({ marker, start, end: i });
      return segments;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      segments.push({ marker, start, end: i }); // markers without a length
      continue;
    }
    if (i + 2 > b.length) return null;
    const length = (b[i] << 8) | b[i + 1];
    if (length < 2 || i + length > b.length) return null;
    i += length;
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
      for (;;) {
        i = b.indexOf(0xff, i); // native search: a photo's scan is tens of kilobytes
        if (i < 0 || i + 1 >= b.length) return null;
        const next = b[i + 1];
        if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) break;
        i++;
      }
    }
    segments.push({ marker, start, end: i });
  }
  return null;
}

/** Photos up to this many pixels that need no re-encoding are stored as they came (PHO-6, decision 0055). */
export const AS_SENT_MAX_PIXELS = 960 * 1280;

const startsWith = (b: Uint8Array, at: number, text: string) => {
  for (let k = 0; k < text.length; k++) if (b[at + k] !== text.charCodeAt(k)) return false;
  return true;
};

const isFrameMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** A JPEG's frame header (its SOF segment): the coding (0xC0 baseline, 0xC2 progressive …), sample precision, size and component ids. */
export interface JpegFrame {
  marker: number;
  precision: number;
  width: number;
  height: number;
  componentIds: number[];
}

/** The frame of a JPEG (its only SOF segment), or null when it has none, more than one, or a short one. */
export function jpegFrame(b: Uint8Array, segments: readonly JpegSegment[]): JpegFrame | null {
  let frame: JpegFrame | null = null;
  for (const s of segments) {
    if (!isFrameMarker(s.marker)) continue;
    const at = s.start + 4; // after the marker and its length
    const count = b[at + 5];
    if (frame || count === undefined || s.end - at < 6 + 3 * count) return null;
    frame = {
      marker: s.marker,
      precision: b[at],
      height: (b[at + 1] << 8) | b[at + 2],
      width: (b[at + 3] << 8) | b[at + 4],
      componentIds: Array.from({ length: count }, (_, k) => b[at + 6 + 3 * k]),
    };
  }
  return frame && frame.width > 0 && frame.height > 0 ? frame : null;
}

/**
 * The EXIF orientation (1–8) of a JPEG, or null when it states none: tag 0x0112 of the first image
 * directory in the APP1 "Exif" segment, in either byte order. Read from the bytes, so judging a
 * photo needs no decoder.
 */
export function jpegOrientation(b: Uint8Array, segments: readonly JpegSegment[]): number | null {
  const app1 = segments.find((s) => s.marker === 0xe1 && startsWith(b, s.start + 4, "Exif\0\0"));
  if (!app1) return null;
  const tiff = app1.start + 10;
  const end = app1.end;
  const little = b[tiff] === 0x49 && b[tiff + 1] === 0x49; // "II"; "MM" is big-endian
  if (!little && !(b[tiff] === 0x4d && b[tiff + 1] === 0x4d)) return null;
  const u16 = (at: number) => (little ? b[at] | (b[at + 1] << 8) : (b[at] << 8) | b[at + 1]);
  const u32 = (at: number) => (little ? u16(at) + u16(at + 2) * 0x10000 : u16(at) * 0x10000 + u16(at + 2));
  if (tiff + 8 > end) return null;
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > end) return null;
  const entries = u16(ifd);
  for (let k = 0; k < entries; k++) {
    const entry = ifd + 2 + 12 * k;
    if (entry + 12 > end) return null;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8); // SHORT, held in the first bytes of the value field
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/**
 * PHO-6 (decision 0055): the stored bytes of a photo that every reader takes as it is, or null when
 * it must be re-encoded. As it is means a baseline JPEG (SOF0, 8 bits) of three YCbCr components,
 * without a colour profile, of at most AS_SENT_MAX_PIXELS: the form the cards (a PDF's DCTDecode)
 * and the CBT system read. The bytes kept are the picture's only: EXIF (GPS, camera, orientation),
 * XMP, IPTC, comments, thumbnails and anything after the end of the image are left out, so a
 * school's metadata never reaches the store. `segments` are jpegSegments(b).
 */
export function jpegAsStored(b: Uint8Array, segments: readonly JpegSegment[]): Uint8Array | null {
  const frame = jpegFrame(b, segments);
  // Baseline, 8-bit, three components that are not named R, G, B (an RGB JPEG), of modest size.
  if (!frame || frame.marker !== 0xc0 || frame.precision !== 8 || frame.componentIds.length !== 3) return null;
  if (String.fromCharCode(...frame.componentIds) === "RGB") return null;
  if (frame.width * frame.height > AS_SENT_MAX_PIXELS) return null;
  const kept: JpegSegment[] = [];
  for (const s of segments) {
    const m = s.marker;
    const data = s.start + 4; // after the marker and its length
    if (m === 0xe2 && startsWith(b, data, "ICC_PROFILE\0")) {
      return null; // colour-managed: converted to sRGB by the re-encode
    } else if (m === 0xee && startsWith(b, data, "Adobe")) {
      if (b[data + 11] !== 1) return null; // transform 0: RGB samples, not YCbCr
      continue;
    } else if (m === 0xe0) {
      if (!startsWith(b, data, "JFIF\0")) continue; // JFXX: a thumbnail
    } else if ((m >= 0xe1 && m <= 0xef) || m === 0xfe) continue; // EXIF, XMP, IPTC, MPF, comments
    kept.push(s);
  }
  const out = new Uint8Array(kept.reduce((n, s) => n + s.end - s.start, 0));
  let at = 0;
  for (const s of kept) {
    out.set(b.subarray(s.start, s.end), at);
    at += s.end - s.start;
  }
  return out;
}

/** How much of an entry is read: whole up to the upload limit of one photo, otherwise its first bytes only. */
export const PHOTO_IMPORT_READ_LIMIT = PHOTO.maxInputBytes;

/**
 * PHO-2: two files (or more) for one ID number, in any folders: every one is reported, with the
 * other's path, and none is imported, since it cannot be known which one is meant.
 * Returns, by entry index, the path of the first other file with the same ID number.
 */
export function findDuplicates(
  entries: ReadonlyArray<{ index: number; idNumber: string; path: string }>,
): Map<number, string> {
  const byId = new Map<string, Array<{ index: number; path: string }>>();
  for (const e of entries) {
    const list = byId.get(e.idNumber);
    if (list) list.push(e);
    else byId.set(e.idNumber, [e]);
  }
  const out = new Map<number, string>();
  for (const list of byId.values()) {
    if (list.length < 2) continue;
    for (const e of list) out.set(e.index, list.find((o) => o.index !== e.index)!.path);
  }
  return out;
}

export interface TargetState {
  /** The registration of this site and sitting with the ID number, if any. */
  registration: { locked: boolean } | undefined;
  /** Whether a photo of this ID number is already stored for this site and sitting (PHO-6). */
  photoExists: boolean;
  overwrite: boolean;
}

/**
 * PHO-1/PHO-3: where a good file goes. No registration of this site and sitting → error. An existing
 * photo without "overwrite" → error; with it, replaced unless the registration is locked ("unlock
 * first", CAN-5). A new photo is added to a locked registration too: the manual checks the lock
 * only when overwriting (§二十三 6–7), and a group-registered candidate without a photo must be able to get one.
 */
export function judgeTarget(t: TargetState): { problem: PhotoImportProblem } | { action: "insert" | "replace" } {
  if (!t.registration) return { problem: { key: "photos.reason.no_registration" } };
  if (!t.photoExists) return { action: "insert" };
  if (!t.overwrite) return { problem: { key: "photos.reason.exists" } };
  if (t.registration.locked) return { problem: { key: "photos.reason.locked" } };
  return { action: "replace" };
}

export interface FileError {
  /** Position of the file in the zip (1-based), for the report. */
  index: number;
  /** The path inside the zip, as the user packed it. */
  path: string;
  /** The normalised ID number, or "" when the name carries none. */
  idNumber: string;
  problems: PhotoImportProblem[];
}

/** The result's "failed by reason": how many files have each reason (a file may have several). */
export function countByReason(
  errors: ReadonlyArray<{ problems: ReadonlyArray<PhotoImportProblem> }>,
): Partial<Record<PhotoImportReason, number>> {
  const counts: Partial<Record<PhotoImportReason, number>> = {};
  for (const e of errors) {
    for (const r of new Set(e.problems.map(reasonOf))) counts[r] = (counts[r] ?? 0) + 1;
  }
  return counts;
}

// ── Photo check (PHO-5, §二十四) ──────────────────────────────────────────────

export interface CheckRegistration {
  id: number;
  id_number: string;
  photo_id: number | null;
  /** Has paid entries (or the per-person fee): its photo flag is never changed by the check. */
  paid: boolean;
}

export interface CheckPhoto {
  id: number;
  id_number: string;
  created_at: Date;
  /** Linked by some registration (even one that has since moved to another site). */
  linked: boolean;
}

export interface PhotoCheckPlan {
  relink: Array<{ registrationId: number; photoId: number }>;
  /** Registrations that lost their photo but have paid entries: left as they are (§二十四 3). */
  skippedPaid: Array<{ registrationId: number; photoId: number }>;
  /** Photos that no registration of the site and sitting has the ID number of, and that nothing links to. */
  unmatched: CheckPhoto[];
}

/**
 * PHO-5: registrations of the site and sitting without a photo get back the stored photo of their
 * ID number (after delete + re-import, overwrite or timeout deletion), except paid ones; photos that
 * match no registration (and are linked by none) are listed, oldest first.
 */
export function planPhotoCheck(
  registrations: readonly CheckRegistration[],
  photos: readonly CheckPhoto[],
): PhotoCheckPlan {
  const photoById = new Map(photos.map((p) => [p.id_number, p]));
  const registered = new Set(registrations.map((r) => r.id_number));
  const relink: PhotoCheckPlan["relink"] = [];
  const skippedPaid: PhotoCheckPlan["skippedPaid"] = [];
  for (const r of registrations) {
    if (r.photo_id !== null) continue;
    const p = photoById.get(r.id_number);
    if (!p) continue;
    (r.paid ? skippedPaid : relink).push({ registrationId: r.id, photoId: p.id });
  }
  const unmatched = photos
    .filter((p) => !registered.has(p.id_number) && !p.linked)
    .sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id - b.id);
  return { relink, skippedPaid, unmatched };
}
