import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { zhCN } from "~/i18n/zh-CN";
import { en } from "~/i18n/en";
import {
  PHOTO_IMPORT_REASONS,
  checkPhotoBytes,
  checkPhotoImage,
  countByReason,
  findDuplicates,
  AS_SENT_MAX_PIXELS,
  jpegAsStored,
  jpegFrame,
  jpegOrientation,
  jpegSegments,
  judgeTarget,
  parsePhotoEntryName,
  planPhotoCheck,
  sniffArchive,
} from "./photo-import";

const JPEG_HEAD = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);
const PNG_HEAD = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
]);
const ZIP_HEAD = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]);
/** PHO-2: a JPEG's structure is whole when its segments run to an end-of-image marker. */
const structureWhole = (b: Uint8Array) => jpegSegments(b) !== null;
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe("photo file names (PHO-1)", () => {
  it.each([
    ["11010519491231002X.jpg", "11010519491231002X"],
    ["photos/class 1/11010519491231002x.JPG", "11010519491231002X"],
    ["a\\b\\11010519491231002X.jpeg", "11010519491231002X"],
    [" 11010519491231002X  .Jpeg ", "11010519491231002X"],
    [`${fullWidth("11010519491231002x")}.jpg`, "11010519491231002X"],
    [`${fullWidth("11010519491231002X.JPG")}`, "11010519491231002X"],
    ["H1234567（1）.jpg", "H1234567(1)"],
    ["H1234567\u3000.jpg", "H1234567"],
  ])("PHO-1: %s → %s (folders ignored, full-width, spaces, lower-case x)", (path, id) => {
    expect(parsePhotoEntryName(path)).toMatchObject({ kind: "photo", idNumber: id });
  });

  it.each(["photos/", "__MACOSX/photos/._110.jpg", "photos/._110.jpg", "photos/Thumbs.db", ".DS_Store"])(
    "PHO-1: %s is skipped (folder or system file)",
    (path) => {
      expect(parsePhotoEntryName(path)).toEqual({ kind: "skip" });
    },
  );

  it.each(["photos/readme.txt", "110101.png", "110101.jpg.zip", ".jpg", "  .jpeg"])(
    "PHO-2: %s has no <ID>.jpg name",
    (path) => {
      expect(parsePhotoEntryName(path)).toMatchObject({ kind: "bad_name" });
    },
  );
});

describe("photo bytes and headers (PHO-2, PHO-4)", () => {
  it("PHO-2: a PNG named .jpg is named as a PNG; a zip inside the zip is an archive; 0 bytes is empty", () => {
    expect(checkPhotoBytes({ bytes: 50_000, head: PNG_HEAD })).toEqual([
      { key: "photos.reason.not_jpeg", params: { found: "PNG" } },
    ]);
    expect(checkPhotoBytes({ bytes: 50_000, head: ZIP_HEAD })).toEqual([
      { key: "photos.reason.archive", params: { found: "ZIP" } },
    ]);
    expect(checkPhotoBytes({ bytes: 0, head: new Uint8Array() })).toEqual([{ key: "photos.reason.empty" }]);
    expect(checkPhotoBytes({ bytes: 50_000, head: new Uint8Array([1, 2, 3, 4]) })[0].key).toBe(
      "photos.reason.not_image",
    );
  });

  it("PHO-4: file size within 10–200 KB", () => {
    expect(checkPhotoBytes({ bytes: 50_000, head: JPEG_HEAD })).toEqual([]);
    expect(checkPhotoBytes({ bytes: 5_000, head: JPEG_HEAD })[0].key).toBe("photos.reason.too_small_file");
    expect(checkPhotoBytes({ bytes: 300 * 1024, head: JPEG_HEAD })[0].key).toBe("photos.reason.too_large_file");
  });

  it("PHO-4: pixel size, 3:4 within ±2 %, no EXIF rotation; every problem is listed", () => {
    expect(checkPhotoImage({ width: 360, height: 480 })).toEqual([]);
    expect(checkPhotoImage({ width: 600, height: 800, orientation: 1 })).toEqual([]);
    expect(checkPhotoImage({ width: 367, height: 480 })).toEqual([]); // +1.9 %
    expect(checkPhotoImage({ width: 1200, height: 800 }).map((p) => p.key)).toEqual(["photos.reason.aspect"]);
    expect(checkPhotoImage({ width: 150, height: 200 }).map((p) => p.key)).toEqual(["photos.reason.too_small"]);
    expect(checkPhotoImage({ width: 100, height: 100, orientation: 6 }).map((p) => p.key)).toEqual([
      "photos.reason.rotated",
      "photos.reason.too_small",
      "photos.reason.aspect",
    ]);
  });

  it("PHO-2: a JPEG cut short is found by its structure, without decoding", async () => {
    const raw = { raw: { width: 300, height: 400, channels: 3 as const } };
    const pixels = Buffer.alloc(300 * 400 * 3, 200);
    for (let i = 0; i < pixels.length; i += 7) pixels[i] = (i * 31) % 256; // some detail
    const baseline = await sharp(pixels, raw).jpeg({ quality: 90 }).toBuffer();
    const progressive = await sharp(pixels, raw).jpeg({ quality: 90, progressive: true }).toBuffer();
    const mozjpeg = await sharp(pixels, raw).jpeg({ quality: 90, mozjpeg: true }).toBuffer();
    for (const b of [baseline, progressive, mozjpeg]) {
      expect(structureWhole(b)).toBe(true);
      expect(structureWhole(Buffer.concat([b, Buffer.alloc(100)]))).toBe(true); // trailing padding is harmless
      expect(structureWhole(b.subarray(0, Math.floor(b.length / 2)))).toBe(false);
      expect(structureWhole(b.subarray(0, b.length - 2))).toBe(false);
    }
    expect(structureWhole(PNG_HEAD)).toBe(false);
    expect(structureWhole(Buffer.concat([JPEG_HEAD.subarray(0, 2), Buffer.from([0x12, 0x34])]))).toBe(false);
  });

  it("PHO-6: a baseline YCbCr JPEG is stored as it came, less its metadata: same pixels, no EXIF, comment, thumbnail or trailer", async () => {
    const raw = { raw: { width: 300, height: 400, channels: 3 as const } };
    const pixels = Buffer.alloc(300 * 400 * 3, 180);
    for (let i = 0; i < pixels.length; i += 5) pixels[i] = (i * 17) % 256;
    const plain = await sharp(pixels, raw).jpeg({ quality: 85 }).toBuffer();
    const tagged = await sharp(pixels, raw)
      .jpeg({ quality: 85 })
      .withExif({ IFD0: { Copyright: "GPS-AND-CAMERA", Make: "PhoneMaker" } })
      .toBuffer();
    // A comment and a JFXX thumbnail after the start of the image, and bytes after its end.
    const segment = (marker: number, body: Buffer) =>
      Buffer.concat([Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
    const soiEnd = 2;
    const extra = Buffer.concat([
      tagged.subarray(0, soiEnd),
      segment(0xfe, Buffer.from("school comment")),
      segment(0xe0, Buffer.from("JFXX\0thumbnail")),
      tagged.subarray(soiEnd),
      Buffer.from("TRAILER"),
    ]);
    expect(structureWhole(extra)).toBe(true);
    const out = Buffer.from(jpegAsStored(extra, jpegSegments(extra)!)!);
    for (const text of ["GPS-AND-CAMERA", "PhoneMaker", "Exif", "school comment", "JFXX", "TRAILER"])
      expect(out.includes(text), text).toBe(false);
    expect(jpegSegments(out)!.map((x) => x.marker)).not.toContain(0xe1);
    expect(structureWhole(out)).toBe(true);
    const meta = await sharp(out).metadata();
    expect(meta).toMatchObject({ format: "jpeg", width: 300, height: 400, channels: 3, isProgressive: false });
    expect(meta.exif).toBeUndefined();
    // The picture itself is untouched: the same entropy-coded data, the same decoded pixels.
    expect(await sharp(out).raw().toBuffer()).toEqual(await sharp(plain).raw().toBuffer());
    // A file without metadata comes back byte for byte.
    expect(Buffer.from(jpegAsStored(plain, jpegSegments(plain)!)!).equals(plain)).toBe(true);
  });

  it("PHO-6: progressive, grayscale, CMYK, colour-managed, RGB-coded and very large JPEGs are re-encoded, not stored as they came", async () => {
    const raw = { raw: { width: 300, height: 400, channels: 3 as const } };
    const pixels = Buffer.alloc(300 * 400 * 3, 120);
    const base = sharp(pixels, raw);
    const asStored = (b: Buffer) => jpegAsStored(b, jpegSegments(b)!);
    expect(asStored(await base.clone().jpeg().toBuffer())).not.toBeNull();
    expect(asStored(await base.clone().jpeg({ progressive: true }).toBuffer())).toBeNull();
    expect(asStored(await base.clone().toColourspace("b-w").jpeg().toBuffer())).toBeNull();
    expect(asStored(await base.clone().toColourspace("cmyk").jpeg().toBuffer())).toBeNull();
    expect(asStored(await base.clone().jpeg().withIccProfile("p3").toBuffer())).toBeNull();
    // Components named R, G, B: RGB samples that a PDF would read as YCbCr.
    const rgb = await base.clone().jpeg().toBuffer();
    const sof = jpegSegments(rgb)!.find((s) => s.marker === 0xc0)!;
    for (const [k, id] of [0x52, 0x47, 0x42].entries()) rgb[sof.start + 10 + 3 * k] = id;
    expect(asStored(rgb)).toBeNull();
    // An Adobe segment: transform 1 (YCbCr) is dropped and the photo kept, transform 0 (RGB) re-encoded.
    const plain = await base.clone().jpeg().toBuffer();
    const adobe = (transform: number) =>
      Buffer.concat([
        plain.subarray(0, 2),
        Buffer.from([0xff, 0xee, 0, 14, ...Buffer.from("Adobe"), 0, 100, 0, 0, 0, 0, transform]),
        plain.subarray(2),
      ]);
    expect(Buffer.from(asStored(adobe(1))!).equals(plain)).toBe(true);
    expect(asStored(adobe(0))).toBeNull();
    // More pixels than AS_SENT_MAX_PIXELS: the SOF's size says so, nothing is decoded.
    const big = await base.clone().jpeg().toBuffer();
    const bigSof = jpegSegments(big)!.find((s) => s.marker === 0xc0)!;
    big.writeUInt16BE(1400, bigSof.start + 5);
    big.writeUInt16BE(1050, bigSof.start + 7);
    expect(1400 * 1050).toBeGreaterThan(AS_SENT_MAX_PIXELS);
    expect(asStored(big)).toBeNull();
  });

  it("PHO-4: size, coding and EXIF orientation are read from the bytes, as sharp reads them", async () => {
    const raw = { raw: { width: 300, height: 400, channels: 3 as const } };
    const base = sharp(Buffer.alloc(300 * 400 * 3, 150), raw);
    const kinds = [
      await base.clone().jpeg().toBuffer(),
      await base.clone().jpeg({ progressive: true }).toBuffer(),
      await base.clone().toColourspace("b-w").jpeg().toBuffer(),
      await base.clone().toColourspace("cmyk").jpeg().toBuffer(),
      await base
        .clone()
        .jpeg()
        .withExif({ IFD0: { Make: "Phone" } })
        .toBuffer(),
      ...(await Promise.all([3, 6, 8].map((o) => base.clone().jpeg().withMetadata({ orientation: o }).toBuffer()))),
    ];
    for (const b of kinds) {
      const segments = jpegSegments(b)!;
      const meta = await sharp(b).metadata();
      const frame = jpegFrame(b, segments)!;
      expect({
        width: frame.width,
        height: frame.height,
        channels: frame.componentIds.length,
        progressive: frame.marker === 0xc2,
        orientation: jpegOrientation(b, segments),
      }).toEqual({
        width: meta.width,
        height: meta.height,
        channels: meta.channels,
        progressive: meta.isProgressive,
        orientation: meta.orientation ?? null,
      });
    }
    // Big-endian ("MM") EXIF with the orientation as the second tag, as many cameras write it.
    const plain = kinds[0];
    const tiff = Buffer.from([
      ...[0x4d, 0x4d, 0, 42, 0, 0, 0, 8], // header: MM, 42, first directory at 8
      ...[0, 2], // two entries
      ...[0x01, 0x0f, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0], // Make (ASCII), not read
      ...[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0], // Orientation SHORT 6
      ...[0, 0, 0, 0],
    ]);
    const body = Buffer.concat([Buffer.from("Exif\0\0"), tiff]);
    const withMm = Buffer.concat([
      plain.subarray(0, 2),
      Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff]),
      body,
      plain.subarray(2),
    ]);
    expect(jpegOrientation(withMm, jpegSegments(withMm)!)).toBe(6);
    expect((await sharp(withMm).metadata()).orientation).toBe(6);
    // A frame header cut short is no frame.
    const short = Buffer.from(plain);
    const sof = jpegSegments(short)!.find((x) => x.marker === 0xc0)!;
    short[sof.start + 9] = 9; // nine components in a segment with room for three
    expect(jpegFrame(short, jpegSegments(short)!)).toBeNull();
  });

  it("X-3: archives are recognised by content", () => {
    expect(sniffArchive(ZIP_HEAD)).toBe("zip");
    expect(sniffArchive(new Uint8Array([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]))).toBe("rar");
    expect(sniffArchive(new Uint8Array([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]))).toBe("7z");
    expect(sniffArchive(JPEG_HEAD)).toBeNull();
  });
});

describe("duplicates and targets (PHO-2, PHO-3)", () => {
  it("PHO-2: two files for one ID in different folders are both reported, naming each other", () => {
    const d = findDuplicates([
      { index: 1, idNumber: "A", path: "x/A.jpg" },
      { index: 2, idNumber: "B", path: "B.jpg" },
      { index: 3, idNumber: "A", path: "y/a.jpg" },
    ]);
    expect([...d.entries()]).toEqual([
      [1, "y/a.jpg"],
      [3, "x/A.jpg"],
    ]);
  });

  it("PHO-3: existing without overwrite is an error; with it replaced unless locked; no registration is an error", () => {
    expect(judgeTarget({ registration: undefined, photoExists: false, overwrite: true })).toEqual({
      problem: { key: "photos.reason.no_registration" },
    });
    expect(judgeTarget({ registration: { locked: false }, photoExists: false, overwrite: false })).toEqual({
      action: "insert",
    });
    expect(judgeTarget({ registration: { locked: true }, photoExists: false, overwrite: false })).toEqual({
      action: "insert",
    });
    expect(judgeTarget({ registration: { locked: false }, photoExists: true, overwrite: false })).toEqual({
      problem: { key: "photos.reason.exists" },
    });
    expect(judgeTarget({ registration: { locked: true }, photoExists: true, overwrite: false })).toEqual({
      problem: { key: "photos.reason.exists" },
    });
    expect(judgeTarget({ registration: { locked: false }, photoExists: true, overwrite: true })).toEqual({
      action: "replace",
    });
    expect(judgeTarget({ registration: { locked: true }, photoExists: true, overwrite: true })).toEqual({
      problem: { key: "photos.reason.locked" },
    });
  });

  it("PHO-2: failures are counted by reason, once per file", () => {
    expect(
      countByReason([
        { problems: [{ key: "photos.reason.aspect" }, { key: "photos.reason.too_small" }] },
        { problems: [{ key: "photos.reason.aspect" }] },
        { problems: [{ key: "photos.reason.duplicate" }, { key: "photos.reason.duplicate" }] },
      ]),
    ).toEqual({ aspect: 2, too_small: 1, duplicate: 1 });
  });

  it("X-5: every reason has a message and a short label in both languages", () => {
    for (const r of PHOTO_IMPORT_REASONS) {
      for (const dict of [zhCN, en] as Array<Record<string, string>>) {
        expect(dict[`photos.reason.${r}`], r).toBeTruthy();
        expect(dict[`photos.short.${r}`], r).toBeTruthy();
      }
    }
  });
});

describe("photo check plan (PHO-5)", () => {
  const at = (d: number) => new Date(Date.UTC(2026, 8, d));
  it("PHO-5: re-links lost photos except paid ones; lists photos no registration matches and nothing links", () => {
    const plan = planPhotoCheck(
      [
        { id: 1, id_number: "A", photo_id: null, paid: false },
        { id: 2, id_number: "B", photo_id: 20, paid: false },
        { id: 3, id_number: "C", photo_id: null, paid: true },
        { id: 4, id_number: "D", photo_id: null, paid: false },
      ],
      [
        { id: 10, id_number: "A", created_at: at(1), linked: false },
        { id: 20, id_number: "B", created_at: at(1), linked: true },
        { id: 30, id_number: "C", created_at: at(1), linked: false },
        { id: 50, id_number: "Z", created_at: at(3), linked: false },
        { id: 40, id_number: "Y", created_at: at(2), linked: false },
        { id: 60, id_number: "M", created_at: at(1), linked: true },
      ],
    );
    expect(plan.relink).toEqual([{ registrationId: 1, photoId: 10 }]);
    expect(plan.skippedPaid).toEqual([{ registrationId: 3, photoId: 30 }]);
    expect(plan.unmatched.map((p) => p.id)).toEqual([40, 50]);
  });
});
