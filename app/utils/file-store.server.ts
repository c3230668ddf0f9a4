import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { Kysely, Transaction } from "kysely";
import { getDb } from "~db/client";
import { anyText, insertJsonRows } from "~db/queries/bulk-insert";
import type { DB } from "~db/schema";
import { getEnv } from "./env.server";

// The one place files are written and read (uploads, photos, generated documents), so that a
// deployment can move them to object storage by changing this module only.

export interface NewFile {
  kind: string;
  name: string;
  contentType: string;
  orgId: number | null;
  sittingId: number | null;
  createdBy: string | null;
}

function root() {
  return path.join(getEnv().dataDir, "files");
}

function resolveInside(rel: string) {
  const abs = path.resolve(root(), rel);
  if (!abs.startsWith(path.resolve(root()) + path.sep)) throw new Error("path outside the file store");
  return abs;
}

/** Folders of the store known to exist: one mkdir per month, not one per file (a photo import writes 10,000). */
const madeDirs = new Set<string>();

/** A file whose bytes are in the store but whose row is not recorded yet (`recordStoredFiles`). */
export interface WrittenFile {
  id: string;
  /** Relative to the store, as stored_file.path. */
  path: string;
  size: number;
  meta: NewFile;
}

/**
 * Writes a file's bytes through `write` (given a path to write to) and records nothing: the caller
 * records it with `recordStoredFiles`, many at once and in its own transaction, or deletes the bytes
 * with `deleteFileBytes` if it never does. A failed write leaves nothing behind.
 */
export async function writeFileBytes(
  meta: NewFile,
  write: (absPath: string) => Promise<void>,
  knownSize?: number,
): Promise<WrittenFile> {
  const id = randomUUID();
  const month = new Date().toISOString().slice(0, 7);
  const rel = path.join(month, id);
  const abs = resolveInside(rel);
  const dir = path.dirname(abs);
  try {
    if (!madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    await write(abs).catch(async (e: unknown) => {
      // The month's folder removed behind our back: made again, and the write tried once more.
      if ((e as { code?: string }).code !== "ENOENT" || fs.existsSync(dir)) throw e;
      madeDirs.delete(dir);
      fs.mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
      await write(abs);
    });
  } catch (e) {
    fs.rmSync(abs, { force: true });
    throw e;
  }
  const size = knownSize ?? (await fs.promises.stat(abs)).size;
  return { id, path: rel, size, meta };
}

/** `writeFileBytes` for bytes in hand: one write, and their length is the size (no stat). */
export async function writeBytes(meta: NewFile, bytes: Uint8Array): Promise<WrittenFile> {
  return writeFileBytes(meta, (abs) => fs.promises.writeFile(abs, bytes), bytes.length);
}

/** The rows of files written by `writeFileBytes`: one statement (one JSON parameter) per 1,000 files, in `db` (a transaction or not). */
export async function recordStoredFiles(db: Kysely<DB> | Transaction<DB>, files: readonly WrittenFile[]) {
  for (let i = 0; i < files.length; i += 1000) {
    await insertJsonRows(
      db,
      "stored_file",
      files.slice(i, i + 1000).map((f) => ({
        id: f.id,
        kind: f.meta.kind,
        name: f.meta.name,
        path: f.path,
        size: f.size,
        content_type: f.meta.contentType,
        org_id: f.meta.orgId,
        sitting_id: f.meta.sittingId,
        created_by: f.meta.createdBy,
      })),
    );
  }
}

/** Writes a file through `write` (given a path to write to), then records it. */
export async function storeFile(meta: NewFile, write: (absPath: string) => Promise<void>) {
  const file = await writeFileBytes(meta, write);
  try {
    await recordStoredFiles(getDb(), [file]);
  } catch (e) {
    deleteFileBytes([file.path]);
    throw e;
  }
  return { id: file.id, size: file.size };
}

export async function storeStream(meta: NewFile, source: Readable) {
  return storeFile(meta, (abs) => pipeline(source, fs.createWriteStream(abs)));
}

export async function findStoredFile(id: string) {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  return getDb().selectFrom("stored_file").selectAll().where("id", "=", id).executeTakeFirst();
}

export function openStoredFile(rel: string): Readable {
  return fs.createReadStream(resolveInside(rel));
}

/**
 * A stored file as a local path, for readers that need one (the .xlsx and zip readers seek). While
 * files are local this is where they are; an object-store deployment fetches to a temporary file here.
 */
export function localPathOf(file: { path: string }): string {
  return resolveInside(file.path);
}

/** Deletes stored files' bytes (their records are the caller's); a path outside the store is ignored. */
export function deleteFileBytes(rels: readonly string[]) {
  for (const rel of rels) {
    let abs: string;
    try {
      abs = resolveInside(rel);
    } catch {
      continue;
    }
    fs.rmSync(abs, { force: true });
  }
}

const MONTH_FOLDER = /^\d{4}-\d{2}$/;
const FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** How old unrecorded bytes must be before the sweep takes them: past any job that could still record them. */
export function unrecordedGraceMs(): number {
  return Math.max(24 * 3600_000, 2 * getEnv().JOB_TIME_LIMIT_MINUTES * 60_000);
}

/**
 * Deletes bytes in the store that no stored_file row names and that are older than `graceMs`: what a
 * process left when it died between writing files and recording them (a photo import writes its
 * photos before its transaction; a lost database leaves `discardUnrecorded` unable to tell). Only the
 * store's own names are considered (a month's folder, a file id); anything else is left alone.
 * Returns how many files went.
 */
export async function sweepUnrecordedFiles(now = Date.now(), graceMs = unrecordedGraceMs()): Promise<number> {
  const base = root();
  if (!fs.existsSync(base)) return 0;
  let removed = 0;
  for (const month of (await fs.promises.readdir(base)).filter((m) => MONTH_FOLDER.test(m))) {
    // A file named like a month is not ours to read (ENOTDIR): skipped like any other stranger.
    const names = (await fs.promises.readdir(path.join(base, month)).catch(() => [] as string[])).filter((n) =>
      FILE_ID.test(n),
    );
    for (let i = 0; i < names.length; i += 1000) {
      const rels = names.slice(i, i + 1000).map((n) => path.join(month, n));
      const old = (
        await Promise.all(
          rels.map(async (rel) => {
            const st = await fs.promises.stat(resolveInside(rel)).catch(() => null);
            return st && st.isFile() && st.mtimeMs < now - graceMs ? rel : null;
          }),
        )
      ).filter((r): r is string => r !== null);
      if (old.length === 0) continue;
      // A file's name is its row's id (writeFileBytes): looked up by the primary key.
      const recorded = new Set(
        (
          await getDb()
            .selectFrom("stored_file")
            .select("path")
            .where("id", "=", anyText(old.map((rel) => path.basename(rel))))
            .execute()
        ).map((r) => r.path),
      );
      const orphans = old.filter((rel) => !recorded.has(rel));
      deleteFileBytes(orphans);
      removed += orphans.length;
    }
  }
  return removed;
}
