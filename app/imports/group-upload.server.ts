import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { AppError } from "~/domain/errors";
import { checkZip, sniffFile } from "~/imports/sniff.server";
import { entriesOf, entryName, entryStream, isLyingSize } from "~/imports/zip-reader.server";

/** GRP-1, X-3: the group registration upload, a .zip holding exactly one .xlsx, unpacked safely. */

const JUNK = /(^|\/)(__MACOSX\/.*|\._[^/]*|\.DS_Store|Thumbs\.db|desktop\.ini)$/i;
const ARCHIVE_NAME = /\.(zip|rar|7z|tar|gz|tgz|bz2|xz|cab|arj|lzh)$/i;
/** More files than a filled template needs is a wrong upload, not something to unpack. */
const MAX_FILES = 20;

export interface UnpackedWorkbook {
  /** The .xlsx, unpacked to a temporary folder the caller removes with `discardUnpacked`. */
  path: string;
  name: string;
  dir: string;
}

/**
 * GRP-1/X-3: the upload must be a .zip (by content) holding exactly one .xlsx (by content), with no
 * archive inside it. The zip is checked from its central directory (size, ratio, count, `..`) before
 * anything is unpacked, and the workbook (itself a zip) again before it is read.
 */
export async function unpackGroupUpload(filePath: string, uploadName: string): Promise<UnpackedWorkbook> {
  const kind = await sniffFile(filePath);
  if (kind === "xlsx") throw new AppError("group.zip_required");
  if (kind === "rar" || kind === "7z")
    throw new AppError("group.archive_refused", { format: kind === "rar" ? "RAR" : "7z" });
  if (kind !== "zip") throw new AppError("group.not_zip", { name: uploadName });
  await checkZip(filePath);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-group-"));
  try {
    const files = await extractAll(filePath, dir);
    const books: typeof files = [];
    const oldBooks: typeof files = [];
    for (const f of files) {
      const inner = await sniffFile(f.path);
      if (inner === "zip" || inner === "rar" || inner === "7z")
        throw new AppError("group.zip_nested", { name: f.name });
      if (inner === "xlsx") books.push(f);
      if (inner === "xls") oldBooks.push(f);
    }
    const found = files.length ? files.map((f) => f.name) : "—";
    // An old .xls (even one named .xlsx) is named as such: saving it as .xlsx is the fix.
    if (books.length === 0 && oldBooks.length > 0)
      throw new AppError("group.zip_old_xls", { name: path.posix.basename(oldBooks[0].name) });
    if (books.length === 0) throw new AppError("group.zip_no_xlsx", { found });
    if (books.length > 1) throw new AppError("group.zip_many_xlsx", { found: books.map((b) => b.name) });
    await checkZip(books[0].path);
    return { path: books[0].path, name: path.posix.basename(books[0].name), dir };
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

export function discardUnpacked(u: { dir: string }) {
  fs.rmSync(u.dir, { recursive: true, force: true });
}

/** Unpacks the zip's files (not folders, not OS clutter) under fixed, harmless names. */
async function extractAll(zipPath: string, dir: string): Promise<Array<{ name: string; path: string }>> {
  const out: Array<{ name: string; path: string }> = [];
  try {
    for await (const { zip, entry } of entriesOf(zipPath)) {
      const name = entryName(entry).replace(/\\/g, "/");
      if (name.endsWith("/") || JUNK.test(name)) continue;
      if (ARCHIVE_NAME.test(name)) throw new AppError("group.zip_nested", { name });
      if (out.length >= MAX_FILES) throw new AppError("group.zip_many_files", { max: MAX_FILES });
      const target = path.join(dir, `${out.length}.bin`);
      await pipeline(await entryStream(zip, entry), fs.createWriteStream(target));
      out.push({ name, path: target });
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    // A lying size (more inflated than declared) is a bomb; anything else, a broken zip.
    throw new AppError(isLyingSize(e) ? "upload.zip_bomb" : "upload.zip_broken");
  }
  return out;
}
