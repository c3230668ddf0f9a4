import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { getDb } from "~db/client";
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

/** Writes a file through `write` (given a path to write to), then records it. */
export async function storeFile(meta: NewFile, write: (absPath: string) => Promise<void>) {
  const id = randomUUID();
  const month = new Date().toISOString().slice(0, 7);
  const rel = path.join(month, id);
  const abs = resolveInside(rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  try {
    await write(abs);
  } catch (e) {
    fs.rmSync(abs, { force: true });
    throw e;
  }
  const size = fs.statSync(abs).size;
  await getDb()
    .insertInto("stored_file")
    .values({
      id,
      kind: meta.kind,
      name: meta.name,
      path: rel,
      size,
      content_type: meta.contentType,
      org_id: meta.orgId,
      sitting_id: meta.sittingId,
      created_by: meta.createdBy,
    })
    .execute();
  return { id, size };
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
