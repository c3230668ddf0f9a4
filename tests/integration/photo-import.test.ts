import sharp from "sharp";
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import * as importRoute from "../../app/routes/admin.photos.import";
import * as checkRoute from "../../app/routes/admin.photos.check";
import { getEnv } from "../../app/utils/env.server";
import { getDb, getDbHandle } from "../../db/client";
import { sql } from "kysely";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, auditCount, load, orgId, residentId, run, sessionCookie } from "../factories";
import { maskIdNumber } from "../../app/domain/id-number";
import { badPhotos, fullWidth, goodJpeg, photoZip, photoZipBomb, rarBytes } from "../fixtures/photo-zip";
import { makeZip } from "../fixtures/zip-bomb";
import { shown } from "../factories/shown";
import { importPhotos } from "../../app/services/import-photos.server";
import type { Actor } from "../../app/services/audit.server";
import type { PhotoImportOptions } from "../../app/services/import-photos.server";

let site1: string, site2: string, site201: string;
let id990101: number, id990102: number, id990201: number, sittingId: number;
let good: Buffer;
let seq = 300;

/** A fresh valid resident ID (optionally one whose check character is X). */
function newId(opts: { x?: boolean } = {}): string {
  for (;;) {
    const id = residentId("2005-03-08", ++seq);
    if (!opts.x || id.endsWith("X")) return id;
  }
}

beforeAll(async () => {
  [site1, site2, site201] = await Promise.all(
    ["site990101", "site990102", "site990201"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  [id990101, id990102, id990201] = await Promise.all(["990101", "990102", "990201"].map(orgId));
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  good = await goodJpeg();
});

async function register(
  siteId: number,
  idNumber: string,
  opts: { locked?: boolean; channel?: "online" | "group"; idType?: string } = {},
) {
  const r = await getDb()
    .insertInto("registration")
    .values({
      sitting_id: sittingId,
      org_id: siteId,
      account_id: null,
      channel: opts.channel ?? "group",
      id_type: opts.idType ?? "1",
      id_number: idNumber,
      name: "照片考生",
      gender: "1",
      birth_date: "2005-03-08",
      ethnicity: "01",
      education: "20",
      locked: opts.locked ?? false,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

async function upload(
  cookie: string,
  zip: Buffer,
  opts: { overwrite?: boolean; idPhotoCheck?: boolean; name?: string } = {},
) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(zip)]), opts.name ?? "photos.zip");
  if (opts.overwrite) form.append("overwrite", "on");
  if (opts.idPhotoCheck) form.append("idPhotoCheck", "on");
  const request = new Request("http://localhost:3000/admin/photos/import", {
    method: "POST",
    body: form,
    headers: { Cookie: cookie, "x-kaowu-client-ip": "127.0.0.1" },
  });
  const r = await run(() => importRoute.action({ request, params: {}, context: {} }));
  await waitForInlineIdle();
  return r;
}

/** A multipart upload whose file is `head` and then `filler` bytes made as they are asked for; counts what the server read. */
async function streamingUpload(cookie: string, head: Buffer, filler: number) {
  const boundary = `----kaowu${Date.now()}`;
  const opening = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photos.zip"\r\nContent-Type: application/zip\r\n\r\n`,
  );
  const block = Buffer.alloc(256 * 1024, 0x41);
  let pulled = 0;
  let sentHead = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sentHead) {
        sentHead = true;
        controller.enqueue(new Uint8Array(Buffer.concat([opening, head])));
      } else if (pulled < filler) {
        pulled += block.length;
        controller.enqueue(new Uint8Array(block));
      } else {
        controller.enqueue(new Uint8Array(Buffer.from(`\r\n--${boundary}--\r\n`)));
        controller.close();
      }
    },
  });
  const request = new Request("http://localhost:3000/admin/photos/import", {
    method: "POST",
    body,
    duplex: "half",
    headers: {
      Cookie: cookie,
      "x-kaowu-client-ip": "127.0.0.1",
      "Content-Type": `multipart/form-data; boundary=${boundary}`,
    },
  } as RequestInit);
  const r = await run(() => importRoute.action({ request, params: {}, context: {} }));
  await waitForInlineIdle();
  return { status: r.status, error: (r.data as { error?: string }).error ?? "", pulled };
}

async function lastResult(cookie: string) {
  const d = (await load(importRoute, "/admin/photos/import", cookie)).data;
  expect(d.last?.status).toBe("done");
  return shown(d.last.result);
}

/** The messages reported for one file (by its path in the zip). */
const messagesFor = (result: { errors: Array<{ file: string; message: string }> }, file: string) =>
  result.errors.filter((e) => e.file === file).map((e) => e.message);

const regPhoto = async (id: number) =>
  (await getDb().selectFrom("registration").select("photo_id").where("id", "=", id).executeTakeFirstOrThrow()).photo_id;
const photoRows = (siteId: number, idNumber: string) =>
  getDb()
    .selectFrom("photo")
    .selectAll()
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .where("id_number", "=", idNumber)
    .execute();
const countOf = async (table: "photo" | "stored_file" | "job") =>
  Number(
    (
      await getDb()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );
const fileExists = async (fileId: string) => {
  const f = await getDb().selectFrom("stored_file").select("path").where("id", "=", fileId).executeTakeFirst();
  return !!f && fs.existsSync(path.join(getEnv().dataDir, "files", f.path));
};

async function runCheck(cookie: string) {
  const r = await act(checkRoute, "/admin/photos/check", cookie, { intent: "check" });
  await waitForInlineIdle();
  return r;
}

async function checkResult(cookie: string) {
  const d = (await load(checkRoute, "/admin/photos/check", cookie)).data;
  expect(d.last?.status).toBe("done");
  return d as {
    last: {
      id: string;
      result: {
        relinked: number;
        skippedPaid: Array<{ registrationId: number; idNumber: string }>;
        unmatchedTotal: number;
        unmatched: Array<{ photoId: number; idNumber: string; uploadedAt: string; deleted: boolean }>;
      };
    };
    remaining: number;
  };
}

describe("photo import (§二十三)", () => {
  it("PHO-1: photos in sub-folders match registrations; full-width brackets, trailing spaces and a lower-case x all match", async () => {
    const plain = newId();
    const withX = newId({ x: true });
    const bracketed = "H1234567(1)";
    const regs = [
      await register(id990101, plain),
      await register(id990101, withX),
      await register(id990101, bracketed, { idType: "6" }),
    ];
    const zip = photoZip([
      { name: "班级一/", data: Buffer.alloc(0) },
      { name: `班级一/${plain}.jpg`, data: good },
      { name: `班级二/补交/${fullWidth(withX.slice(0, 10))}${withX.slice(10, 17)}x.JPG`, data: await goodJpeg(11) },
      { name: `${fullWidth("H1234567(1)")}  .jpeg`, data: await goodJpeg(12) },
      { name: "__MACOSX/班级一/._x.jpg", data: Buffer.from("resource fork") },
    ]);
    const before = await auditCount("photos.import");
    expect((await upload(site1, zip)).data).toMatchObject({ ok: true });
    const result = await lastResult(site1);
    expect(result).toMatchObject({ ok: true, files: 3, imported: 3, replaced: 0, failed: 0 });
    for (const [i, idNumber] of [plain, withX, bracketed].entries()) {
      const [photo] = await photoRows(id990101, idNumber);
      expect(photo, idNumber).toBeTruthy();
      expect(await regPhoto(regs[i])).toBe(photo.id);
      expect(photo).toMatchObject({ width: 600, height: 800 });
    }
    // PHO-6 (decision 0055): a baseline YCbCr photo is stored as it came, less its EXIF: the same
    // picture, not re-encoded, and none of the camera's tags.
    const [p] = await photoRows(id990101, plain);
    const stored = await getDb()
      .selectFrom("stored_file")
      .selectAll()
      .where("id", "=", p.file_id)
      .executeTakeFirstOrThrow();
    const bytes = fs.readFileSync(path.join(getEnv().dataDir, "files", stored.path));
    expect(good.includes("KaowuTestPhone")).toBe(true);
    expect(bytes.includes("KaowuTestPhone")).toBe(false);
    expect(bytes.length).toBeLessThan(good.length);
    expect(await sharp(bytes).raw().toBuffer()).toEqual(await sharp(good).raw().toBuffer());
    expect(bytes.length).toBe(p.bytes);
    expect(stored).toMatchObject({ kind: "photo", org_id: id990101, content_type: "image/jpeg" });
    // one audit entry per import, with the counts.
    expect(await auditCount("photos.import")).toBe(before + 1);
    const audit = await getDb()
      .selectFrom("audit_log")
      .select("changes")
      .where("action", "=", "photos.import")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(audit.changes).toMatchObject({ imported: [null, 3], files: [null, 3] });
  });

  it("PHO-2: the good photos are imported and every other file is reported with its reason", async () => {
    const bad = await badPhotos();
    const ok = newId(),
      png = newId(),
      empty = newId(),
      tiny = newId(),
      wide = newId(),
      dup = newId(),
      none = newId(),
      cut = newId();
    const regs = new Map<string, number>();
    for (const id of [ok, png, empty, tiny, wide, dup, cut]) regs.set(id, await register(id990101, id));
    const zip = photoZip([
      { name: `照片/${ok}.jpg`, data: good },
      { name: `照片/${none}.jpg`, data: good },
      { name: `照片/${png}.jpg`, data: bad.png },
      { name: `照片/${empty}.jpg`, data: bad.empty },
      { name: `照片/${tiny}.jpg`, data: bad.tiny },
      { name: `照片/${wide}.jpg`, data: bad.wide },
      { name: `一班/${dup}.jpg`, data: good },
      { name: `二班/${dup}.jpeg`, data: await goodJpeg(13) },
      { name: "照片/说明.txt", data: Buffer.from("readme") },
      { name: "照片/more.zip", data: makeZip([{ name: `${ok}.jpg`, data: good }]) },
      { name: `照片/${cut}.jpg`, data: good.subarray(0, 40_000) },
    ]);
    await upload(site1, zip);
    const result = await lastResult(site1);
    expect(result).toMatchObject({ ok: false, files: 11, imported: 1, failed: 10 });
    expect(messagesFor(result, `照片/${cut}.jpg`)).toEqual([expect.stringContaining("无法读取")]);
    expect(messagesFor(result, `照片/${none}.jpg`).join()).toContain("没有该证件号码的报名信息");
    // A PNG renamed to .jpg is named as a PNG (and, at 340 KB, also too large).
    expect(messagesFor(result, `照片/${png}.jpg`)[0]).toContain("这是 PNG 格式的图片");
    expect(messagesFor(result, `照片/${empty}.jpg`)).toEqual([expect.stringContaining("0 字节")]);
    expect(messagesFor(result, `照片/${tiny}.jpg`).join()).toContain("100×133 像素，至少需要 240×320");
    expect(messagesFor(result, `照片/${wide}.jpg`)).toEqual([expect.stringContaining("1200×800 像素，宽:高不是 3:4")]);
    expect(messagesFor(result, `一班/${dup}.jpg`)).toEqual([expect.stringContaining(`二班/${dup}.jpeg`)]);
    expect(messagesFor(result, `二班/${dup}.jpeg`)).toEqual([expect.stringContaining(`一班/${dup}.jpg`)]);
    expect(messagesFor(result, "照片/说明.txt")).toEqual([expect.stringContaining("证件号码.jpg")]);
    expect(messagesFor(result, "照片/more.zip")).toEqual([expect.stringContaining("ZIP 压缩文件")]);
    expect(result.errors.find((e: { file: string }) => e.file === `照片/${png}.jpg`).idNumber).toBe(png);
    // Failed by reason, with labels.
    const byReason = Object.fromEntries(
      result.byReason.map((b: { reason: string; count: number }) => [b.reason, b.count]),
    );
    expect(byReason).toMatchObject({
      no_registration: 1,
      not_jpeg: 1,
      empty: 1,
      too_small: 1,
      aspect: 1,
      duplicate: 2,
      bad_name: 1,
      archive: 1,
      broken: 1,
    });
    // Only the good one was imported; the rest changed nothing.
    expect(await regPhoto(regs.get(ok)!)).not.toBeNull();
    for (const id of [png, empty, tiny, wide, dup, cut]) {
      expect(await regPhoto(regs.get(id)!), id).toBeNull();
      expect(await photoRows(id990101, id), id).toHaveLength(0);
    }
    // The whole list downloads as .xlsx through the shared report (file number, path, ID number, reason).
    const report = await getDb()
      .selectFrom("stored_file")
      .selectAll()
      .where("id", "=", result.reportFileId)
      .executeTakeFirstOrThrow();
    expect(report).toMatchObject({ kind: "import-errors", org_id: id990101 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(getEnv().dataDir, "files", report.path));
    const rows: string[] = [];
    wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1).join("|")));
    expect(rows).toHaveLength(1 + result.total);
    expect(rows.some((r) => r.startsWith(`3|照片/${png}.jpg|${png}|`))).toBe(true);
  });

  it("PHO-3: an existing photo is an error without 'overwrite', replaced with it, and refused while the registration is locked", async () => {
    const id = newId();
    const lockedId = newId();
    const reg = await register(id990101, id);
    const lockedReg = await register(id990101, lockedId);
    await upload(
      site1,
      photoZip([
        { name: `${id}.jpg`, data: good },
        { name: `${lockedId}.jpg`, data: good },
      ]),
    );
    expect(await lastResult(site1)).toMatchObject({ imported: 2 });
    const [first] = await photoRows(id990101, id);
    await getDb().updateTable("registration").set({ locked: true }).where("id", "=", lockedReg).execute();

    const replacement = await goodJpeg(21);
    const zip = photoZip([
      { name: `${id}.jpg`, data: replacement },
      { name: `${lockedId}.jpg`, data: replacement },
    ]);
    await upload(site1, zip);
    const refused = await lastResult(site1);
    expect(refused).toMatchObject({ imported: 0, failed: 2 });
    expect(messagesFor(refused, `${id}.jpg`)).toEqual([expect.stringContaining("覆盖重名照片")]);
    expect((await photoRows(id990101, id))[0].file_id).toBe(first.file_id);

    await upload(site1, zip, { overwrite: true });
    const replaced = await lastResult(site1);
    expect(replaced).toMatchObject({ imported: 1, replaced: 1, failed: 1 });
    expect(messagesFor(replaced, `${lockedId}.jpg`)).toEqual([expect.stringContaining("先在《考生管理》中解除锁定")]);
    const [after] = await photoRows(id990101, id);
    expect(after.id).toBe(first.id);
    expect(after.file_id).not.toBe(first.file_id);
    expect(await regPhoto(reg)).toBe(after.id);
    // PHO-6: the replaced file is gone, not kept beside the new one.
    expect(await fileExists(first.file_id)).toBe(false);
    expect(await fileExists(after.file_id)).toBe(true);
  });

  it("PHO-2: a photo damaged inside the zip (its CRC-32 no longer matches) is reported as unreadable; the rest import", async () => {
    const sound = newId(),
      damaged = newId();
    for (const id of [sound, damaged]) await register(id990101, id);
    const bytes = await goodJpeg(21);
    const zip = photoZip([
      { name: `${sound}.jpg`, data: good, stored: true },
      { name: `${damaged}.jpg`, data: bytes, stored: true },
    ]);
    // One bit flipped in the middle of the second photo's scan: its structure stays whole.
    const at = zip.indexOf(bytes.subarray(30_000, 30_064)) + 20;
    zip[at] ^= 0x10;
    await upload(site1, zip);
    const result = await lastResult(site1);
    expect(result).toMatchObject({ ok: false, files: 2, imported: 1, failed: 1 });
    expect(messagesFor(result, `${damaged}.jpg`)).toEqual([expect.stringContaining("无法读取")]);
    expect(await photoRows(id990101, damaged)).toEqual([]);
    expect(await photoRows(id990101, sound)).toHaveLength(1);
  });

  it("PHO-4: the ID-photo check refuses a dark or busy background only when ticked", async () => {
    const bad = await badPhotos();
    const dark = newId(),
      room = newId();
    const regs = [await register(id990101, dark), await register(id990101, room)];
    const zip = photoZip([
      { name: `${dark}.jpg`, data: bad.dark },
      { name: `${room}.jpg`, data: bad.room },
    ]);
    await upload(site1, zip, { idPhotoCheck: true });
    const checked = await lastResult(site1);
    expect(checked).toMatchObject({ imported: 0, failed: 2 });
    expect(messagesFor(checked, `${dark}.jpg`)).toEqual([expect.stringContaining("背景太暗")]);
    expect(messagesFor(checked, `${room}.jpg`)).toEqual([expect.stringContaining("背景不是纯色")]);
    expect(await regPhoto(regs[0])).toBeNull();

    await upload(site1, zip);
    expect(await lastResult(site1)).toMatchObject({ ok: true, imported: 2 });
    expect(await regPhoto(regs[0])).not.toBeNull();
    // A compliant portrait passes the check.
    const fine = newId();
    await register(id990101, fine);
    await upload(site1, photoZip([{ name: `${fine}.jpg`, data: good }]), { idPhotoCheck: true });
    expect(await lastResult(site1)).toMatchObject({ ok: true, imported: 1 });
  });

  it("PHO-6: one stored photo per ID number per site and sitting; deleting a registration keeps its photo", async () => {
    const id = newId();
    const reg = await register(id990101, id);
    await upload(site1, photoZip([{ name: `${id}.jpg`, data: good }]));
    const [first] = await photoRows(id990101, id);
    await upload(site1, photoZip([{ name: `${id}.jpg`, data: await goodJpeg(31) }]), { overwrite: true });
    const rows = await photoRows(id990101, id);
    expect(rows).toHaveLength(1);
    // The overwritten file is gone; X-4: the stored file is not named by the whole ID number.
    const files = await getDb()
      .selectFrom("stored_file")
      .select(["id", "name"])
      .where("id", "in", [first.file_id, rows[0].file_id])
      .execute();
    expect(files).toEqual([{ id: rows[0].file_id, name: `photo-${id.slice(-4)}.jpg` }]);
    await getDb().deleteFrom("registration").where("id", "=", reg).execute();
    expect(await photoRows(id990101, id)).toHaveLength(1);
    expect(await fileExists(rows[0].file_id)).toBe(true);
  });
});

describe("photo import: rows in batches, nothing half-done (issue 21 item 5)", () => {
  /** Every file in the file store (bytes), as paths relative to it. */
  const storedBytes = (): Set<string> => {
    const root = path.join(getEnv().dataDir, "files");
    const out = new Set<string>();
    const walk = (dir: string) => {
      if (!fs.existsSync(dir)) return;
      for (const e of fs.readdirSync(dir, { withFileTypes: true }))
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else out.add(path.relative(root, path.join(dir, e.name)));
    };
    walk(root);
    return out;
  };
  const zipFile = (zip: Buffer) => {
    const f = path.join(getEnv().dataDir, `photos-${++seq}.zip`);
    fs.writeFileSync(f, zip);
    return f;
  };
  const actorOf = async (siteId: number): Promise<Actor> => {
    const a = await getDb()
      .selectFrom("account")
      .select(["id", "name"])
      .where("email", "=", "site990101@example.com")
      .executeTakeFirstOrThrow();
    return { accountId: a.id, name: a.name, orgId: siteId, sittingId, ip: null };
  };
  /** 990101's admin imports `file` (no overwrite, no ID-photo check), watching its progress. */
  const importAt990101 = async (file: string, onProgress?: PhotoImportOptions["onProgress"]) =>
    importPhotos(await actorOf(id990101), file, {
      siteId: id990101,
      sittingId,
      overwrite: false,
      idPhotoCheck: false,
      onProgress,
    });

  it("PHO-1: each photo's file row is written with its photo row in the final transaction; the bytes before it", async () => {
    const ids = [newId(), newId(), newId()];
    for (const id of ids) await register(id990101, id);
    const files = zipFile(photoZip(ids.map((id) => ({ name: `${id}.jpg`, data: good }))));
    const before = { rows: await countOf("stored_file"), bytes: storedBytes() };
    let rowsWhileChecking = -1;
    let bytesWhileWriting = 0;
    const outcome = await importAt990101(files, async (p) => {
      // Judged and written to the store, but not one row yet: rows come in the final transaction.
      if (p.phase === "checking" && p.done === p.total) rowsWhileChecking = await countOf("stored_file");
      if (p.phase === "writing" && p.done === 0) bytesWhileWriting = storedBytes().size - before.bytes.size;
    });
    expect(outcome).toMatchObject({ imported: 3, failed: 0 });
    expect(rowsWhileChecking).toBe(before.rows);
    expect(bytesWhileWriting).toBe(3);
    expect(await countOf("stored_file")).toBe(before.rows + 3);
    for (const id of ids) {
      const [p] = await photoRows(id990101, id);
      expect(await fileExists(p.file_id), id).toBe(true);
      const f = await getDb()
        .selectFrom("stored_file")
        .selectAll()
        .where("id", "=", p.file_id)
        .executeTakeFirstOrThrow();
      expect(f).toMatchObject({ kind: "photo", org_id: id990101, sitting_id: sittingId, size: p.bytes });
    }
  });

  it("PHO-1: a failure in the final transaction leaves no photo, no file row and no file bytes", async () => {
    const ids = [newId(), newId()];
    const regs: number[] = [];
    for (const id of ids) regs.push(await register(id990101, id));
    const files = zipFile(photoZip(ids.map((id) => ({ name: `${id}.jpg`, data: good }))));
    const before = { rows: await countOf("stored_file"), photos: await countOf("photo"), bytes: storedBytes() };
    const audits = await auditCount("photos.import");
    await expect(
      importAt990101(files, (p) => {
        // Inside the transaction, after the first chunk's rows were written.
        if (p.phase === "writing" && p.done > 0) throw new Error("database went away");
      }),
    ).rejects.toThrow("database went away");
    expect(await countOf("stored_file")).toBe(before.rows);
    expect(await countOf("photo")).toBe(before.photos);
    expect(storedBytes()).toEqual(before.bytes);
    for (const r of regs) expect(await regPhoto(r)).toBeNull();
    expect(await auditCount("photos.import")).toBe(audits);
  });

  it("PHO-1: more than one batch: on PostgreSQL the rows are written while the rest are read, on PGlite after; a failure then leaves nothing", async () => {
    // 1,050 photos: two batches of 500 while reading, and the rest after.
    // Born on other days than newId's, 499 a day (its sequence codes).
    const ids = Array.from({ length: 1050 }, (_, k) => residentId(`2004-07-${String(10 + Math.floor(k / 499))}`, k));
    const regs = (
      await getDb()
        .insertInto("registration")
        .values(
          ids.map((id) => ({
            sitting_id: sittingId,
            org_id: id990101,
            account_id: null,
            channel: "group" as const,
            id_type: "1",
            id_number: id,
            name: "照片考生",
            gender: "1",
            birth_date: "2005-03-08",
            ethnicity: "01",
            education: "20",
          })),
        )
        .returning("id")
        .execute()
    ).map((r) => r.id);
    const files = zipFile(photoZip(ids.map((id) => ({ name: `${id}.jpg`, data: good, stored: true }))));
    const before = { rows: await countOf("stored_file"), photos: await countOf("photo"), bytes: storedBytes() };
    const overlap = getDbHandle().kind === "postgres";
    /** Whether the first registration's row is locked by the import (another connection cannot take it). */
    const firstLocked = async () => {
      if (!overlap) return false; // PGlite: one connection, and no transaction is open while reading
      return getDb()
        .transaction()
        .execute(async (trx) => {
          const r = await sql`select id from registration where id = ${regs[0]} for update nowait`
            .execute(trx)
            .then(() => false)
            .catch(() => true);
          return r;
        });
    };

    // A failure after the first batch was written (PostgreSQL) or before any (PGlite): nothing kept.
    let lockedWhileReading: boolean | null = null;
    await expect(
      importAt990101(files, async (p) => {
        if (p.phase === "checking" && p.done === 1000) {
          // The first batch went to the writer at 500; give a busy machine time to lock its rows.
          for (let i = 0; i < 50 && !lockedWhileReading; i++) {
            lockedWhileReading = await firstLocked();
            if (!overlap) break;
            if (!lockedWhileReading) await new Promise((r) => setTimeout(r, 100));
          }
          throw new Error("disk full");
        }
      }),
    ).rejects.toThrow("disk full");
    expect(lockedWhileReading).toBe(overlap);
    expect(await countOf("stored_file")).toBe(before.rows);
    expect(await countOf("photo")).toBe(before.photos);
    expect(storedBytes()).toEqual(before.bytes);
    expect(await regPhoto(regs[0])).toBeNull();

    // Whole: every photo imported, every registration linked, one file each.
    const outcome = await importAt990101(files);
    expect(outcome).toMatchObject({ files: 1050, imported: 1050, failed: 0 });
    expect(await countOf("photo")).toBe(before.photos + 1050);
    expect(await countOf("stored_file")).toBe(before.rows + 1050);
    expect(storedBytes().size).toBe(before.bytes.size + 1050);
    const linked = await getDb()
      .selectFrom("registration")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("id", "in", regs)
      .where("photo_id", "is not", null)
      .executeTakeFirstOrThrow();
    expect(Number(linked.n)).toBe(1050);
  });

  it("PHO-1: an archive that fails half-way leaves nothing; a photo refused by the final check leaves no file either", async () => {
    const ids = [newId(), newId(), newId()];
    const regs: number[] = [];
    for (const id of ids) regs.push(await register(id990101, id));
    const zip = photoZip(ids.map((id) => ({ name: `${id}.jpg`, data: good })));
    const before = { rows: await countOf("stored_file"), bytes: storedBytes() };
    // Half-way through reading: the bytes written so far go again.
    await expect(
      importAt990101(zipFile(zip), (p) => {
        if (p.phase === "checking" && p.done === 2) throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(await countOf("stored_file")).toBe(before.rows);
    expect(storedBytes()).toEqual(before.bytes);

    // The second registration is deleted after its file was judged: refused under lock, its bytes removed.
    const outcome = await importAt990101(zipFile(zip), async (p) => {
      if (p.phase === "writing" && p.done === 0)
        await getDb().deleteFrom("registration").where("id", "=", regs[1]).execute();
    });
    expect(outcome).toMatchObject({ imported: 2, failed: 1 });
    expect(outcome.errors.map((e) => e.idNumber)).toEqual([ids[1]]);
    expect(await countOf("stored_file")).toBe(before.rows + 2);
    expect(storedBytes().size).toBe(before.bytes.size + 2);
    expect(await photoRows(id990101, ids[1])).toHaveLength(0);
    expect(await regPhoto(regs[0])).not.toBeNull();
  });
});

describe("photo check (§二十四)", () => {
  it("PHO-5: the check re-links a registration deleted and created again, leaves paid candidates alone, and deletes unmatched photos on request", async () => {
    const again = newId(),
      paid = newId(),
      gone = newId();
    const first = await register(id990101, again);
    const paidReg = await register(id990101, paid, { channel: "online" });
    const goneReg = await register(id990101, gone);
    await upload(
      site1,
      photoZip([
        { name: `${again}.jpg`, data: good },
        { name: `${paid}.jpg`, data: good },
        { name: `${gone}.jpg`, data: good },
      ]),
    );
    expect(await lastResult(site1)).toMatchObject({ imported: 3 });
    // Deleted and registered again (§二十四 2①): the new registration has no photo.
    await getDb().deleteFrom("registration").where("id", "=", first).execute();
    const second = await register(id990101, again);
    // A paid candidate that lost its link: the check must not change its photo flag (§二十四 3).
    await getDb()
      .updateTable("registration")
      .set({ photo_id: null, person_fee_paid: true })
      .where("id", "=", paidReg)
      .execute();
    await getDb()
      .insertInto("entry")
      .values({
        registration_id: paidReg,
        sitting_id: sittingId,
        org_id: id990101,
        subject_code: "15",
        paid: true,
        fee_fen: 11000,
        paid_at: new Date(),
      })
      .execute();
    // Registration gone for good: its photo matches nothing.
    await getDb().deleteFrom("registration").where("id", "=", goneReg).execute();
    const gonePhoto = (await photoRows(id990101, gone))[0];

    const before = await auditCount("photos.check");
    expect((await runCheck(site1)).data).toMatchObject({ ok: true });
    const d = await checkResult(site1);
    expect(d.last.result.relinked).toBeGreaterThanOrEqual(1);
    expect(await regPhoto(second)).toBe((await photoRows(id990101, again))[0].id);
    expect(await regPhoto(paidReg)).toBeNull();
    expect(d.last.result.skippedPaid).toContainEqual({
      registrationId: paidReg,
      name: "照片考生",
      idNumber: `${"*".repeat(14)}${paid.slice(-4)}`,
    });
    // the list names a photo by its id and the masked ID number.
    const listed = d.last.result.unmatched.find((u) => u.photoId === gonePhoto.id);
    expect(listed?.idNumber).toBe(maskIdNumber(gone));
    expect(listed).toMatchObject({ photoId: gonePhoto.id, deleted: false });
    expect(new Date(listed!.uploadedAt).getTime()).toBe(gonePhoto.created_at.getTime());
    expect(d.last.result.unmatched.map((u) => u.idNumber)).not.toContain(maskIdNumber(again));
    expect(await auditCount("photos.check")).toBe(before + 1);
    const job = await getDb()
      .selectFrom("job")
      .select(["progress", "status"])
      .where("id", "=", d.last.id)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: "done", progress: 100 });

    // A registration for one of the listed IDs appears before the delete: that photo stays.
    const unmatchedBefore = d.last.result.unmatched.filter((u) => !u.deleted);
    const back = unmatchedBefore.find((u) => u.photoId !== gonePhoto.id);
    const backId = back
      ? (await getDb().selectFrom("photo").select("id_number").where("id", "=", back.photoId).executeTakeFirstOrThrow())
          .id_number
      : "";
    if (back) await register(id990101, backId);
    const del = await act(checkRoute, "/admin/photos/check", site1, { intent: "delete-unmatched", jobId: d.last.id });
    expect(del.data).toMatchObject({ ok: true, deleted: unmatchedBefore.length - (back ? 1 : 0) });
    expect(await photoRows(id990101, gone)).toHaveLength(0);
    expect(await fileExists(gonePhoto.file_id)).toBe(false);
    expect(
      await getDb().selectFrom("stored_file").select("id").where("id", "=", gonePhoto.file_id).executeTakeFirst(),
    ).toBeUndefined();
    if (back) expect(await photoRows(id990101, backId)).toHaveLength(1);
    expect(await photoRows(id990101, again)).toHaveLength(1);
    expect(await auditCount("photos.delete_unmatched")).toBeGreaterThanOrEqual(1);
    const after = await checkResult(site1);
    expect(after.last.result.unmatched.find((u) => u.photoId === gonePhoto.id)?.deleted).toBe(true);
  });
});

describe("bad uploads, windows and scope", () => {
  it("X-3: a zip with ../ paths, a zip bomb and a RAR are refused with a clear message and change nothing", async () => {
    const id = newId();
    await register(id990101, id);
    const counts = async () => Promise.all([countOf("photo"), countOf("stored_file"), countOf("job")]);
    const before = await counts();
    const traversal = await upload(site1, photoZip([{ name: `../../${id}.jpg`, data: good }]));
    expect(traversal.status).toBe(400);
    expect(traversal.data.error).toContain("不安全的路径");
    const bomb = await upload(site1, photoZipBomb());
    expect(bomb.data.error).toContain("压缩炸弹");
    const rar = await upload(site1, rarBytes(), { name: "photos.zip" });
    expect(rar.data.error).toContain("RAR");
    expect(rar.data.error).toContain(".zip");
    const jpeg = await upload(site1, good, { name: "photos.zip" });
    expect(jpeg.data.error).toContain("不是 .zip 压缩包");
    expect(await counts()).toEqual(before);
  });

  it("X-3: a photo upload is judged while it streams: a RAR, a ../ path or a bomb in a 1 GB upload is refused after its first megabytes, nothing kept", async () => {
    const counts = async () => Promise.all([countOf("photo"), countOf("stored_file"), countOf("job")]);
    const before = await counts();
    const head = {
      rar: rarBytes(),
      traversal: photoZip([{ name: "../../x.jpg", data: good }]).subarray(0, 30 + "../../x.jpg".length + 10),
      bomb: makeZip([{ name: "110101200503080011.jpg", data: Buffer.alloc(6 * 1024 * 1024) }]).subarray(0, 64),
    };
    const expected = { rar: "RAR", traversal: "不安全的路径", bomb: "压缩炸弹" };
    for (const kind of ["rar", "traversal", "bomb"] as const) {
      const r = await streamingUpload(site1, head[kind], 1024 ** 3);
      expect(r.status).toBe(400);
      expect(r.error).toContain(expected[kind]);
      // Of the gigabyte that would follow, only what was in flight was read.
      expect(r.pulled).toBeLessThan(16 * 1024 ** 2);
    }
    expect(await counts()).toEqual(before);
  });

  it("X-3: a photo zip refused as a zip bomb names the entry that expands too much", async () => {
    const bomb = await upload(site1, photoZipBomb());
    expect(bomb.status).toBe(400);
    expect(bomb.data.error).toContain("压缩炸弹");
    expect(bomb.data.error).toContain("110101200503080011.jpg");
  });

  it("WIN-3: 990102, outside its registration window, cannot import photos; the photo check still runs there (WIN-6)", async () => {
    const id = newId();
    const reg = await register(id990102, id);
    const jobsBefore = await countOf("job");
    const r = await upload(site2, photoZip([{ name: `${id}.jpg`, data: good }]));
    expect(r.status).toBe(403);
    expect(r.data.error).toContain("报名管理");
    expect(await countOf("job")).toBe(jobsBefore);
    expect(await regPhoto(reg)).toBeNull();
    const page = await load(importRoute, "/admin/photos/import", site2);
    expect(page.data.window.status).toBe("closed");

    expect((await runCheck(site2)).data).toMatchObject({ ok: true });
    expect((await checkResult(site2)).last.result).toMatchObject({ relinked: 0 });
  });

  it("ORG-2: import and check only ever touch the admin's own site", async () => {
    // A candidate of 990201 with a photo of 990201 that lost its link.
    const other = newId();
    const otherReg = await register(id990201, other);
    await upload(site201, photoZip([{ name: `${other}.jpg`, data: good }]));
    expect(await lastResult(site201)).toMatchObject({ imported: 1 });
    await getDb().updateTable("registration").set({ photo_id: null }).where("id", "=", otherReg).execute();
    const [otherPhoto] = await photoRows(id990201, other);

    // 990101 cannot give that candidate a photo: no registration of 990101 has the ID.
    await upload(site1, photoZip([{ name: `${other}.jpg`, data: await goodJpeg(41) }]), { overwrite: true });
    const r = await lastResult(site1);
    expect(r).toMatchObject({ imported: 0, failed: 1 });
    expect(messagesFor(r, `${other}.jpg`).join()).toContain("本考点本考次没有");
    expect(await photoRows(id990101, other)).toHaveLength(0);
    expect((await photoRows(id990201, other))[0].file_id).toBe(otherPhoto.file_id);

    // 990101's check neither re-links nor lists 990201's photos, nor deletes them.
    await runCheck(site1);
    const d = await checkResult(site1);
    expect(d.last.result.unmatched.map((u) => u.photoId)).not.toContain(otherPhoto.id);
    expect(await regPhoto(otherReg)).toBeNull();
    // Another site's check job cannot be used to delete.
    await runCheck(site201);
    const foreign = (await checkResult(site201)).last.id;
    const del = await act(checkRoute, "/admin/photos/check", site1, { intent: "delete-unmatched", jobId: foreign });
    expect(del.data.ok).toBe(false);
    expect(await photoRows(id990201, other)).toHaveLength(1);
    // 990201's own check re-links it.
    expect(await regPhoto(otherReg)).toBe(otherPhoto.id);
  });

  it("ORG-11: finance staff neither see the photo pages (personal data) nor import, check or delete", async () => {
    const finance = await sessionCookie("finance990101@example.com");
    expect((await load(importRoute, "/admin/photos/import", finance)).status).toBe(403);
    expect((await load(checkRoute, "/admin/photos/check", finance)).status).toBe(403);
    const id = newId();
    await register(id990101, id);
    const jobsBefore = await countOf("job");
    const imp = await upload(finance, photoZip([{ name: `${id}.jpg`, data: good }]));
    expect(imp.status).toBe(403);
    const chk = await act(checkRoute, "/admin/photos/check", finance, { intent: "check" });
    expect(chk.status).toBe(403);
    const del = await act(checkRoute, "/admin/photos/check", finance, { intent: "delete-unmatched" });
    expect(del.status).toBe(403);
    expect(await countOf("job")).toBe(jobsBefore);
  });
});
