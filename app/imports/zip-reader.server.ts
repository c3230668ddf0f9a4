import fs from "node:fs";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import yauzl from "yauzl";
import iconv from "iconv-lite";

/**
 * The one zip reader: every zip the portal reads (uploads, photo archives, the .xlsx package)
 * goes through here, one entry at a time, never the whole archive. Names stay raw bytes until
 * `entryName` decodes them (UTF-8 when flagged, GBK from Chinese Windows tools otherwise), so a
 * hostile name is judged and named by our checks rather than refused unread by yauzl; yauzl counts
 * what inflates, and more bytes than an entry declares is an error (a lying size: a bomb).
 */
export type ZipFile = yauzl.ZipFile;
export type ZipEntry = yauzl.Entry;

/** The descriptor under each open zip (yauzl closes it with the zip), for readWholeEntry's single reads. */
const descriptors = new WeakMap<ZipFile, number>();

export function openZip(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    fs.open(file, "r", (openError, fd) => {
      if (openError) return reject(openError);
      yauzl.fromFd(
        fd,
        { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true },
        (err, zip) => {
          if (err || !zip) {
            fs.close(fd, () => undefined);
            return reject(err ?? new Error("not a zip"));
          }
          descriptors.set(zip, fd);
          // A permanent listener: an error between reads must not end the process.
          zip.on("error", () => undefined);
          resolve(zip);
        },
      );
    });
  });
}

/** The next entry of the central directory, or null at its end. */
export function nextEntry(zip: ZipFile): Promise<ZipEntry | null> {
  return new Promise((resolve, reject) => {
    const off = () => {
      zip.off("entry", onEntry);
      zip.off("end", onEnd);
      zip.off("error", onError);
    };
    const onEntry = (e: ZipEntry) => {
      off();
      resolve(e);
    };
    const onEnd = () => {
      off();
      resolve(null);
    };
    const onError = (e: Error) => {
      off();
      reject(e);
    };
    zip.on("entry", onEntry);
    zip.on("end", onEnd);
    zip.on("error", onError);
    zip.readEntry();
  });
}

/** Every entry in order, the zip closed at the end (or when the loop stops early). */
export async function* entriesOf(file: string): AsyncGenerator<{ zip: ZipFile; entry: ZipEntry }> {
  const zip = await openZip(file);
  try {
    for (let e = await nextEntry(zip); e; e = await nextEntry(zip)) yield { zip, entry: e };
  } finally {
    zip.close();
  }
}

/** An entry's inflated bytes as a stream. */
export function entryStream(zip: ZipFile, entry: ZipEntry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(err ?? new Error("stream")) : resolve(stream)));
  });
}

/** The entry's bytes, whole, or only the first `limit` of them (the rest is not inflated). */
export async function readEntry(zip: ZipFile, entry: ZipEntry, limit = Infinity): Promise<Buffer> {
  const stream = await entryStream(zip, entry);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let done = false;
    stream.on("data", (c: Buffer) => {
      if (done) return;
      chunks.push(c);
      n += c.length;
      if (n >= limit) {
        done = true;
        stream.destroy();
        resolve(Buffer.concat(chunks).subarray(0, limit));
      }
    });
    stream.on("end", () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    stream.on("error", (e) => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
  });
}

/**
 * A small entry's bytes whole, in one read of its data instead of a stream of 16 KB chunks (a photo
 * archive holds 10,000 entries, and each chunk is a round trip through the thread pool), inflated
 * when deflated, and checked against the central directory: its size, and its CRC-32, which yauzl
 * leaves unchecked, so a photo stored as it came is the byte-for-byte photo the school zipped.
 * Throws for an encrypted entry, an unknown method, a size that lies (isLyingSize) or a bad CRC.
 */
export async function readWholeEntry(zip: ZipFile, entry: ZipEntry): Promise<Buffer> {
  const fd = descriptors.get(zip);
  if (fd === undefined) throw new Error("zip not opened by openZip");
  if (entry.isEncrypted()) throw new Error("entry is encrypted");
  const method = entry.compressionMethod;
  if (method !== 0 && method !== 8) throw new Error(`unsupported compression method: ${method}`);
  // Deflate never grows data by more than a fraction of a percent: more declared is a lie.
  if (entry.compressedSize > entry.uncompressedSize * 1.01 + 1024) throw new Error("too many bytes in the entry");
  const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
  const raw = Buffer.allocUnsafe(entry.compressedSize);
  const got = await new Promise<number>((resolve, reject) =>
    fs.read(fd, raw, 0, raw.length, fileDataStart, (err, n) => (err ? reject(err) : resolve(n))),
  );
  if (got !== raw.length) throw new Error("entry cut short");
  let data = raw;
  if (method === 8) {
    try {
      data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch (e) {
      if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new Error("too many bytes in the entry");
      throw e;
    }
  }
  if (data.length !== entry.uncompressedSize) throw new Error("entry size does not match the directory");
  if (zlib.crc32(data) !== entry.crc32) throw new Error("CRC-32 does not match the directory");
  return data;
}

/** yauzl's error for an entry that inflates to more than it declared. */
export function isLyingSize(e: unknown): boolean {
  return e instanceof Error && /too many bytes/i.test(e.message);
}

/** Zip names are UTF-8 when flagged (bit 11) and otherwise, from Chinese Windows tools, usually GBK. */
export function entryName(e: ZipEntry): string {
  const raw = e.fileName as unknown as Buffer | string;
  if (typeof raw === "string") return raw;
  return decodeZipName(raw, e.generalPurposeBitFlag);
}

export function decodeZipName(raw: Buffer, flags: number): string {
  if (flags & 0x800) return raw.toString("utf8");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    return iconv.decode(raw, "gb18030");
  }
}
