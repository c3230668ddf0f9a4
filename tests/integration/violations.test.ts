import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as violationsRoute from "../../app/routes/admin.violations._index";
import * as importRoute from "../../app/routes/admin.violations.import";
import * as exportRoute from "../../app/routes/admin.violations.export";
import * as templateRoute from "../../app/routes/admin.violations.template";
import * as statsRoute from "../../app/routes/admin.violations.stats";
import * as statsExportRoute from "../../app/routes/admin.violations.stats.export";
import * as checkInRoute from "../../app/routes/admin.check-in._index";
import { waitForInlineIdle } from "../../jobs/runner";
import { getDb } from "../../db/client";
import { act, auditCount, load, orgId, run, sessionCookie } from "../factories";
import { numberedSite, openWindowNow } from "../factories/rooms";
import { shown } from "../factories/shown";

// VIO-1/VIO-2 and DOC-9's roll call (issue 19 items 1–2): 990102 after its exam.
let site1: string, site2: string, province99: string, finance1: string;
let id990102: number, sittingId: number;
type Row = { id: number; admission_no: string; batch_id: number; name: string; subject_code: string };
let entries: Row[];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-violations-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  [site1, site2, province99, finance1] = await Promise.all(
    ["site990101", "site990102", "province99", "finance990101"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  id990102 = await orgId("990102");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  await numberedSite(site2, {
    siteId: id990102,
    sittingId,
    rooms: [
      { number: "01", seats: 4 },
      { number: "02", seats: 4 },
    ],
    candidates: [
      { name: "赵一", subjects: ["14"] },
      { name: "钱二", subjects: ["14", "65"] },
      { name: "孙三", subjects: ["65"] },
      { name: "李四", subjects: ["14"] },
      { name: "周五", subjects: ["14"] },
      { name: "吴六", subjects: ["65"] },
    ],
  });
  entries = (await getDb()
    .selectFrom("entry as e")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .select(["e.id", "e.admission_no", "e.batch_id", "g.name", "e.subject_code"])
    .where("e.org_id", "=", id990102)
    .where("e.sitting_id", "=", sittingId)
    .where("e.admission_no", "is not", null)
    .orderBy("e.admission_no")
    .execute()) as Row[];
});

const violation = (entryId: number) =>
  getDb().selectFrom("violation").selectAll().where("entry_id", "=", entryId).executeTakeFirst();
const clear = () => getDb().deleteFrom("violation").execute();

describe("violations (VIO-1)", () => {
  it("WIN-2: outside the violations window nothing is recorded; the page reads", async () => {
    const r = await act(violationsRoute, "/admin/violations", site2, {
      intent: "add",
      admissionNo: entries[0].admission_no,
      kind: "absent",
    });
    expect(r.status).toBe(403);
    expect(r.data.error).toContain("缺考违纪管理时间");
    expect((await load(violationsRoute, "/admin/violations", site2)).data).toMatchObject({ writable: false, total: 0 });
    await openWindowNow(sittingId, "violations");
  });

  it("VIO-1: the admission number fills name, masked ID and subject; add, a second add refused, edit, delete, each audited", async () => {
    const e = entries[0];
    const page = await load(violationsRoute, `/admin/violations?no=${e.admission_no}`, site2);
    expect(page.data.writable).toBe(true);
    expect(page.data.lookup.found).toMatchObject({
      name: e.name,
      subject: expect.stringContaining(`(${e.subject_code})`),
    });
    expect(page.data.lookup.found.idNumber).toMatch(/^\*+[0-9X]{4}$/);
    const fullWidth = e.admission_no.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const added = await act(violationsRoute, "/admin/violations", site2, {
      intent: "add",
      admissionNo: fullWidth,
      kind: "cheating",
      remark: "携带手机",
    });
    expect(added.data).toMatchObject({ ok: true, done: "added", name: e.name });
    expect(await violation(e.id)).toMatchObject({ kind: "cheating", remark: "携带手机", source: "manual" });
    const again = await act(violationsRoute, "/admin/violations", site2, {
      intent: "add",
      admissionNo: e.admission_no,
      kind: "absent",
    });
    expect(again.status).toBe(409);
    expect(again.data.error).toContain("作弊");
    const v = (await violation(e.id))!;
    await act(violationsRoute, "/admin/violations", site2, {
      intent: "update",
      id: v.id,
      kind: "misconduct",
      remark: "",
    });
    expect(await violation(e.id)).toMatchObject({ kind: "misconduct", remark: "" });
    const list = await load(violationsRoute, "/admin/violations", site2);
    expect(list.data.rows[0]).toMatchObject({ admission_no: e.admission_no, kind: "misconduct" });
    expect(list.data.rows[0].id_number).toMatch(/^\*+[0-9X]{4}$/);
    await act(violationsRoute, "/admin/violations", site2, { intent: "delete", id: v.id });
    expect(await violation(e.id)).toBeUndefined();
    for (const a of ["violation.add", "violation.update", "violation.delete"]) expect(await auditCount(a)).toBe(1);
    const logged = await getDb()
      .selectFrom("audit_log")
      .select("changes")
      .where("action", "like", "violation.%")
      .execute();
    expect(JSON.stringify(logged)).not.toMatch(/\d{17}[\dX]/);
  });

  it("VIO-1: a bad type, an unknown number, a remark too long are refused with their message and change nothing", async () => {
    const bad = await act(violationsRoute, "/admin/violations", site2, {
      intent: "add",
      admissionNo: entries[1].admission_no,
      kind: "late",
    });
    expect(bad.data.error).toBe("违纪类型只能是缺考、违纪、作弊或其他违规。");
    const none = await act(violationsRoute, "/admin/violations", site2, {
      intent: "add",
      admissionNo: "9999999999999999",
      kind: "absent",
    });
    expect(none.status).toBe(404);
    const long = await act(violationsRoute, "/admin/violations", site2, {
      intent: "add",
      admissionNo: entries[1].admission_no,
      kind: "other",
      remark: "长".repeat(201),
    });
    expect(long.data.error).toBe("备注最多 200 个字。");
    expect(await getDb().selectFrom("violation").selectAll().execute()).toHaveLength(0);
  });

  it("ORG-2/ORG-11: another site's number is no such number, another site's violation no such violation; finance and superiors change nothing", async () => {
    const e = entries[1];
    expect(
      (
        await act(violationsRoute, "/admin/violations", site1, {
          intent: "add",
          admissionNo: e.admission_no,
          kind: "absent",
        })
      ).status,
    ).toBe(404);
    expect((await load(violationsRoute, `/admin/violations?no=${e.admission_no}`, site1)).data.lookup.found).toBeNull();
    await act(violationsRoute, "/admin/violations", site2, {
      intent: "add",
      admissionNo: e.admission_no,
      kind: "absent",
    });
    const v = (await violation(e.id))!;
    const forgeries: Array<Record<string, string | number>> = [
      { intent: "delete", id: v.id },
      { intent: "update", id: v.id, kind: "cheating" },
    ];
    for (const forged of forgeries)
      expect((await act(violationsRoute, "/admin/violations", site1, forged)).status).toBe(404);
    expect((await act(violationsRoute, "/admin/violations", finance1, { intent: "delete", id: v.id })).status).toBe(
      403,
    );
    expect((await load(violationsRoute, "/admin/violations", finance1)).status).toBe(403);
    expect((await act(violationsRoute, "/admin/violations", province99, { intent: "delete", id: v.id })).status).toBe(
      403,
    );
    // A superior reads the site it picks (read-only).
    const read = await load(violationsRoute, `/admin/violations?site=${id990102}`, province99);
    expect(read.data).toMatchObject({ writable: false, total: 1 });
    expect(await violation(e.id)).toBeDefined();
    // The export masks the ID number.
    const res = (await exportRoute.loader({
      request: new Request("http://localhost/admin/violations/export", { headers: { Cookie: site2 } }),
      params: {},
      context: {},
    })) as Response;
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0];
    expect(ws.getRow(2).getCell(1).text).toBe(e.admission_no);
    expect(ws.getRow(2).getCell(3).text).toMatch(/^\*+[0-9X]{4}$/);
    expect(ws.getRow(2).getCell(5).text).toBe("缺考");
    await clear();
  });
});

describe("violations import (VIO-1)", () => {
  async function write(name: string, rows: unknown[][], header = ["准考证号*", "姓名", "违纪类型*", "备注"]) {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("填写说明").addRow(["说明"]);
    const ws = wb.addWorksheet("违规信息");
    ws.addRow(header);
    for (const r of rows) ws.addRow(r);
    const file = path.join(dir, name);
    await wb.xlsx.writeFile(file);
    return file;
  }
  async function upload(file: string, overwrite = false) {
    const form = new FormData();
    form.append("file", new Blob([fs.readFileSync(file)]), path.basename(file));
    if (overwrite) form.append("overwrite", "on");
    const request = new Request("http://localhost:3000/admin/violations/import", {
      method: "POST",
      body: form,
      headers: { Cookie: site2, "x-kaowu-client-ip": "127.0.0.1" },
    });
    const r = await run(() => importRoute.action({ request, params: {}, context: {} }));
    await waitForInlineIdle();
    return r;
  }
  const last = async () => shown((await load(importRoute, "/admin/violations/import", site2)).data.last?.result);

  it("VIO-1: the template downloads with its sheet and headers", async () => {
    const r = await run(() =>
      templateRoute.loader({
        request: new Request("http://localhost/admin/violations/template", { headers: { Cookie: site2 } }),
        params: {},
        context: {},
      }),
    );
    expect(r.status).toBe(200);
  });

  it("VIO-1: a file with any bad row imports nothing and names every cell; a good one imports all, in either width", async () => {
    const [a, b, c] = entries;
    const bad = await write("bad.xlsx", [
      [a.admission_no, a.name, "缺考", ""],
      [b.admission_no, "别人", "作弊", ""],
      ["9999999999999999", "", "违纪", ""],
      [a.admission_no, "", "缺考", ""],
      // Typed into a number cell, Excel keeps 15 significant digits: the 16th becomes 0.
      [Number(`${c.admission_no.slice(0, 15)}0`) + (c.admission_no.endsWith("0") ? 1e15 : 0), "", "缺考", ""],
      [c.admission_no, "", "迟到", ""],
    ]);
    expect((await upload(bad)).data).toMatchObject({ ok: true });
    const refused = await last();
    expect(refused.ok).toBe(false);
    const cells = refused.errors.map((e: { row: number; column: string; message: string }) => [
      e.row,
      e.column,
      e.message,
    ]);
    expect(cells).toEqual([
      [3, "姓名", "姓名与这个准考证号的报名信息不一致，请检查准考证号是否填错。"],
      [4, "准考证号", "本考点本考次没有这个准考证号。"],
      [5, "准考证号", "这个准考证号在第 2 行已经出现过。"],
      [6, "准考证号", expect.stringContaining("准考证号被存成了数字")],
      [7, "违纪类型", "违纪类型只能是缺考、违纪、作弊或其他违规。"],
    ]);
    expect(await getDb().selectFrom("violation").selectAll().execute()).toHaveLength(0);

    const fullWidth = b.admission_no.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const good = await write("good.xlsx", [
      [a.admission_no, a.name, "缺考", ""],
      [fullWidth, "", "cheating", "替考"],
      [c.admission_no, "", "其他违规", ""],
    ]);
    await upload(good);
    expect(await last()).toMatchObject({ ok: true, rows: 3, inserted: 3, updated: 0 });
    expect(await violation(b.id)).toMatchObject({ kind: "cheating", remark: "替考", source: "import" });
    expect(await auditCount("violation.import")).toBe(1);
  });

  it("VIO-1: an entry already recorded differently needs “overwrite”; the same record again changes nothing", async () => {
    const [a, b] = entries;
    const file = await write("again.xlsx", [
      [a.admission_no, "", "缺考", ""],
      [b.admission_no, "", "违纪", ""],
    ]);
    await upload(file);
    const refused = await last();
    expect(refused.ok).toBe(false);
    expect(refused.errors).toEqual([
      expect.objectContaining({ row: 3, column: "违纪类型", message: expect.stringContaining("“作弊”") }),
    ]);
    await upload(file, true);
    expect(await last()).toMatchObject({ ok: true, inserted: 0, updated: 1, unchanged: 1 });
    expect(await violation(b.id)).toMatchObject({ kind: "misconduct", remark: "" });
  });

  it("X-3: a file that is not a spreadsheet is refused", async () => {
    const txt = path.join(dir, "violations.xlsx");
    fs.writeFileSync(txt, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    expect((await upload(txt)).data.ok).toBe(false);
  });
});

describe("violation statistics (VIO-2)", () => {
  it("VIO-2: by subject and kind with totals; a province sees its sites, another site sees none of them; exportable", async () => {
    const mine = await load(statsRoute, "/admin/violations/stats", site2);
    const rows = await getDb()
      .selectFrom("violation as v")
      .innerJoin("entry as e", "e.id", "v.entry_id")
      .select(["e.subject_code", "v.kind"])
      .execute();
    expect(mine.data.total.total).toBe(rows.length);
    for (const s of mine.data.subjects) expect(s.total).toBe(rows.filter((r) => r.subject_code === s.code).length);
    expect(mine.data.total.absent).toBe(rows.filter((r) => r.kind === "absent").length);
    const province = await load(statsRoute, "/admin/violations/stats", province99);
    expect(province.data.total.total).toBe(rows.length);
    expect(province.data.sites.find((s: { id: number }) => s.id === id990102).counts.total).toBe(rows.length);
    expect((await load(statsRoute, "/admin/violations/stats", site1)).data.total.total).toBe(0);
    // Counts only: finance reads them too.
    expect((await load(statsRoute, "/admin/violations/stats", finance1)).status).toBe(200);
    expect((await load(statsRoute, `/admin/violations/stats?site=${id990102}`, site1)).status).toBe(403);
    const x = await run(() =>
      statsExportRoute.loader({
        request: new Request("http://localhost/admin/violations/stats/export", { headers: { Cookie: province99 } }),
        params: {},
        context: {},
      }),
    );
    expect(x.status).toBe(200);
    expect(x.headers?.get("Content-Disposition")).toContain("violation-statistics.xlsx");
  });
});

describe("roll call (DOC-9)", () => {
  async function choose(cookie: string, batch: number) {
    const r = await act(checkInRoute, "/admin/check-in", cookie, { intent: "post", batch });
    return `${cookie}; ${r.headers!.get("Set-Cookie")!.split(";")[0]}`;
  }

  it("DOC-9: not before the batch ends; then every candidate never checked in and without a violation becomes absent, once; undo removes only those", async () => {
    await clear();
    const batch = entries[0].batch_id;
    const inBatch = entries.filter((e) => e.batch_id === batch);
    expect(inBatch.length).toBeGreaterThanOrEqual(3);
    const device = await choose(site2, batch);
    const early = await act(checkInRoute, "/admin/check-in", device, { intent: "absent" });
    expect(early.status).toBe(409);
    // The exam day is past: the batch has ended.
    await getDb().updateTable("exam_batch").set({ exam_date: "2020-01-01" }).where("id", "=", batch).execute();
    const [present, typed, ...rest] = inBatch;
    await act(checkInRoute, "/admin/check-in", device, { intent: "manual", admissionNo: present.admission_no });
    await act(violationsRoute, "/admin/violations", site2, {
      intent: "add",
      admissionNo: typed.admission_no,
      kind: "cheating",
    });
    const page = await load(checkInRoute, "/admin/check-in", device);
    expect(page.data.rollCall).toEqual({ allowed: true, toMark: rest.length, marked: 0 });
    const marked = await act(checkInRoute, "/admin/check-in", device, { intent: "absent" });
    expect(marked.data).toMatchObject({ ok: true, rollCall: "marked", count: rest.length });
    for (const e of rest) expect(await violation(e.id)).toMatchObject({ kind: "absent", source: "roll_call" });
    expect(await violation(present.id)).toBeUndefined();
    expect(await violation(typed.id)).toMatchObject({ kind: "cheating", source: "manual" });
    expect((await act(checkInRoute, "/admin/check-in", device, { intent: "absent" })).data.count).toBe(0);
    // One absence is edited since: undoing the roll call keeps it.
    const edited = (await violation(rest[0].id))!;
    await act(violationsRoute, "/admin/violations", site2, {
      intent: "update",
      id: edited.id,
      kind: "absent",
      remark: "病假未到",
    });
    const undone = await act(checkInRoute, "/admin/check-in", device, { intent: "undo_absent" });
    expect(undone.data).toMatchObject({ ok: true, rollCall: "undone", count: rest.length - 1 });
    expect(await violation(rest[0].id)).toMatchObject({ kind: "absent", remark: "病假未到" });
    for (const e of rest.slice(1)) expect(await violation(e.id)).toBeUndefined();
    expect(await auditCount("violation.roll_call")).toBe(2);
    expect(await auditCount("violation.roll_call_undo")).toBe(1);
    // Another site's administrator has no such batch.
    const theirs = `${site1}; ${device.split("; ").pop()}`;
    expect((await act(checkInRoute, "/admin/check-in", theirs, { intent: "absent" })).status).toBe(404);
  });
});
