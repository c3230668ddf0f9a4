import fs from "node:fs/promises";
import { entriesOf, entryName } from "./zip-reader.server";
import { AppError } from "~/domain/errors";

export type FileKind = "xlsx" | "zip" | "rar" | "7z" | "xls" | "csv" | "utf16" | "jpeg" | "png" | "pdf" | "unknown";

/** the type of a file by its content, never by its name. */
export async function sniffFile(filePath: string): Promise<FileKind> {
  const fh = await fs.open(filePath, "r");
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const b = head.subarray(0, bytesRead);
    if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5)) {
      const names = await zipEntryNames(filePath).catch(() => [] as string[]);
      return names.includes("[Content_Types].xml") && names.some((n) => n === "xl/workbook.xml") ? "xlsx" : "zip";
    }
    if (b.subarray(0, 4).toString("latin1") === "Rar!") return "rar";
    if (b.length >= 6 && b[0] === 0x37 && b[1] === 0x7a && b[2] === 0xbc && b[3] === 0xaf) return "7z";
    if (b.length >= 8 && b.readUInt32BE(0) === 0xd0cf11e0) return "xls";
    if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
    if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47) return "png";
    if (b.subarray(0, 5).toString("latin1") === "%PDF-") return "pdf";
    // UTF-16 text (Excel's "Unicode text"): a byte-order mark, or every other byte NUL in ASCII-heavy text.
    if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) return "utf16";
    if (b.length >= 8 && looksUtf16(b)) return "utf16";
    // Text: no NUL bytes in the first block (UTF-8 and GB18030 never contain them).
    if (b.length > 0 && !b.includes(0)) return "csv";
    return "unknown";
  } finally {
    await fh.close();
  }
}

function looksUtf16(b: Buffer): boolean {
  const n = b.length - (b.length % 2);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenNul++;
    if (b[i + 1] === 0) oddNul++;
  }
  const half = n / 2;
  return (oddNul > half * 0.3 && evenNul < half * 0.05) || (evenNul > half * 0.3 && oddNul < half * 0.05);
}

async function zipEntryNames(filePath: string): Promise<string[]> {
  const names: string[] = [];
  for await (const { entry } of entriesOf(filePath)) {
    names.push(entryName(entry));
    if (names.length > 200_000) break;
  }
  return names;
}

export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 20_000, maxTotalBytes: 1024 ** 3, maxRatio: 200 };

/**
 * a zip (or an .xlsx, which is one) is checked from its central directory before anything is
 * unpacked: entry count, total uncompressed size, compression ratio (zip bombs), and paths that
 * are absolute or climb out with `..`.
 */
export async function checkZip(
  filePath: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<{ entries: number; totalBytes: number }> {
  const tally: ZipTally = { entries: 0, totalBytes: 0 };
  let refused: AppError | null = null;
  try {
    for await (const { entry } of entriesOf(filePath)) {
      refused = judgeZipEntry(tally, entryName(entry), entry.compressedSize, entry.uncompressedSize, limits);
      if (refused) break;
    }
  } catch {
    throw new AppError("upload.zip_broken");
  }
  if (refused) throw refused;
  return { ...tally };
}

export interface ZipTally {
  entries: number;
  totalBytes: number;
}

/**
 * one entry of a zip judged by what it declares, counted into `tally`: a path that is absolute or
 * climbs out with `..`, too many entries, too much in all or too high a ratio (a bomb, named). The same
 * rule for the central directory after an upload (checkZip) and the local headers while it streams
 * (zip-stream.server.ts).
 */
export function judgeZipEntry(
  tally: ZipTally,
  rawName: string,
  compressedSize: number,
  uncompressedSize: number,
  limits: ZipLimits,
): AppError | null {
  tally.entries++;
  tally.totalBytes += uncompressedSize;
  const name = rawName.replace(/\\/g, "/");
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name) || name.split("/").includes(".."))
    return new AppError("upload.zip_path", { name });
  if (tally.entries > limits.maxEntries) return new AppError("upload.zip_entries", { max: limits.maxEntries });
  // Item 7 (issue 13): name the entry, so a site can find the file that made its zip a bomb.
  if (tally.totalBytes > limits.maxTotalBytes) return new AppError("upload.zip_bomb_entry", { name });
  if (compressedSize > 0 && uncompressedSize / compressedSize > limits.maxRatio && uncompressedSize > 1024 * 1024)
    return new AppError("upload.zip_bomb_entry", { name });
  return null;
}
