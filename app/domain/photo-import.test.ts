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
  jpegStructureOk,
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
      expect(jpegStructureOk(b)).toBe(true);
      expect(jpegStructureOk(Buffer.concat([b, Buffer.alloc(100)]))).toBe(true); // trailing padding is harmless
      expect(jpegStructureOk(b.subarray(0, Math.floor(b.length / 2)))).toBe(false);
      expect(jpegStructureOk(b.subarray(0, b.length - 2))).toBe(false);
    }
    expect(jpegStructureOk(PNG_HEAD)).toBe(false);
    expect(jpegStructureOk(Buffer.concat([JPEG_HEAD.subarray(0, 2), Buffer.from([0x12, 0x34])]))).toBe(false);
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
