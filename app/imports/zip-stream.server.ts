import { AppError } from "~/domain/errors";
import { judgeZipEntry, type ZipLimits, type ZipTally } from "./sniff.server";
import { decodeZipName } from "./zip-reader.server";

/**
 * X-3, issue 13 item 7: a zip judged while it is still being uploaded, so a photo archive of up to 2 GB
 * never fills the temporary disk before it is refused. The first bytes must open a zip (RAR and 7z
 * are named); then every local header is judged as it arrives by the same rule as the central
 * directory (judgeZipEntry: paths, entry count, declared sizes) and its data skipped unread.
 *
 * An entry written with a data descriptor (bit 3: sizes follow the data, as macOS's and Java's zip
 * tools write) gives no way to find the next header without inflating; there, and at the central
 * directory, the stream check stops and checkZip judges the whole file after the upload as before.
 */
export interface UploadInspector {
  /** Throws an AppError as soon as the bytes so far are refused. */
  push(chunk: Uint8Array): void;
}

const LOCAL = 0x04034b50;
const SPANNED = 0x08074b50;
const END = 0x06054b50;

export interface ZipStreamOptions {
  limits: ZipLimits;
  /** The error for a file that is not a zip; `found` names RAR or 7z when recognised. */
  notZip: (found: "RAR" | "7z" | null) => AppError;
}

export function createZipStreamInspector(
  opts: ZipStreamOptions,
): UploadInspector & { readonly tally: Readonly<ZipTally>; readonly stopped: boolean } {
  const tally: ZipTally = { entries: 0, totalBytes: 0 };
  let pending: Buffer = Buffer.alloc(0);
  let skip = 0;
  let started = false;
  let stopped = false;

  const judgeStart = (b: Buffer) => {
    const sig = b.readUInt32LE(0);
    if (sig === LOCAL || sig === END || sig === SPANNED) return;
    if (b.subarray(0, 4).toString("latin1") === "Rar!") throw opts.notZip("RAR");
    if (b[0] === 0x37 && b[1] === 0x7a && b[2] === 0xbc && b[3] === 0xaf) throw opts.notZip("7z");
    throw opts.notZip(null);
  };

  return {
    tally,
    get stopped() {
      return stopped;
    },
    push(chunk) {
      if (stopped) return;
      walk(chunk);
      // Only a header's few bytes are kept between chunks, copied: the parser may reuse its buffers.
      if (pending.length) pending = Buffer.from(pending);
    },
  };

  function walk(chunk: Uint8Array) {
    let b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (skip > 0) {
      const n = Math.min(skip, b.length);
      skip -= n;
      b = b.subarray(n);
      if (b.length === 0) return;
    }
    pending = pending.length ? Buffer.concat([pending, b]) : b;
    for (;;) {
      if (pending.length < 4) return;
      if (!started) {
        judgeStart(pending);
        started = true;
        // A split-archive marker may open the file; the first header follows it.
        if (pending.readUInt32LE(0) === SPANNED) {
          pending = pending.subarray(4);
          continue;
        }
      }
      if (pending.readUInt32LE(0) !== LOCAL) {
        stopped = true; // the central directory (or something checkZip will judge)
        pending = Buffer.alloc(0);
        return;
      }
      if (pending.length < 30) return;
      const flags = pending.readUInt16LE(6);
      let compressed = pending.readUInt32LE(18);
      let uncompressed = pending.readUInt32LE(22);
      const nameLength = pending.readUInt16LE(26);
      const extraLength = pending.readUInt16LE(28);
      const headerLength = 30 + nameLength + extraLength;
      if (pending.length < headerLength) return;
      const name = decodeZipName(pending.subarray(30, 30 + nameLength), flags);
      if (compressed === 0xffffffff || uncompressed === 0xffffffff) {
        const z64 = zip64Sizes(
          pending.subarray(30 + nameLength, headerLength),
          uncompressed === 0xffffffff,
          compressed === 0xffffffff,
        );
        if (!z64) {
          stopped = true;
          return;
        }
        uncompressed = z64.uncompressed ?? uncompressed;
        compressed = z64.compressed ?? compressed;
      }
      const refused = judgeZipEntry(tally, name, compressed, uncompressed, opts.limits);
      if (refused) throw refused;
      if (flags & 0x08) {
        stopped = true;
        pending = Buffer.alloc(0);
        return;
      }
      const rest = pending.subarray(headerLength);
      if (rest.length >= compressed) {
        pending = rest.subarray(compressed);
      } else {
        skip = compressed - rest.length;
        pending = Buffer.alloc(0);
        return;
      }
    }
  }
}

/** The zip64 extended-information extra field (0x0001): the 8-byte sizes that the header marks 0xFFFFFFFF, in that order. */
function zip64Sizes(
  extra: Buffer,
  hasUncompressed: boolean,
  hasCompressed: boolean,
): { uncompressed?: number; compressed?: number } | null {
  for (let i = 0; i + 4 <= extra.length;) {
    const id = extra.readUInt16LE(i);
    const size = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      let at = i + 4;
      const out: { uncompressed?: number; compressed?: number } = {};
      if (hasUncompressed) {
        if (at + 8 > i + 4 + size) return null;
        out.uncompressed = Number(extra.readBigUInt64LE(at));
        at += 8;
      }
      if (hasCompressed) {
        if (at + 8 > i + 4 + size) return null;
        out.compressed = Number(extra.readBigUInt64LE(at));
      }
      return out;
    }
    i += 4 + size;
  }
  return null;
}
