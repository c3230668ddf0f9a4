import { describe, expect, it } from "vitest";
import { AppError } from "~/domain/errors";
import { makeZip } from "../../tests/fixtures/zip-bomb";
import { createZipStreamInspector } from "./zip-stream.server";

// X-3, issue 13 item 7: a zip judged while it streams, by the same rule as its central directory.

const LIMITS = { maxEntries: 5, maxTotalBytes: 10 * 1024 * 1024, maxRatio: 200 };
const notZip = (found: "RAR" | "7z" | null) => new AppError("photos.not_zip", { found: found ?? "" });

function feed(bytes: Buffer, chunk: number) {
  const inspector = createZipStreamInspector({ limits: LIMITS, notZip });
  let fed = 0;
  try {
    for (let i = 0; i < bytes.length; i += chunk) {
      inspector.push(bytes.subarray(i, i + chunk));
      fed = Math.min(bytes.length, i + chunk);
    }
    return { inspector, error: null as AppError | null, fed };
  } catch (e) {
    return { inspector, error: e as AppError, fed };
  }
}

const jpeg = (n: number) => Buffer.alloc(n, 0xd8);

describe("zip judged while it streams (X-3)", () => {
  it("X-3: a good zip passes in any chunking: every entry judged, stopping at the central directory", () => {
    const zip = makeZip([
      { name: "110101200503080011.jpg", data: jpeg(3000) },
      { name: "照片/110101200503080029.jpg", data: jpeg(5000) },
    ]);
    for (const size of [1, 3, 29, 31, 4096, zip.length]) {
      const { inspector, error } = feed(zip, size);
      expect(error).toBeNull();
      expect(inspector.tally).toEqual({ entries: 2, totalBytes: 8000 });
      expect(inspector.stopped).toBe(true);
    }
  });

  it("X-3: RAR, 7z and anything else are refused at the first bytes", () => {
    expect(feed(Buffer.from("Rar!\x1a\x07\x01\x00 and then a gigabyte", "latin1"), 3).error?.params).toEqual({
      found: "RAR",
    });
    expect(feed(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), 2).error?.params).toEqual({ found: "7z" });
    const jpg = feed(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 1);
    expect(jpg.error?.key).toBe("photos.not_zip");
    expect(jpg.fed).toBe(3); // the fourth byte decided it
  });

  it("X-3: a ../ path in the second entry is refused when its header arrives, before the rest is read", () => {
    const first = makeZip([{ name: "a.jpg", data: jpeg(2000) }]);
    const zip = makeZip([
      { name: "a.jpg", data: jpeg(2000) },
      { name: "../../etc/x.jpg", data: jpeg(2000) },
      { name: "c.jpg", data: jpeg(90_000) },
    ]);
    const { error, fed } = feed(zip, 64);
    expect(error?.key).toBe("upload.zip_path");
    expect(error?.params).toEqual({ name: "../../etc/x.jpg" });
    // Refused within the chunk holding the second header, long before the third entry's data.
    const secondHeaderEnd = first.length - 22 - 46 - 5 + 30 + "../../etc/x.jpg".length;
    expect(fed).toBeLessThanOrEqual(secondHeaderEnd + 64);
  });

  it("X-3: too many entries, and a bomb by its declared sizes, are named as they stream", () => {
    const many = makeZip(Array.from({ length: 7 }, (_, i) => ({ name: `${i}.jpg`, data: jpeg(100) })));
    expect(feed(many, 100).error?.key).toBe("upload.zip_entries");
    const bomb = makeZip([
      { name: "a.jpg", data: jpeg(100) },
      { name: "b.jpg", data: Buffer.alloc(8 * 1024 * 1024) },
    ]);
    const r = feed(bomb, 1000);
    expect(r.error?.key).toBe("upload.zip_bomb_entry");
    expect(r.error?.params).toEqual({ name: "b.jpg" });
  });

  it("X-3: zip64 sizes are read from the extra field", () => {
    const name = Buffer.from("huge.jpg");
    const extra = Buffer.alloc(20);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(16, 2);
    extra.writeBigUInt64LE(5n * 1024n ** 3n, 4); // uncompressed
    extra.writeBigUInt64LE(1000n, 12); // compressed
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(45, 4);
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(0xffffffff, 18);
    header.writeUInt32LE(0xffffffff, 22);
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(extra.length, 28);
    const r = feed(Buffer.concat([header, name, extra, Buffer.alloc(1000)]), 7);
    expect(r.error?.key).toBe("upload.zip_bomb_entry");
  });

  it("X-3: an entry with a data descriptor (sizes after the data) is judged by its name, then the file is left to the central-directory check", () => {
    const zip = makeZip([
      { name: "a.jpg", data: jpeg(100) },
      { name: "../b.jpg", data: jpeg(100) },
    ]);
    zip.writeUInt16LE(0x08, 6); // the first entry's flags: bit 3
    const { inspector, error } = feed(zip, 16);
    expect(error).toBeNull();
    expect(inspector.stopped).toBe(true);
    expect(inspector.tally.entries).toBe(1);
  });
});
