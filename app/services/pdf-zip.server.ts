import { PassThrough, Readable } from "node:stream";
import yazl from "yazl";

/**
 * A .zip of PDFs drawn one at a time and streamed (DOC-1, DOC-2, DOC-7): each PDF is drawn, added and
 * written out before the next is drawn, so a site's documents never sit in memory together (issue 17
 * item 8). PDFs are stored, not deflated: their streams are compressed already.
 */
export function streamPdfZip<F>(
  files: readonly F[],
  o: {
    /** The file's path inside the zip. */
    name: (f: F) => string;
    draw: (f: F) => Promise<Uint8Array>;
    /** How much of the progress a file is (cards or candidates in it). */
    weight?: (f: F) => number;
    onProgress?: (done: number, total: number) => Promise<void>;
  },
): Readable {
  const zip = new yazl.ZipFile();
  const out = new PassThrough();
  // Bytes the zip has handed on: the next PDF is drawn only once the one before has left memory.
  let emitted = 0;
  zip.outputStream.on("data", (b: Buffer) => (emitted += b.length));
  zip.outputStream.on("error", (e) => out.destroy(e)).pipe(out);
  const weight = o.weight ?? (() => 1);
  const total = files.reduce((n, f) => n + weight(f), 0);
  (async () => {
    let done = 0;
    let added = 0;
    for (const f of files) {
      const pdf = await o.draw(f);
      // A stream that lets go of the bytes once read: yazl's addBuffer keeps every buffer until the zip ends (DESIGN.md "Zip").
      let bytes: Uint8Array | null = pdf;
      const once = new Readable({
        read() {
          this.push(bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null);
          if (bytes) this.push(null);
          bytes = null;
        },
      });
      zip.addReadStream(once, o.name(f), { compress: false, mtime: new Date(0), size: pdf.byteLength });
      added += pdf.byteLength;
      done += weight(f);
      await o.onProgress?.(done, total);
      while (!out.destroyed && (emitted < added || out.readableLength > 1 << 20))
        await new Promise((r) => setTimeout(r, 5));
    }
    zip.end();
  })().catch((e) => out.destroy(e));
  return out;
}
