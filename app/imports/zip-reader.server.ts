import fs from "node:fs";
import { Readable } from "node:stream";
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

/**
 * yauzl's reader over our own descriptor. Two things differ from yauzl's `fromFd` reader, whose reads
 * all queue one behind another (its FdSlicer runs one at a time):
 * - reads in the central directory (from its start to the end of the file) are served from blocks of
 *   256 KiB: listing 10,000 entries was 20,000 reads of 46 bytes and a name, one at a time (0.9 s);
 * - every other read is a positioned `fs.read` of its own, so several entries' reads overlap.
 * Entries' streams are positioned reads of 64 KiB over the same descriptor (RangeStream).
 */
class FdReader extends yauzl.RandomAccessReader {
  /** Where the central directory starts, once yauzl has found it; reads before it are not cached. */
  cacheFrom = Infinity;
  private block: Buffer | null = null;
  private blockStart = 0;

  constructor(
    readonly fd: number,
    readonly size: number,
  ) {
    super();
  }

  _readStreamForRange(start: number, end: number): Readable {
    return new RangeStream(this.fd, start, end);
  }

  read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead: number) => void,
  ) {
    const block = this.block;
    if (block && position >= this.blockStart && position + length <= this.blockStart + block.length) {
      block.copy(buffer, offset, position - this.blockStart, position - this.blockStart + length);
      process.nextTick(callback, null, length);
      return;
    }
    if (position < this.cacheFrom || length >= CACHE_BLOCK) {
      fs.read(this.fd, buffer, offset, length, position, (err, n) => callback(err, n));
      return;
    }
    const next = Buffer.allocUnsafe(Math.min(CACHE_BLOCK, Math.max(0, this.size - position)));
    fs.read(this.fd, next, 0, next.length, position, (err, n) => {
      if (err) return callback(err, 0);
      this.block = next.subarray(0, n);
      this.blockStart = position;
      const got = Math.min(length, n);
      next.copy(buffer, offset, 0, got);
      callback(null, got);
    });
  }

  close(callback: (err: Error | null) => void) {
    this.block = null;
    fs.close(this.fd, (err) => callback(err ?? null));
  }
}

const CACHE_BLOCK = 256 * 1024;

/**
 * Bytes [pos, end) of a descriptor the stream does not own: Node's fs.ReadStream closes its
 * descriptor when destroyed, whatever autoClose says, and a destroyed entry stream must leave the zip open.
 */
class RangeStream extends Readable {
  constructor(
    private readonly fd: number,
    private pos: number,
    private readonly end: number,
  ) {
    super({ highWaterMark: 64 * 1024 });
  }

  _read(n: number) {
    const len = Math.min(n, this.end - this.pos);
    if (len <= 0) {
      this.push(null);
      return;
    }
    const buf = Buffer.allocUnsafe(len);
    fs.read(this.fd, buf, 0, len, this.pos, (err, got) => {
      if (this.destroyed) return;
      if (err) return this.destroy(err);
      if (got === 0) return this.destroy(new Error("unexpected end of the zip"));
      this.pos += got;
      this.push(got < len ? buf.subarray(0, got) : buf);
    });
  }
}

/** The reader under each open zip, for readWholeEntry's single reads. */
const readers = new WeakMap<ZipFile, FdReader>();

export function openZip(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    fs.open(file, "r", (openError, fd) => {
      if (openError) return reject(openError);
      fs.fstat(fd, (statError, stats) => {
        if (statError) {
          fs.close(fd, () => undefined);
          return reject(statError);
        }
        const reader = new FdReader(fd, stats.size);
        yauzl.fromRandomAccessReader(
          reader,
          stats.size,
          { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true },
          (err, zip) => {
            if (err || !zip) {
              fs.close(fd, () => undefined);
              return reject(err ?? new Error("not a zip"));
            }
            // yauzl's cursor starts at the central directory (typed wrongly as a boolean).
            reader.cacheFrom = Number(zip.readEntryCursor);
            readers.set(zip, reader);
            // A permanent listener: an error between reads must not end the process.
            zip.on("error", () => undefined);
            resolve(zip);
          },
        );
      });
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
 * A small entry's bytes whole, in one read of its local header and data instead of a header read and a
 * stream of 16 KB chunks (a photo archive holds 10,000 entries, and each read is a round trip through
 * the thread pool), inflated
 * when deflated, and checked against the central directory: its size, and its CRC-32, which yauzl
 * leaves unchecked, so a photo stored as it came is the byte-for-byte photo the school zipped.
 * Throws for an encrypted entry, an unknown method, a size that lies (isLyingSize) or a bad CRC.
 */
export async function readWholeEntry(zip: ZipFile, entry: ZipEntry): Promise<Buffer> {
  const reader = readers.get(zip);
  if (reader === undefined) throw new Error("zip not opened by openZip");
  if (entry.isEncrypted()) throw new Error("entry is encrypted");
  const method = entry.compressionMethod;
  if (method !== 0 && method !== 8) throw new Error(`unsupported compression method: ${method}`);
  // Deflate never grows data by more than a fraction of a percent: more declared is a lie.
  if (entry.compressedSize > entry.uncompressedSize * 1.01 + 1024) throw new Error("too many bytes in the entry");
  // The local header and the data in one read: the header's name and extra field are usually those
  // of the central directory; LOCAL_SLACK covers a longer local extra field, and a second read the rest.
  const at = entry.relativeOffsetOfLocalHeader;
  const guess = 30 + entry.fileNameLength + entry.extraFieldLength + LOCAL_SLACK + entry.compressedSize;
  const head = Buffer.allocUnsafe(Math.max(30, Math.min(guess, reader.size - at)));
  if ((await readAt(reader.fd, head, at)) < 30) throw new Error("entry cut short");
  if (head.readUInt32LE(0) !== 0x04034b50) throw new Error("invalid local file header signature");
  const dataStart = 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  let raw: Buffer;
  if (dataStart + entry.compressedSize <= head.length) {
    raw = head.subarray(dataStart, dataStart + entry.compressedSize);
  } else {
    raw = Buffer.allocUnsafe(entry.compressedSize);
    if ((await readAt(reader.fd, raw, at + dataStart)) !== raw.length) throw new Error("entry cut short");
  }
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

/** Room for a local extra field longer than the central one (Info-ZIP's timestamps and the like). */
const LOCAL_SLACK = 256;

/** One positioned read filling `buf` as far as the file goes; the bytes read. */
function readAt(fd: number, buf: Buffer, position: number): Promise<number> {
  if (buf.length === 0) return Promise.resolve(0);
  return new Promise((resolve, reject) =>
    fs.read(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n))),
  );
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
