import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers,
  unstable_createFileUploadHandler,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  NodeOnDiskFile,
} from "@remix-run/node";
import { AppError } from "~/domain/errors";
import { getEnv } from "~/utils/env.server";

export interface ReceivedUpload {
  /** A temporary file; the caller stores or deletes it. */
  path: string;
  name: string;
  size: number;
  fields: Record<string, string>;
}

/**
 * the upload is streamed to a temporary file and refused as soon as it passes the size cap,
 * so a 2 GB file is never held in memory, nor written whole. Only one file field is accepted.
 */
export async function receiveUpload(request: Request, opts: { field?: string; maxBytes?: number } = {}): Promise<ReceivedUpload> {
  const field = opts.field ?? "file";
  const maxBytes = opts.maxBytes ?? getEnv().UPLOAD_MAX_BYTES;
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > maxBytes + 64 * 1024) throw new AppError("upload.too_large", { max: formatBytes(maxBytes) }, 413);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-upload-"));
  let form: FormData;
  // The name the user's file had (for messages); on disk it gets a fixed, harmless one.
  let originalName = "";
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(
        unstable_createFileUploadHandler({
          directory: dir,
          maxPartSize: maxBytes,
          avoidFileConflicts: true,
          filter: ({ name }) => name === field,
          file: ({ filename }) => {
            originalName = filename;
            return "upload.bin";
          },
        }),
        unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 }),
      ),
    );
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    if (e instanceof MaxPartSizeExceededError) throw new AppError("upload.too_large", { max: formatBytes(maxBytes) }, 413);
    throw new AppError("upload.broken", {}, 400);
  }
  const file = form.get(field);
  if (!(file instanceof NodeOnDiskFile) || file.size === 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    // A file was chosen but holds nothing: name it, rather than ask to choose one.
    if (originalName) throw new AppError("upload.empty", { name: path.basename(originalName.replace(/\\/g, "/")) }, 400);
    throw new AppError("upload.missing", {}, 400);
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") fields[k] = v;
  return { path: file.getFilePath(), name: path.basename(originalName.replace(/\\/g, "/")) || "upload", size: file.size, fields };
}

export function discardUpload(upload: { path: string }) {
  fs.rmSync(path.dirname(upload.path), { recursive: true, force: true });
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)} MB`;
  return `${Math.round(n / 1024)} KB`;
}
