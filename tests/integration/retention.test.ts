import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as recordsImportRoute from "../../app/routes/admin.records.import";
import * as groupImportRoute from "../../app/routes/admin.group.import";
import * as photosImportRoute from "../../app/routes/admin.photos.import";
import * as detailsRoute from "../../app/routes/candidate.details";
import * as photoRoute from "../../app/routes/candidate.photo";
import { sweepUploads } from "../../app/services/discard-uploads.server";
import { getEnv, resetEnvCache } from "../../app/utils/env.server";
import {
  deleteFileBytes,
  recordStoredFiles,
  sweepUnrecordedFiles,
  unrecordedGraceMs,
  writeBytes,
} from "../../app/utils/file-store.server";
import { getDb } from "../../db/client";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, load, newCandidate, orgId, residentId, run, sessionCookie } from "../factories";
import { groupRow, groupZip } from "../fixtures/group-registrations";
import { photoZip } from "../fixtures/photo-zip";
import { compliantPhoto } from "../fixtures/photos";
import { recordRow, writeCsv } from "../fixtures/student-records";

let site1: string, id990101: number, sittingId: number;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-h6-retention-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.UPLOAD_RETENTION_DAYS;
  resetEnvCache();
});

beforeAll(async () => {
  site1 = await sessionCookie("site990101@example.com");
  id990101 = await orgId("990101");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  await getDb()
    .updateTable("site_setting")
    .set({ group_registration: true })
    .where("org_id", "=", id990101)
    .where("sitting_id", "=", sittingId)
    .execute();
});

async function post(mod: { action: unknown }, pathname: string, name: string, data: Buffer) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(data)]), name);
  const request = new Request(`http://localhost:3000${pathname}`, {
    method: "POST",
    body: form,
    headers: { Cookie: site1, "x-kaowu-client-ip": "127.0.0.1" },
  });
  const r = await run(() => (mod.action as (a: unknown) => Promise<unknown>)({ request, params: {}, context: {} }));
  await waitForInlineIdle();
  expect(r.data, JSON.stringify(r.data)).toMatchObject({ ok: true });
  const job = await getDb()
    .selectFrom("job")
    .select(["payload", "result", "status"])
    .where("id", "=", (r.data as { jobId: string }).jobId)
    .executeTakeFirstOrThrow();
  return {
    fileId: (job.payload as { fileId: string }).fileId,
    result: job.result as { ok: boolean; reportFileId?: string },
    status: job.status,
  };
}

/** The stored file's row and its bytes on disk: both there, or both gone. */
async function stored(fileId: string) {
  const row = await getDb().selectFrom("stored_file").select("path").where("id", "=", fileId).executeTakeFirst();
  return { row: !!row, onDisk: !!row && fs.existsSync(path.join(getEnv().dataDir, "files", row.path)) };
}

function filesOnDisk(): number {
  const root = path.join(getEnv().dataDir, "files");
  return fs.existsSync(root)
    ? fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length
    : 0;
}

describe("uploads are not kept (X-4)", () => {
  it("X-4: a student-record file imported successfully is deleted (row and bytes) when its job ends", async () => {
    const rows = Array.from({ length: 3 }, (_, i) => recordRow(40 + i));
    const up = await post(
      recordsImportRoute,
      "/admin/records/import",
      "records.csv",
      fs.readFileSync(writeCsv(path.join(dir, "ok.csv"), rows)),
    );
    expect(up.result).toMatchObject({ ok: true });
    expect(await stored(up.fileId)).toEqual({ row: false, onDisk: false });
  });

  it("X-4: a refused student-record file is deleted too, and its error report is kept", async () => {
    const rows = [recordRow(45, { "证件号码*": "330105197810270024" })];
    const up = await post(
      recordsImportRoute,
      "/admin/records/import",
      "bad.csv",
      fs.readFileSync(writeCsv(path.join(dir, "bad.csv"), rows)),
    );
    expect(up.result.ok).toBe(false);
    expect(await stored(up.fileId)).toEqual({ row: false, onDisk: false });
    expect(await stored(up.result.reportFileId!)).toEqual({ row: true, onDisk: true });
  });

  it("X-4: a refused group file is deleted when its job ends, its error report kept", async () => {
    const up = await post(
      groupImportRoute,
      "/admin/group/import",
      "集体报名.zip",
      await groupZip([groupRow(0, { "证件号码*": "320102200304050000" }, "h6")]),
    );
    expect(up.result.ok).toBe(false);
    expect(await stored(up.fileId)).toEqual({ row: false, onDisk: false });
    expect(await stored(up.result.reportFileId!)).toEqual({ row: true, onDisk: true });
  });

  it("X-4: with UPLOAD_RETENTION_DAYS=3 the upload is kept three days, then the scheduled sweep deletes it", async () => {
    process.env.UPLOAD_RETENTION_DAYS = "3";
    resetEnvCache();
    const up = await post(
      recordsImportRoute,
      "/admin/records/import",
      "kept.csv",
      fs.readFileSync(writeCsv(path.join(dir, "kept.csv"), [recordRow(47)])),
    );
    expect(up.result).toMatchObject({ ok: true });
    expect(await stored(up.fileId)).toEqual({ row: true, onDisk: true });
    await sweepUploads(new Date(Date.now() + 2 * 24 * 3600_000));
    expect(await stored(up.fileId)).toEqual({ row: true, onDisk: true });
    await sweepUploads(new Date(Date.now() + 4 * 24 * 3600_000));
    expect(await stored(up.fileId)).toEqual({ row: false, onDisk: false });
  });

  it("X-4: the sweep deletes an upload whose job crashed, never one whose job is still queued", async () => {
    const mk = async (status: "failed" | "queued") => {
      const id = crypto.randomUUID();
      const rel = path.join("2020-01", id);
      fs.mkdirSync(path.join(getEnv().dataDir, "files", "2020-01"), { recursive: true });
      fs.writeFileSync(path.join(getEnv().dataDir, "files", rel), "证件号码");
      await getDb()
        .insertInto("stored_file")
        .values({
          id,
          kind: "upload",
          name: "x.csv",
          path: rel,
          size: 12,
          content_type: "text/csv",
          org_id: id990101,
          sitting_id: sittingId,
          created_by: null,
          created_at: new Date(Date.now() - 3600_000),
        })
        .execute();
      await getDb()
        .insertInto("job")
        .values({
          id: crypto.randomUUID(),
          type: "student-record-import",
          payload: JSON.stringify({ fileId: id }),
          status,
          org_id: id990101,
          sitting_id: sittingId,
          account_id: null,
        })
        .execute();
      return id;
    };
    const crashed = await mk("failed");
    const waiting = await mk("queued");
    await sweepUploads();
    expect(await stored(crashed)).toEqual({ row: false, onDisk: false });
    expect(await stored(waiting)).toEqual({ row: true, onDisk: true });
    await getDb()
      .deleteFrom("job")
      .where("status", "=", "queued")
      .where(sql<boolean>`payload->>'fileId' = ${waiting}`)
      .execute();
  });
});

describe("bytes nobody recorded (a process that died before its commit)", () => {
  it("X-4: the hourly sweep deletes old bytes that no stored_file row names; recorded, recent and foreign files stay", async () => {
    const meta = {
      kind: "photo",
      name: "x.jpg",
      contentType: "image/jpeg",
      orgId: id990101,
      sittingId,
      createdBy: null,
    };
    const bytes = new Uint8Array(Buffer.from("照片"));
    const abs = (rel: string) => path.join(getEnv().dataDir, "files", rel);
    const age = (rel: string, hours: number) => {
      const t = new Date(Date.now() - hours * 3600_000);
      fs.utimesSync(abs(rel), t, t);
    };
    // A photo import's bytes whose transaction never came (two days old), and one still being imported.
    const orphan = await writeBytes(meta, bytes);
    age(orphan.path, 48);
    const inFlight = await writeBytes(meta, bytes);
    // A recorded file as old as the orphan.
    const kept = await writeBytes(meta, bytes);
    await recordStoredFiles(getDb(), [kept]);
    age(kept.path, 48);
    // Not the store's naming: left alone whatever its age.
    const foreign = path.join(path.dirname(orphan.path), "README.txt");
    fs.writeFileSync(abs(foreign), "notes");
    age(foreign, 48);
    // A file named like a month's folder: skipped, not an error that stops the sweep.
    fs.writeFileSync(abs("2019-05"), "not a folder");

    expect(await sweepUnrecordedFiles()).toBe(1);
    expect(fs.existsSync(abs(orphan.path))).toBe(false);
    expect(fs.existsSync(abs(inFlight.path))).toBe(true);
    expect(fs.existsSync(abs(kept.path))).toBe(true);
    expect(fs.existsSync(abs(foreign))).toBe(true);
    // Within the grace (a day, or twice the job time limit), even an unrecorded file stays.
    expect(await sweepUnrecordedFiles(Date.now() + 3600_000)).toBe(0);
    expect(unrecordedGraceMs()).toBeGreaterThanOrEqual(2 * getEnv().JOB_TIME_LIMIT_MINUTES * 60_000);
    expect(fs.existsSync(abs("2019-05"))).toBe(true);
    deleteFileBytes([inFlight.path, foreign, "2019-05"]);
  });
});

describe("photos: one stored file per candidate, in one form (PHO-6)", () => {
  it("PHO-6: replacing a candidate's photo eleven times leaves one photo file, no orphans", async () => {
    const c = await newCandidate();
    const fields = {
      site: id990101,
      name: "王小明",
      gender: "1",
      birth_date: "2004-05-06",
      id_type: "1",
      id_number: residentId("2004-05-06", 777),
      ethnicity: "01",
      education: "20",
      occupation: "",
      department: "计算机学院",
      major: "软件工程",
      class_name: "计科2401",
      student_no: "2024001",
      phone: "13800001111",
      address: "北京市海淀区",
      postcode: "100080",
      email: "",
    };
    expect((await act(detailsRoute, "/candidate/details", c.cookie, fields)).location).toBe("/candidate/photo?new=1");
    const rowsBefore = Number(
      (
        await getDb()
          .selectFrom("stored_file")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("kind", "=", "photo")
          .executeTakeFirstOrThrow()
      ).n,
    );
    const diskBefore = filesOnDisk();
    for (let i = 0; i < 11; i++) {
      const form = new FormData();
      form.set(
        "photo",
        new Blob([new Uint8Array(await compliantPhoto({ seed: 40 + i }))], { type: "image/jpeg" }),
        "me.jpg",
      );
      const request = new Request("http://localhost:3000/candidate/photo", {
        method: "POST",
        body: form,
        headers: { Cookie: c.cookie, "x-kaowu-client-ip": "127.0.0.1" },
      });
      expect((await run(() => photoRoute.action({ request, params: {}, context: {} }))).location).toBe(
        "/candidate/photo?saved=1",
      );
    }
    const rowsAfter = Number(
      (
        await getDb()
          .selectFrom("stored_file")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("kind", "=", "photo")
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(rowsAfter - rowsBefore).toBe(1);
    expect(filesOnDisk() - diskBefore).toBe(1);
    const photo = await getDb()
      .selectFrom("photo")
      .select("file_id")
      .where("id_number", "=", fields.id_number)
      .executeTakeFirstOrThrow();
    expect(await stored(photo.file_id)).toEqual({ row: true, onDisk: true });
    // The candidate page's form is the one form (PHO-6): baseline, not progressive.
    const f = await getDb()
      .selectFrom("stored_file")
      .select("path")
      .where("id", "=", photo.file_id)
      .executeTakeFirstOrThrow();
    expect((await sharp(fs.readFileSync(path.join(getEnv().dataDir, "files", f.path))).metadata()).isProgressive).toBe(
      false,
    );
  });

  it("PHO-6: CMYK, progressive and grayscale JPEGs in a photo zip are stored as the candidate page stores them: baseline sRGB 360×480", async () => {
    const base = await compliantPhoto({ seed: 91 });
    const kinds = {
      cmyk: await sharp(base).toColourspace("cmyk").jpeg({ quality: 90 }).toBuffer(),
      progressive: await sharp(base).jpeg({ quality: 90, progressive: true }).toBuffer(),
      grayscale: await sharp(base).toColourspace("b-w").jpeg({ quality: 90 }).toBuffer(),
    };
    expect((await sharp(kinds.cmyk).metadata()).space).toBe("cmyk");
    expect((await sharp(kinds.progressive).metadata()).isProgressive).toBe(true);
    expect((await sharp(kinds.grayscale).metadata()).channels).toBe(1);
    const ids: Record<string, string> = {};
    let n = 800;
    for (const k of Object.keys(kinds)) {
      ids[k] = residentId("2005-03-08", ++n);
      await getDb()
        .insertInto("registration")
        .values({
          sitting_id: sittingId,
          org_id: id990101,
          account_id: null,
          channel: "group",
          id_type: "1",
          id_number: ids[k],
          name: "照片考生",
          gender: "1",
          birth_date: "2005-03-08",
          ethnicity: "01",
          education: "20",
        })
        .execute();
    }
    const zip = photoZip(Object.entries(kinds).map(([k, data]) => ({ name: `${ids[k]}.jpg`, data })));
    const up = await post(photosImportRoute, "/admin/photos/import", "photos.zip", zip);
    expect(up.result).toMatchObject({ ok: true, imported: 3 });
    expect(await stored(up.fileId)).toEqual({ row: false, onDisk: false });
    for (const k of Object.keys(kinds)) {
      const p = await getDb()
        .selectFrom("photo as p")
        .innerJoin("stored_file as f", "f.id", "p.file_id")
        .select(["f.path", "p.width", "p.height", "p.bytes"])
        .where("p.id_number", "=", ids[k])
        .executeTakeFirstOrThrow();
      const bytes = fs.readFileSync(path.join(getEnv().dataDir, "files", p.path));
      const meta = await sharp(bytes).metadata();
      expect({
        kind: k,
        format: meta.format,
        space: meta.space,
        channels: meta.channels,
        progressive: meta.isProgressive,
        icc: meta.hasProfile ?? false,
        width: meta.width,
        height: meta.height,
      }).toEqual({
        kind: k,
        format: "jpeg",
        space: "srgb",
        channels: 3,
        progressive: false,
        icc: false,
        width: 360,
        height: 480,
      });
      expect(p).toMatchObject({ width: 360, height: 480, bytes: bytes.length });
    }
  });
});

// The page still answers after the upload has gone (it shows the job's result, not the file).
it("X-4: the import page still shows the last result once its upload is gone", async () => {
  const d = (await load(recordsImportRoute, "/admin/records/import", site1)).data;
  expect(d.last?.status).toBe("done");
});
