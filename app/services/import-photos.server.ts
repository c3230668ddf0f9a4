import { sql, type ControlledTransaction, type Transaction } from "kysely";
import { getDb, getDbHandle } from "~db/client";
import { AppError } from "~/domain/errors";
import type { DB } from "~db/schema";
import {
  PHOTO_IMPORT_READ_LIMIT,
  backgroundReason,
  checkPhotoBytes,
  checkPhotoImage,
  countByReason,
  findDuplicates,
  jpegAsStored,
  jpegFrame,
  jpegOrientation,
  jpegSegments,
  judgeTarget,
  parsePhotoEntryName,
  type EntryName,
  type FileError,
  type PhotoImportProblem,
  type PhotoImportReason,
} from "~/domain/photo-import";
import { PHOTO, checkBackground, photoFileName, sniffImageType } from "~/domain/photo";
import { encodeStoredPhoto, storedPhotoPixels, type StoredPixels } from "~/photos/process-photo.server";
import type { ZipLimits } from "~/imports/sniff.server";
import { entryName, nextEntry, openZip, readEntry, readWholeEntry, type ZipEntry } from "~/imports/zip-reader.server";
import { getEnv } from "~/utils/env.server";
import { deleteFileBytes, recordStoredFiles, writeBytes, type WrittenFile } from "~/utils/file-store.server";
import type { Actor } from "./audit.server";
import { recordAudit } from "./audit.server";
import { lockAdvisory } from "~db/queries/locks";
import { insertJsonRows } from "~db/queries/bulk-insert";

/**
 * X-3 for photo archives: JPEGs hardly compress, so a zip of 10,000 photos is about as large as the
 * photos (200 KB at most each: 2 GB). The ratio check still catches bombs; entry count as for other zips.
 */
export const PHOTO_ZIP_LIMITS: ZipLimits = { maxEntries: 20_000, maxTotalBytes: 4 * 1024 ** 3, maxRatio: 200 };

/** The upload cap for photo archives: the deployment's cap, but at least room for 10,000 photos. */
export function photoUploadMaxBytes(): number {
  return Math.max(getEnv().UPLOAD_MAX_BYTES, 2 * 1024 ** 3);
}

/** One advisory-lock key for everything that writes a site's photos (imports, checks, deletes): they never interleave. */
export async function lockSitePhotos(trx: Transaction<DB>, siteId: number) {
  await lockAdvisory(trx, "sitePhotos", siteId);
}

/**
 * Removes stored files (rows, then bytes). Used for photos replaced or deleted (PHO-6: one stored
 * photo per ID number) and for uploads whose job has ended.
 * The bytes go only once no row refers to them, so a failure leaves an orphan file, never a dangling row.
 */
export async function removeStoredFiles(fileIds: readonly string[]) {
  if (fileIds.length === 0) return;
  const db = getDb();
  for (let i = 0; i < fileIds.length; i += 1000) {
    const chunk = fileIds.slice(i, i + 1000);
    // NOT IN over a small set (a hashed subplan): photo.file_id has no index of its own.
    const rows = await db
      .deleteFrom("stored_file")
      .where("id", "in", chunk)
      .where("id", "not in", db.selectFrom("photo").select("file_id").where("file_id", "in", chunk))
      .returning("path")
      .execute();
    deleteFileBytes(rows.map((r) => r.path));
  }
}

/**
 * Deletes the bytes of files written by this import once it is sure none has a row: a commit whose
 * answer was lost may still have recorded them. If the database cannot say, the bytes stay (orphan
 * files, never a photo without its file).
 */
async function discardUnrecorded(files: readonly WrittenFile[]) {
  const db = getDb();
  for (let i = 0; i < files.length; i += 1000) {
    const chunk = files.slice(i, i + 1000);
    const recorded = new Set(
      (
        await db
          .selectFrom("stored_file")
          .select("id")
          .where(
            "id",
            "in",
            chunk.map((f) => f.id),
          )
          .execute()
      ).map((r) => r.id),
    );
    deleteFileBytes(chunk.filter((f) => !recorded.has(f.id)).map((f) => f.path));
  }
}

export interface PhotoImportOptions {
  siteId: number;
  sittingId: number;
  /** PHO-3: replace existing photos (unless the registration is locked). */
  overwrite: boolean;
  /** PHO-4: also refuse photos whose background is not plain and light. */
  idPhotoCheck: boolean;
  onProgress?: (p: { phase: "listing" | "checking" | "writing"; done: number; total: number }) => void | Promise<void>;
}

export interface PhotoImportOutcome {
  /** Files considered (folders and system files left out). */
  files: number;
  imported: number;
  replaced: number;
  failed: number;
  byReason: Partial<Record<PhotoImportReason, number>>;
  /** Every file not imported, in zip order, with all its reasons. */
  errors: FileError[];
}

interface GoodPhoto {
  index: number;
  path: string;
  idNumber: string;
  /** Its bytes in the file store; its stored_file row is written with its photo row, in the final transaction. */
  file: WrittenFile;
  width: number;
  height: number;
  bytes: number;
}

/** The central directory, whole: every entry's name and where its data is (pass 2 reads them in any order). */
async function listEntries(file: string): Promise<ZipEntry[]> {
  const zip = await openZip(file);
  try {
    const entries: ZipEntry[] = [];
    for (let e = await nextEntry(zip); e; e = await nextEntry(zip)) entries.push(e);
    return entries;
  } finally {
    zip.close();
  }
}

/**
 * PHO-2/PHO-4 on the bytes of one JPEG: the header (pixel size, 3:4, rotation) and the structure
 * (a file cut short). A photo that passes is stored in a form every reader takes (PHO-6, decision
 * 0055): as it came, less its metadata, when it already is a baseline YCbCr JPEG of modest size;
 * otherwise (CMYK, grayscale, progressive, colour-managed, very large) decoded and re-encoded as the
 * candidate's page does (baseline sRGB 360×480). With the ID-photo check ticked, the background is
 * judged on the 360×480 pixels either way.
 */
async function checkJpeg(
  data: Buffer,
  idPhotoCheck: boolean,
): Promise<{ problems: PhotoImportProblem[]; stored: StoredForm | null }> {
  // Judged from the bytes (segments, frame, EXIF): no decoder is asked until the photo is decoded.
  const segments = jpegSegments(data);
  const frame = segments ? jpegFrame(data, segments) : null;
  if (!segments || !frame) return { problems: [{ key: "photos.reason.broken" }], stored: null };
  const { width, height } = frame;
  const problems = checkPhotoImage({ width, height, orientation: jpegOrientation(data, segments) });
  if (problems.some((p) => p.key === "photos.reason.too_many_pixels")) return { problems, stored: null };
  const asSent = problems.length === 0 ? jpegAsStored(data, segments) : null;
  if (asSent && !idPhotoCheck) return { problems, stored: { jpeg: asSent, width, height } };
  let pixels: StoredPixels;
  try {
    pixels = await storedPhotoPixels(data, null);
  } catch {
    return { problems: [...problems, { key: "photos.reason.broken" }], stored: null };
  }
  if (idPhotoCheck) {
    const bg = backgroundReason(
      checkBackground(pixels.data, pixels.info.width, pixels.info.height, pixels.info.channels),
    );
    if (bg) problems.push(bg);
  }
  if (problems.length > 0) return { problems, stored: null };
  if (asSent) return { problems, stored: { jpeg: asSent, width, height } };
  return {
    problems,
    stored: { jpeg: await encodeStoredPhoto(pixels), width: PHOTO.storedWidth, height: PHOTO.storedHeight },
  };
}

interface StoredForm {
  jpeg: Uint8Array;
  width: number;
  height: number;
}

/**
 * Files read, judged and stored at once: overlaps their reads and writes, bounds memory to a few
 * photos (10 × PHOTO.maxInputBytes at worst). Since reads no longer queue (0058), 10 beat 6 by about
 * 13 % in three alternating pairs; 16 was no better than 10.
 */
const IN_FLIGHT = 10;

/**
 * PHO-1 … PHO-4, PHO-6 (§二十三): imports the photos of a zip for one site and sitting. The correct
 * ones are imported, every other file is reported with all its reasons. The zip is read twice:
 * first its central directory (duplicates are known before any content is read), then its entries,
 * a few at a time, each in one read with its CRC-32 checked. Good photos are stored as they came,
 * less their metadata, or re-encoded when they must be (PHO-6, decision 0055): their bytes are
 * written to the file store as they are judged, and every row (stored_file, photo, the
 * registration's link) in one transaction, 500 photos a statement, which judges existing photos
 * again on the rows it locks and records one audit entry; on PostgreSQL it writes while the rest
 * are still read (decision 0058). Whatever fails, no row is left and the bytes written go again.
 */
export async function importPhotos(
  actor: Actor,
  zipPath: string,
  opts: PhotoImportOptions,
): Promise<PhotoImportOutcome> {
  const { siteId, sittingId, overwrite, idPhotoCheck } = opts;
  const db = getDb();
  await opts.onProgress?.({ phase: "listing", done: 0, total: 0 });

  // Pass 1: the central directory only, for duplicates across folders.
  // The archive was checked before it was queued; one that still cannot be read is one clear message.
  const entries = await listEntries(zipPath).catch(() => {
    throw new AppError("upload.zip_broken");
  });
  const parsed = entries.map((entry) => {
    const name = entryName(entry);
    return { name, parsed: parsePhotoEntryName(name) };
  });
  const considered = parsed.filter((p) => p.parsed.kind !== "skip");
  const indexOf = new Map<number, number>(); // position in the central directory → 1-based file number
  parsed.forEach((p, i) => {
    if (p.parsed.kind !== "skip") indexOf.set(i, indexOf.size + 1);
  });
  const duplicates = findDuplicates(
    parsed.flatMap((p, i) =>
      p.parsed.kind === "photo" ? [{ index: i, idNumber: p.parsed.idNumber, path: p.name }] : [],
    ),
  );

  // What the site has now, to judge files before storing them (judged again, under lock, when written).
  const regs = new Map(
    (
      await db
        .selectFrom("registration")
        .select(["id_number", "locked"])
        .where("sitting_id", "=", sittingId)
        .where("org_id", "=", siteId)
        .execute()
    ).map((r) => [r.id_number, r]),
  );
  const existing = new Set(
    (
      await db
        .selectFrom("photo")
        .select("id_number")
        .where("sitting_id", "=", sittingId)
        .where("org_id", "=", siteId)
        .execute()
    ).map((r) => r.id_number),
  );

  const errors: FileError[] = [];
  const good: GoodPhoto[] = [];
  const total = considered.length;
  let done = 0;

  /** Judges one file (all its reasons) and stores it when it has none. */
  const judge = async (
    index: number,
    name: string,
    entry: EntryName,
    size: number,
    data: Buffer | null,
    readFailed: boolean,
  ) => {
    const head = data ? data.subarray(0, 64) : new Uint8Array();
    const problems: PhotoImportProblem[] = [];
    let idNumber = "";
    let stored: StoredForm | null = null;
    if (entry.kind === "bad_name") {
      const bytes = checkPhotoBytes({ bytes: size, head });
      problems.push(bytes[0]?.key === "photos.reason.archive" ? bytes[0] : { key: "photos.reason.bad_name" });
    } else if (entry.kind === "photo") {
      idNumber = entry.idNumber;
      const other = duplicates.get(index);
      if (other !== undefined) problems.push({ key: "photos.reason.duplicate", params: { other } });
      if (readFailed) problems.push({ key: "photos.reason.broken" });
      else {
        problems.push(...checkPhotoBytes({ bytes: size, head }));
        if (data && data.length === size && sniffImageType(head) === "jpeg") {
          const checked = await checkJpeg(data, idPhotoCheck);
          problems.push(...checked.problems);
          stored = checked.stored;
        }
      }
      const target = judgeTarget({ registration: regs.get(idNumber), photoExists: existing.has(idNumber), overwrite });
      if ("problem" in target) problems.push(target.problem);
    }
    if (problems.length > 0 || !stored) {
      errors.push({
        index,
        path: name,
        idNumber,
        problems: problems.length > 0 ? problems : [{ key: "photos.reason.broken" }],
      });
    } else {
      const { jpeg: photo, width, height } = stored;
      const file = await writeBytes(
        {
          kind: "photo",
          name: photoFileName(idNumber),
          contentType: "image/jpeg",
          orgId: siteId,
          sittingId,
          createdBy: actor.accountId,
        },
        photo,
      );
      good.push({
        index,
        path: name,
        idNumber,
        file,
        width,
        height,
        bytes: photo.length,
      });
    }
    done++;
    await opts.onProgress?.({ phase: "checking", done, total });
  };

  // The rows: 500 photos a statement, in one transaction that judges each target again on the rows
  // it locks. On PostgreSQL it opens once the first 500 photos are judged and writes them while the
  // rest are read (reading is the disk's work, writing the database's: they overlap). On PGlite,
  // whose one connection serves the whole portal, it opens only after the last photo is judged.
  const overlap = getDbHandle().kind === "postgres";
  const CHUNK = 500;
  const now = new Date();
  let trx: ControlledTransaction<DB> | null = null;
  /** good[0, queued) are handed to the writer, in the order they were judged. */
  let queued = 0;
  let writer: Promise<void> = Promise.resolve();
  let checked = false;
  /** Replaced photos' files (rows and bytes), after commit. */
  const removable: string[] = [];
  /** Files refused by the final check: bytes only, they never got a row. */
  const unrecorded: string[] = [];
  let imported = 0;
  let replaced = 0;
  let written = 0;
  /** The first error of a reader or the writer: it stops the others. */
  let failure: unknown = null;

  const writeChunk = async (chunk: GoodPhoto[]) => {
    if (!trx) {
      trx = await db.startTransaction().execute();
      await lockSitePhotos(trx, siteId);
    }
    // An IN list, not `= any($1)`: a statement of one parameter is prepared, and after five runs
    // PostgreSQL's generic plan filters every registration of the site against the array (0055).
    const ids = chunk.map((g) => g.idNumber);
    // Lock order: registration first (docs/decisions/0014).
    const locked = new Map(
      (
        await trx
          .selectFrom("registration")
          .select(["id", "id_number", "locked"])
          .where("sitting_id", "=", sittingId)
          .where("org_id", "=", siteId)
          .where("id_number", "in", ids)
          .forUpdate()
          .execute()
      ).map((r) => [r.id_number, r]),
    );
    const current = new Map(
      (
        await trx
          .selectFrom("photo")
          .select(["id_number", "file_id"])
          .where("sitting_id", "=", sittingId)
          .where("org_id", "=", siteId)
          .where("id_number", "in", ids)
          .execute()
      ).map((r) => [r.id_number, r]),
    );
    const write: GoodPhoto[] = [];
    for (const g of chunk) {
      const target = judgeTarget({
        registration: locked.get(g.idNumber),
        photoExists: current.has(g.idNumber),
        overwrite,
      });
      if ("problem" in target) {
        // Changed since the file was read (a registration deleted or locked, a photo uploaded).
        errors.push({ index: g.index, path: g.path, idNumber: g.idNumber, problems: [target.problem] });
        unrecorded.push(g.file.path);
        continue;
      }
      if (target.action === "replace") {
        replaced++;
        removable.push(current.get(g.idNumber)!.file_id);
      }
      write.push(g);
    }
    if (write.length > 0) {
      // The files' rows first (photo.file_id refers to them), one statement for the chunk.
      await recordStoredFiles(
        trx,
        write.map((g) => g.file),
      );
      // PHO-6: one photo per ID number per site and sitting.
      await insertJsonRows(
        trx,
        "photo",
        write.map((g) => ({
          sitting_id: sittingId,
          org_id: siteId,
          id_number: g.idNumber,
          file_id: g.file.id,
          width: g.width,
          height: g.height,
          bytes: g.bytes,
          created_at: now,
        })),
        { replaceOn: ["sitting_id", "org_id", "id_number"] },
      );
      const regIds = write.map((g) => locked.get(g.idNumber)!.id);
      await sql`
        update registration r set photo_id = p.id, updated_at = ${now}::timestamptz
        from photo p
        where r.id = any(${regIds}::int[]) and p.sitting_id = r.sitting_id and p.org_id = r.org_id and p.id_number = r.id_number`.execute(
        trx,
      );
      imported += write.length;
    }
    written += chunk.length;
    if (checked) await opts.onProgress?.({ phase: "writing", done: written, total: good.length });
  };
  /** Hands good[queued, upTo) to the writer, after the chunks before it; a failure stops the readers. */
  const queue = (upTo: number) => {
    const chunk = good.slice(queued, upTo);
    queued = upTo;
    writer = writer.then(() => writeChunk(chunk));
    writer.catch((e: unknown) => {
      failure ??= e;
    });
  };

  // Pass 2: the entries read, judged and stored a few at a time, in any order (each read is one
  // positioned read, so several overlap; memory stays a few photos deep).
  const zip = await openZip(zipPath).catch(() => {
    throw new AppError("upload.zip_broken");
  });
  let cursor = 0;
  const readAndJudge = async (i: number) => {
    const p = parsed[i];
    if (p.parsed.kind === "skip") return;
    const entry = entries[i];
    const size = entry.uncompressedSize;
    let data: Buffer | null = null;
    let readFailed = false;
    if (size > 0) {
      try {
        data =
          p.parsed.kind === "photo" && size <= PHOTO_IMPORT_READ_LIMIT
            ? await readWholeEntry(zip, entry)
            : await readEntry(zip, entry, 64);
      } catch {
        readFailed = true; // a bad CRC or compressed data: this file is damaged, the next ones may be fine
      }
    }
    await judge(i, p.name, p.parsed, size, data, readFailed);
    if (overlap && good.length - queued >= CHUNK) queue(queued + CHUNK);
  };
  const worker = async () => {
    while (failure === null && cursor < entries.length) {
      const i = cursor++;
      await readAndJudge(i).catch((e) => {
        failure ??= e;
      });
    }
  };
  try {
    try {
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker)); // workers never reject: the first error is `failure`
    } finally {
      zip.close();
    }
    if (failure) throw failure;
    checked = true;
    await opts.onProgress?.({ phase: "writing", done: written, total: good.length });
    while (queued < good.length) queue(Math.min(queued + CHUNK, good.length));
    await writer;
    if (!trx) {
      trx = await db.startTransaction().execute();
      await lockSitePhotos(trx, siteId);
    }
    await recordAudit(trx, actor, {
      action: "photos.import",
      entityType: "photo",
      entityId: siteId,
      orgId: siteId,
      after: {
        files: total,
        imported,
        replaced,
        failed: errors.length,
        byReason: countByReason(errors),
        overwrite,
        idPhotoCheck,
      },
    });
    await trx.commit().execute();
  } catch (e) {
    // Whatever failed (the disk, the database), no row is kept and the bytes of this import's
    // photos go again; a commit whose answer was lost is checked first (discardUnrecorded).
    await writer.catch(() => undefined);
    if (trx)
      await (trx as ControlledTransaction<DB>)
        .rollback()
        .execute()
        .catch(() => undefined);
    await discardUnrecorded(good.map((g) => g.file)).catch(() => undefined);
    throw e;
  }
  // Numbered as the user sees the files (1-based, folders and system files left out).
  for (const e of errors) e.index = indexOf.get(e.index)!;
  errors.sort((a, b) => a.index - b.index);

  // After commit: files refused at the end (bytes only), and the replaced photos' old files (PHO-6).
  deleteFileBytes(unrecorded);
  await removeStoredFiles(removable).catch((e) => console.error("photo import: cleaning up files", e));
  return { files: total, imported, replaced, failed: errors.length, byReason: countByReason(errors), errors };
}
