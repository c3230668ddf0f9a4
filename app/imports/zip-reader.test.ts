import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeZip } from "../../tests/fixtures/zip-bomb";
import { isLyingSize, nextEntry, openZip, readEntry, readWholeEntry } from "./zip-reader.server";

// X-3, PHO-2: a photo archive's entries read whole in one read, checked against the central directory.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-zip-reader-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const bytes = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * seed + (i >> 7)) % 251));

async function readAll(zipBytes: Buffer) {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.zip`);
  fs.writeFileSync(file, zipBytes);
  const zip = await openZip(file);
  const out: Array<{ data: Buffer | null; error: Error | null }> = [];
  try {
    for (let e = await nextEntry(zip); e; e = await nextEntry(zip)) {
      try {
        out.push({ data: await readWholeEntry(zip, e), error: null });
      } catch (err) {
        out.push({ data: null, error: err as Error });
      }
    }
  } finally {
    zip.close();
  }
  return out;
}

describe("whole entries in one read (X-3, PHO-2)", () => {
  it("X-3: stored and deflated entries come back byte for byte, as the streaming reader gives them", async () => {
    const a = bytes(70_000, 7);
    const b = bytes(30_000, 13);
    const zipBytes = makeZip([
      { name: "照片/a.jpg", data: a, stored: true },
      { name: "照片/b.jpg", data: b },
    ]);
    const got = await readAll(zipBytes);
    expect(got.map((g) => g.error)).toEqual([null, null]);
    expect(got[0].data!.equals(a)).toBe(true);
    expect(got[1].data!.equals(b)).toBe(true);
    // The streaming reader agrees.
    const file = path.join(dir, "same.zip");
    fs.writeFileSync(file, zipBytes);
    const zip = await openZip(file);
    const first = await nextEntry(zip);
    expect((await readEntry(zip, first!)).equals(a)).toBe(true);
    zip.close();
  });

  it("PHO-2: a byte changed inside a stored entry fails its CRC-32; the entries after it still read", async () => {
    const a = bytes(50_000, 3);
    const b = bytes(40_000, 5);
    const zipBytes = makeZip([
      { name: "a.jpg", data: a, stored: true },
      { name: "b.jpg", data: b, stored: true },
    ]);
    const at = zipBytes.indexOf(a.subarray(20_000, 20_032)) + 10;
    zipBytes[at] ^= 0x40;
    const got = await readAll(zipBytes);
    expect(got[0].error?.message).toMatch(/CRC-32/);
    expect(got[1].data!.equals(b)).toBe(true);
  });

  it("X-3: an entry that inflates to more than it declares is a lying size, caught without inflating the rest", async () => {
    const zipBytes = makeZip([{ name: "bomb.jpg", data: Buffer.alloc(5 * 1024 * 1024) }]);
    // Declare 1,000 bytes in the central directory (uncompressed size at +24 of its header).
    const cd = zipBytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zipBytes.writeUInt32LE(1000, cd + 24);
    const [got] = await readAll(zipBytes);
    expect(got.data).toBeNull();
    expect(isLyingSize(got.error)).toBe(true);
  });
});
