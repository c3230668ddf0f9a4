import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { makeZip } from "../../tests/fixtures/zip-bomb";
import { entryStream, isLyingSize, nextEntry, openZip, readEntry, readWholeEntry } from "./zip-reader.server";

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

  it("X-3: a local header with a longer extra field than the central one (within one read, and beyond it) still gives the entry's bytes", async () => {
    const a = bytes(40_000, 11);
    const b = bytes(20_000, 17);
    /** An extra field of `n` bytes: an unknown id, its length, zeros. */
    const extra = (n: number) => {
      const x = Buffer.alloc(n);
      x.writeUInt16LE(0x7075, 0);
      x.writeUInt16LE(n - 4, 2);
      return x;
    };
    const got = await readAll(
      makeZip([
        { name: "a.jpg", data: a, stored: true, localExtra: extra(100) },
        { name: "b.jpg", data: b, localExtra: extra(3000) },
      ]),
    );
    expect(got.map((g) => g.error)).toEqual([null, null]);
    expect(got[0].data!.equals(a)).toBe(true);
    expect(got[1].data!.equals(b)).toBe(true);
  });

  it("X-3: an entry's stream destroyed half-way leaves the zip open: the next entries still read", async () => {
    const a = bytes(300_000, 7);
    const b = bytes(30_000, 13);
    const file = path.join(dir, "destroyed.zip");
    fs.writeFileSync(
      file,
      makeZip([
        { name: "a.bin", data: a, stored: true },
        { name: "b.bin", data: b },
      ]),
    );
    const zip = await openZip(file);
    try {
      const ea = (await nextEntry(zip))!;
      const eb = (await nextEntry(zip))!;
      const stream = await entryStream(zip, ea);
      await new Promise<void>((resolve) => stream.once("data", () => resolve()));
      stream.destroy();
      await new Promise((r) => setTimeout(r, 20));
      expect((await readEntry(zip, eb)).equals(b)).toBe(true);
      expect((await readWholeEntry(zip, ea)).equals(a)).toBe(true);
    } finally {
      zip.close();
    }
  });

  it("X-3: the central directory of 3,000 entries is listed in a few reads, not two per entry", async () => {
    const file = path.join(dir, "many.zip");
    fs.writeFileSync(
      file,
      makeZip(
        Array.from({ length: 3000 }, (_, i) => ({
          name: `照片/计科01/${i}.jpg`,
          data: bytes(10, i + 1),
          stored: true,
        })),
      ),
    );
    const zip = await openZip(file);
    const reads = vi.spyOn(fs, "read");
    try {
      let n = 0;
      for (let e = await nextEntry(zip); e; e = await nextEntry(zip)) n++;
      expect(n).toBe(3000);
      // About 200 KB of directory: one read per 256 KiB block (yauzl's own reader made 6,000).
      expect(reads.mock.calls.length).toBeLessThanOrEqual(3);
    } finally {
      reads.mockRestore();
      zip.close();
    }
  });
});
