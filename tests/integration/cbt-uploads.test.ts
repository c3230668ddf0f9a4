import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as cbtRoute from "../../app/routes/admin.cbt.$kind";
import * as filesRoute from "../../app/routes/files.$id";
import { getDb } from "../../db/client";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, auditCount, load, orgId, run, sessionCookie } from "../factories";
import { photoZipBomb, rarBytes } from "../fixtures/photo-zip";
import { makeZip } from "../fixtures/zip-bomb";

// DOC-8 (issue 18 item 4): CBT mock-exam report packages and CBT exception files.
const REPORTS = "/admin/cbt/reports";
const EXCEPTIONS = "/admin/cbt/exceptions";
let site1: string, site2: string, finance: string, province99: string, province50: string, centre: string;
let id990101: number;

beforeAll(async () => {
  [site1, site2, finance, province99, province50, centre] = await Promise.all(
    ["site990101", "site990102", "finance990101", "province99", "province50", "centre"].map((u) =>
      sessionCookie(`${u}@example.com`),
    ),
  );
  id990101 = await orgId("990101");
});

async function upload(cookie: string, path: string, body: Buffer, name = "data.zip", remark?: string) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(body)]), name);
  if (remark) form.append("remark", remark);
  const request = new Request(`http://localhost:3000${path}`, {
    method: "POST",
    body: form,
    headers: { Cookie: cookie, "x-kaowu-client-ip": "127.0.0.1" },
  });
  return run(() => cbtRoute.action({ request, params: { kind: path.split("/").pop() }, context: {} }));
}

const countOf = async (table: "cbt_upload" | "stored_file") =>
  Number(
    (
      await getDb()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

const pkg = () =>
  makeZip([
    { name: "990101/KSXX.DBF", data: Buffer.alloc(4000, 1) },
    { name: "990101/log/run.log", data: Buffer.from("ok\n".repeat(100)) },
  ]);

describe("CBT mock-exam report (DOC-8)", () => {
  it("DOC-8: a package uploaded is generating, then its report lists the files; no new package while generating", async () => {
    const before = await auditCount("cbt.mock_report_upload");
    // Another job of the site runs meanwhile (X-2: one at a time per site), so the report's job waits
    // and the package stays "generating" for as long as the test needs, however fast the machine.
    const holder = randomUUID();
    await getDb()
      .insertInto("job")
      .values({
        id: holder,
        type: "audit-export",
        payload: JSON.stringify({}),
        status: "running",
        org_id: await orgId("990101"),
        started_at: new Date(),
        attempts: 1,
        result: null,
        error: null,
        account_id: null,
        sitting_id: null,
      })
      .execute();
    const r = await upload(site1, REPORTS, pkg(), "模拟考试.zip");
    expect(r.data).toMatchObject({ ok: true });
    // Before the job runs the report is being generated, and a second package is refused.
    const generating = await load(cbtRoute, REPORTS, site1, { kind: "reports" });
    expect(generating.data.uploads[0]).toMatchObject({ file_name: "模拟考试.zip", status: "generating" });
    const again = await upload(site1, REPORTS, pkg());
    expect(again.status).toBe(409);
    expect(again.data.error).toContain("报告还在生成中");
    await getDb()
      .updateTable("job")
      .set({ status: "done", finished_at: new Date() })
      .where("id", "=", holder)
      .execute();
    await waitForInlineIdle();
    const done = await load(cbtRoute, REPORTS, site1, { kind: "reports" });
    expect(done.data.uploads).toHaveLength(1);
    expect(done.data.uploads[0]).toMatchObject({ status: "done", report: { files: 2, totalBytes: 4300 } });
    expect(done.data.uploads[0].report.byType.map((b: { type: string }) => b.type)).toEqual(["dbf", "log"]);
    expect(await auditCount("cbt.mock_report_upload")).toBe(before + 1);
  });

  it("DOC-8/X-3: a RAR renamed .zip, a zip with ../ paths, a zip bomb and a file that is no zip are refused; nothing kept", async () => {
    const before = await Promise.all([countOf("cbt_upload"), countOf("stored_file")]);
    const rar = await upload(site1, EXCEPTIONS, rarBytes(), "异常.zip");
    expect(rar.status).toBe(400);
    expect(rar.data.error).toContain("RAR");
    const slip = await upload(site1, EXCEPTIONS, makeZip([{ name: "../../etc/passwd", data: Buffer.from("x") }]));
    expect(slip.data.error).toContain("不安全的路径");
    const bomb = await upload(site1, EXCEPTIONS, photoZipBomb());
    expect(bomb.data.error).toContain("压缩炸弹");
    const text = await upload(site1, EXCEPTIONS, Buffer.from("just text"), "x.zip");
    expect(text.data.error).toContain("不是 .zip 压缩包");
    expect(await Promise.all([countOf("cbt_upload"), countOf("stored_file")])).toEqual(before);
  });

  it("X-3: an upload of 2 GB is refused while it streams (the upload cap), nothing kept", async () => {
    const before = await Promise.all([countOf("cbt_upload"), countOf("stored_file")]);
    let pulled = 0;
    const chunk = new Uint8Array(256 * 1024).fill(0x41);
    const boundary = "----kaowu";
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.zip"\r\nContent-Type: application/zip\r\n\r\n`,
    );
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(head);
      },
      pull(c) {
        if (pulled >= 2 * 1024 ** 3) return c.close();
        pulled += chunk.length;
        c.enqueue(chunk);
      },
    });
    const request = new Request(`http://localhost:3000${EXCEPTIONS}`, {
      method: "POST",
      body,
      duplex: "half",
      headers: { Cookie: site1, "Content-Type": `multipart/form-data; boundary=${boundary}` },
    } as RequestInit);
    const r = await run(() => cbtRoute.action({ request, params: { kind: "exceptions" }, context: {} }));
    expect([400, 413]).toContain(r.status);
    expect(r.data.error).toBeTruthy();
    expect(pulled).toBeLessThan(300 * 1024 ** 2);
    expect(await Promise.all([countOf("cbt_upload"), countOf("stored_file")])).toEqual(before);
  });
});

describe("CBT exception files (DOC-8)", () => {
  let fileId: number;

  it("DOC-8: the site uploads one (not started); its province, city and the centre see it; another province does not", async () => {
    const r = await upload(site1, EXCEPTIONS, pkg(), "异常文件.zip", "3 号机蓝屏");
    expect(r.data).toMatchObject({ ok: true, params: { name: "异常文件.zip" } });
    const mine = await load(cbtRoute, EXCEPTIONS, site1, { kind: "exceptions" });
    expect(mine.data.uploads[0]).toMatchObject({ status: "not_started", remark: "3 号机蓝屏" });
    fileId = mine.data.uploads[0].id;
    for (const superior of [province99, centre]) {
      const all = await load(cbtRoute, EXCEPTIONS, superior, { kind: "exceptions" });
      const row = all.data.sites.find((s: { code: string }) => s.code === "990101");
      expect(row.exceptions).toEqual({ not_started: 1, processing: 0, done: 0 });
      const one = await load(cbtRoute, `${EXCEPTIONS}?site=${id990101}`, superior, { kind: "exceptions" });
      expect(one.data.uploads.map((u: { id: number }) => u.id)).toContain(fileId);
    }
    const other = await load(cbtRoute, EXCEPTIONS, province50, { kind: "exceptions" });
    expect(other.data.sites.some((s: { code: string }) => s.code === "990101")).toBe(false);
    expect((await load(cbtRoute, `${EXCEPTIONS}?site=${id990101}`, province50, { kind: "exceptions" })).status).toBe(
      403,
    );
    // The file downloads for the province above, not for another province or finance staff.
    const stored = mine.data.uploads[0].file_id;
    expect((await load(filesRoute, `/files/${stored}`, province99, { id: stored })).status).toBe(200);
    expect((await load(filesRoute, `/files/${stored}`, province50, { id: stored })).status).toBe(403);
    expect((await load(filesRoute, `/files/${stored}`, finance, { id: stored })).status).toBe(403);
  });

  it("DOC-8/ORG-2: a superior sets processing with a note (audited); the site cannot set it; while processing it cannot be deleted", async () => {
    const before = await auditCount("cbt.exception_status");
    expect(
      (await act(cbtRoute, EXCEPTIONS, site1, { intent: "status", id: fileId, status: "done" }, { kind: "exceptions" }))
        .status,
    ).toBe(403);
    expect(
      (
        await act(
          cbtRoute,
          EXCEPTIONS,
          province50,
          { intent: "status", id: fileId, status: "done" },
          { kind: "exceptions" },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await act(
          cbtRoute,
          EXCEPTIONS,
          province99,
          { intent: "status", id: fileId, status: "deleted" },
          { kind: "exceptions" },
        )
      ).status,
    ).toBe(400);
    const set = await act(
      cbtRoute,
      EXCEPTIONS,
      province99,
      { intent: "status", id: fileId, status: "processing", note: "已转交厂商" },
      { kind: "exceptions" },
    );
    expect(set.data).toMatchObject({ ok: true });
    expect(await auditCount("cbt.exception_status")).toBe(before + 1);
    const mine = await load(cbtRoute, EXCEPTIONS, site1, { kind: "exceptions" });
    // The site's own description stays; the handler's note sits beside it.
    expect(mine.data.uploads[0]).toMatchObject({
      status: "processing",
      remark: "3 号机蓝屏",
      handling_note: "已转交厂商",
    });
    const del = await act(cbtRoute, EXCEPTIONS, site1, { intent: "delete", id: fileId }, { kind: "exceptions" });
    expect(del.status).toBe(409);
    expect(del.data.error).toContain("正在由上级处理");
  });

  it("DOC-8/ORG-2: done, the site deletes it (file and bytes, audited); another site's forged id is no such file", async () => {
    await act(
      cbtRoute,
      EXCEPTIONS,
      province99,
      { intent: "status", id: fileId, status: "done", note: "" },
      { kind: "exceptions" },
    );
    const forged = await act(cbtRoute, EXCEPTIONS, site2, { intent: "delete", id: fileId }, { kind: "exceptions" });
    expect(forged.status).toBe(404);
    const files = await countOf("stored_file");
    const before = await auditCount("cbt.exception_delete");
    const del = await act(cbtRoute, EXCEPTIONS, site1, { intent: "delete", id: fileId }, { kind: "exceptions" });
    expect(del.data).toMatchObject({ ok: true, params: { name: "异常文件.zip" } });
    expect(await countOf("stored_file")).toBe(files - 1);
    expect(await auditCount("cbt.exception_delete")).toBe(before + 1);
    expect((await load(cbtRoute, EXCEPTIONS, site1, { kind: "exceptions" })).data.uploads).toEqual([]);
  });

  it("ORG-11: finance staff have no CBT pages", async () => {
    expect((await load(cbtRoute, EXCEPTIONS, finance, { kind: "exceptions" })).status).toBe(403);
    expect((await upload(finance, EXCEPTIONS, pkg())).status).toBe(403);
  });
});
