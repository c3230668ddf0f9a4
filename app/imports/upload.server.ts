import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import {
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  NodeOnDiskFile,
} from "@remix-run/node";
import { AppError, isAppError } from "~/domain/errors";
import type { UploadInspector } from "./zip-stream.server";
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
 * `inspect` judges the bytes as they arrive (a photo zip: createZipStreamInspector) and refuses the
 * upload at the first bad one.
 */
export async function receiveUpload(
  request: Request,
  opts: { field?: string; maxBytes?: number; inspect?: (name: string) => UploadInspector } = {},
): Promise<ReceivedUpload> {
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
        async ({ name, filename, contentType, data }) => {
          if (name !== field || !filename) return undefined;
          originalName = filename;
          const inspector = opts.inspect?.(baseName(filename));
          // Remix's own file handler returns the same class under the same cast (its File type lacks `bytes`).
          return (await writePart(
            path.join(dir, "upload.bin"),
            contentType,
            data,
            maxBytes,
            name,
            inspector,
          )) as unknown as File;
        },
        unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 }),
      ),
    );
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    if (e instanceof MaxPartSizeExceededError)
      throw new AppError("upload.too_large", { max: formatBytes(maxBytes) }, 413);
    // Refused by the inspector while streaming: its own message.
    if (isAppError(e)) throw e;
    throw new AppError("upload.broken", {}, 400);
  }
  const file = form.get(field);
  if (!(file instanceof NodeOnDiskFile) || file.size === 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    // A file was chosen but holds nothing: name it, rather than ask to choose one.
    if (originalName) throw new AppError("upload.empty", { name: baseName(originalName) }, 400);
    throw new AppError("upload.missing", {}, 400);
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") fields[k] = v;
  return { path: file.getFilePath(), name: baseName(originalName) || "upload", size: file.size, fields };
}

function baseName(filename: string): string {
  return path.basename(filename.replace(/\\/g, "/"));
}

/** The file part to disk, counted against the cap and shown to the inspector chunk by chunk. */
async function writePart(
  filePath: string,
  contentType: string,
  data: AsyncIterable<Uint8Array>,
  maxBytes: number,
  field: string,
  inspector: UploadInspector | undefined,
): Promise<NodeOnDiskFile> {
  const out = fs.createWriteStream(filePath);
  // A write error (a full disk) is thrown at the next chunk; the stream is never left without a listener.
  let writeError: Error | null = null;
  out.on("error", (e) => (writeError ??= e));
  let size = 0;
  try {
    for await (const chunk of data) {
      if (writeError) throw writeError;
      size += chunk.byteLength;
      if (size > maxBytes) throw new MaxPartSizeExceededError(field, maxBytes);
      inspector?.push(chunk);
      if (!out.write(chunk)) await once(out, "drain");
    }
    await new Promise<void>((resolve, reject) => out.end(() => (writeError ? reject(writeError) : resolve())));
  } catch (e) {
    // Refused (or the client went away) before the file was even opened: let the stream settle before the folder goes.
    out.destroy();
    await finished(out).catch(() => {});
    throw e;
  }
  return new NodeOnDiskFile(filePath, contentType);
}

export function discardUpload(upload: { path: string }) {
  fs.rmSync(path.dirname(upload.path), { recursive: true, force: true });
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)} MB`;
  return `${Math.round(n / 1024)} KB`;
}
