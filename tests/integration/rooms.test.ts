import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as roomsRoute from "../../app/routes/admin.rooms._index";
import * as exportRoute from "../../app/routes/admin.rooms.export";
import * as importRoute from "../../app/routes/admin.rooms.import";
import { waitForInlineIdle } from "../../jobs/runner";
import { shown } from "../factories/shown";
import { getDb } from "../../db/client";
import { act, auditCount, load, makeRequest, orgId, run, sessionCookie } from "../factories";
import { makeRegistration } from "../factories/registrations";

// ROOM-1/ROOM-2 (issue 16 item 1). 990102 is inside its allocation window in the demo data;
// 990101's opens in 35 days.
const PAGE = "/admin/rooms";
let site2: string, site1: string, city1: string, province: string, finance: string;
let id990102: number, sittingId: number;

beforeAll(async () => {
  [site2, site1, city1, province, finance] = await Promise.all(
    ["site990102", "site990101", "city9901", "province99", "finance990101"].map((u) =>
      sessionCookie(`${u}@example.com`),
    ),
  );
  id990102 = await orgId("990102");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
});

const rooms = () =>
  getDb()
    .selectFrom("room")
    .selectAll()
    .where("org_id", "=", id990102)
    .where("sitting_id", "=", sittingId)
    .orderBy("number")
    .execute();
const batches = () =>
  getDb()
    .selectFrom("exam_batch")
    .selectAll()
    .where("org_id", "=", id990102)
    .where("sitting_id", "=", sittingId)
    .orderBy("room_id")
    .orderBy("seq")
    .execute();
const save = (form: Record<string, string | number>) => act(roomsRoute, PAGE, site2, { intent: "save-room", ...form });

describe("rooms (ROOM-1)", () => {
  it("ROOM-1: a site adds rooms inside its allocation window; numbers are two digits and unique; each change is audited", async () => {
    expect((await save({ number: "7", location: "实验楼 301", seats: 40 })).data).toMatchObject({ ok: true });
    expect((await save({ number: "08", location: "实验楼 302", seats: "５０" })).data).toMatchObject({ ok: true });
    expect((await save({ number: "9", location: "", seats: 30 })).data).toMatchObject({ ok: true });
    expect((await rooms()).map((r) => [r.number, r.location, r.seats])).toEqual([
      ["07", "实验楼 301", 40],
      ["08", "实验楼 302", 50],
      ["09", "", 30],
    ]);
    expect((await save({ number: "07", location: "x", seats: 10 })).data.error).toBe("考场号 07 已存在。");
    expect((await save({ number: "100", seats: 10 })).data.error).toBe("考场号应为 01 至 99 的两位数字。");
    expect((await save({ number: "10", seats: 0 })).data.error).toBe("座位数应为 1 至 999 的整数。");
    expect(await auditCount("rooms.add")).toBe(3);
  });

  it("WIN-3/ORG-1/ORG-11: outside its window a site cannot change rooms; superiors and finance only read them", async () => {
    const outside = await act(roomsRoute, PAGE, site1, { intent: "save-room", number: "01", seats: 30 });
    expect(outside.status).toBe(403);
    expect(outside.data.error).toContain("编排");
    for (const who of [city1, province, finance])
      expect((await act(roomsRoute, PAGE, who, { intent: "save-room", number: "01", seats: 30 })).status).toBe(403);
    const view = await load(roomsRoute, `${PAGE}?site=${id990102}`, province);
    expect(view.data.editable).toBe(false);
    expect(view.data.rooms.map((r: { number: string }) => r.number)).toEqual(["07", "08", "09"]);
    expect((await load(roomsRoute, PAGE, finance)).status).toBe(200);
  });

  it("ORG-2: a forged room id of another site reads as no such room", async () => {
    const [r07] = await rooms();
    const other = await act(roomsRoute, PAGE, site1, { intent: "delete-room", id: r07.id });
    expect(other.status).toBe(403); // 990101's window is closed: refused before the id is looked at
    await getDb()
      .insertInto("room")
      .values({ sitting_id: sittingId, org_id: await orgId("990101"), number: "01", seats: 20 })
      .execute();
    const foreign = await getDb()
      .selectFrom("room")
      .select("id")
      .where("org_id", "=", await orgId("990101"))
      .executeTakeFirstOrThrow();
    const forged = await act(roomsRoute, PAGE, site2, { intent: "delete-room", id: foreign.id });
    expect(forged.status).toBe(404);
    expect(await getDb().selectFrom("room").select("id").where("id", "=", foreign.id).executeTakeFirst()).toBeTruthy();
  });
});

describe("batches (ROOM-1, ROOM-2)", () => {
  const timetable = (form: Record<string, string | number | Array<string | number>>) =>
    act(roomsRoute, PAGE, site2, {
      intent: "timetable",
      start: "08:00",
      count: 3,
      minutes: 120,
      gap: 30,
      capacity: "",
      ...form,
    });

  it("ROOM-1: the manual's timetable for two rooms over two exam days: 12 batches, numbered in time order, capacity = seats", async () => {
    const [r07, r08] = await rooms();
    const r = await timetable({ room: [r07.id, r08.id], day: ["2027-03-28", "2027-03-27"] });
    expect(r.data).toMatchObject({ ok: true, params: { rooms: 2, count: 12 } });
    const all = await batches();
    expect(all).toHaveLength(12);
    const of07 = all.filter((b) => b.room_id === r07.id);
    expect(of07.map((b) => [b.seq, b.exam_date, b.start_min, b.end_min, b.capacity])).toEqual([
      [1, "2027-03-27", 480, 600, 40],
      [2, "2027-03-27", 630, 750, 40],
      [3, "2027-03-27", 780, 900, 40],
      [4, "2027-03-28", 480, 600, 40],
      [5, "2027-03-28", 630, 750, 40],
      [6, "2027-03-28", 780, 900, 40],
    ]);
    const page = await load(roomsRoute, PAGE, site2);
    expect(page.data.batches[0]).toMatchObject({ label: "07#1", date: "2027-03-27", time: "08:00–10:00" });
    expect(page.data.batches[0].fits).toEqual(expect.arrayContaining(["14", "65"]));
    expect(await auditCount("rooms.timetable")).toBe(1);
  });

  it("ROOM-1: a timetable that clashes with a room's batches, or runs past 20:00, adds nothing", async () => {
    const [r07, , r09] = await rooms();
    const before = (await batches()).length;
    const clash = await timetable({ room: [r09.id, r07.id], day: ["2027-03-27"], start: "09:00" });
    expect(clash.data.error).toBe(
      "考场 07 在 2027-03-27 08:00–10:00 已有批次 07#1，时间表没有生成（全部批次都没有保存）。",
    );
    const late = await timetable({ room: [r09.id], day: ["2027-03-27"], count: 6 });
    expect(late.data.error).toBe("这个时间表从 08:00 到 22:30，超出了 08:00–20:00。");
    const big = await timetable({ room: [r09.id], day: ["2027-03-27"], capacity: 31 });
    expect(big.data.error).toBe("容量 31 超过了考场的座位数 30。");
    expect((await batches()).length).toBe(before);
  });

  it("ROOM-1: one batch: 19:30–21:00, an overlap in its room, or one shorter than every subject are refused with their reason", async () => {
    const [r07, , r09] = await rooms();
    const add = (form: Record<string, string | number>) =>
      act(roomsRoute, PAGE, site2, { intent: "add-batch", date: "2027-03-29", capacity: 20, ...form });
    expect((await add({ room: r09.id, start: "19:30", end: "21:00" })).data.error).toBe(
      "批次 19:30–21:00 超出了考试日的 08:00–20:00。",
    );
    expect((await add({ room: r07.id, date: "2027-03-27", start: "09:00", end: "11:00" })).data.error).toBe(
      "与同一考场的批次 07#1（2027-03-27 08:00–10:00）时间重叠。",
    );
    expect((await add({ room: r09.id, start: "08:00", end: "08:20" })).data.error).toMatch(/只有 20 分钟/);
    expect((await add({ room: r09.id, date: "2027-04-01", start: "08:00", end: "10:00" })).data.error).toContain(
      "不在本考点任何开考科目的考试日期内",
    );
    expect((await add({ room: r09.id, start: "8:00", end: "10:00" })).data).toMatchObject({
      ok: true,
      params: { label: "09#1" },
    });
  });

  it("ROOM-1: a batch's date, times and capacity change with the same checks; with candidates in it, only while their allocation still keeps every rule", async () => {
    const [r07, , r09] = await rooms();
    const b09 = (await batches()).find((x) => x.room_id === r09.id)!;
    const b07 = (await batches()).filter((x) => x.room_id === r07.id);
    const edit = (id: number, form: Record<string, string | number>, cookie = site2) =>
      act(roomsRoute, PAGE, cookie, { intent: "save-batch", id, date: "2027-03-29", ...form });
    const ok = await edit(b09.id, { start: "10:00", end: "12:00", capacity: 25 });
    expect(ok.data).toMatchObject({ ok: true, params: { label: "09#1" } });
    expect(
      await getDb().selectFrom("exam_batch").selectAll().where("id", "=", b09.id).executeTakeFirstOrThrow(),
    ).toMatchObject({
      exam_date: "2027-03-29",
      start_min: 600,
      end_min: 720,
      capacity: 25,
    });
    expect(await auditCount("rooms.batch_edit")).toBe(1);
    // The single batch's checks hold for a change too.
    expect((await edit(b07[1].id, { date: "2027-03-27", start: "09:00", end: "11:00", capacity: 40 })).data.error).toBe(
      "与同一考场的批次 07#1（2027-03-27 08:00–10:00）时间重叠。",
    );
    expect((await edit(b09.id, { start: "19:00", end: "21:00", capacity: 25 })).data.error).toBe(
      "批次 19:00–21:00 超出了考试日的 08:00–20:00。",
    );
    expect((await edit(b09.id, { start: "10:00", end: "12:00", capacity: 31 })).data.error).toBe(
      "容量 31 超过了考场的座位数 30。",
    );

    // A candidate on seat 5: the capacity cannot drop below it, nor the batch move onto the
    // candidate's other exam; a move that keeps every rule is fine.
    const { entries } = await makeRegistration({
      siteId: id990102,
      sittingId,
      subjects: ["14", "65"],
      paid: ["14", "65"],
    });
    await getDb().updateTable("entry").set({ batch_id: b09.id, seat: 5 }).where("id", "=", entries[0].id).execute();
    const other = (await batches()).find((x) => x.room_id === r07.id && x.exam_date === "2027-03-27" && x.seq === 1)!;
    await getDb().updateTable("entry").set({ batch_id: other.id, seat: 1 }).where("id", "=", entries[1].id).execute();
    const small = await edit(b09.id, { start: "10:00", end: "12:00", capacity: 4 });
    expect(small.data.error).toBe(
      "09#1 已编排 1 个考生，这样修改会使 1 处编排不再符合规则（容量、科目考试时间或同一考生 15 分钟间隔）。请先清除这些考生的编排，或改用仍然符合的时间。",
    );
    const clash = await edit(b09.id, { date: "2027-03-27", start: "10:05", end: "12:05", capacity: 25 });
    expect(clash.data.error).toContain("09#1 已编排 1 个考生");
    expect((await edit(b09.id, { start: "10:30", end: "12:30", capacity: 5 })).data).toMatchObject({ ok: true });
    await getDb()
      .updateTable("entry")
      .set({ batch_id: null, seat: null })
      .where(
        "id",
        "in",
        entries.map((e) => e.id),
      )
      .execute();
    // ORG-2 / WIN-3: an id of no batch of this site, and a site outside its window, change nothing.
    expect((await edit(999999, { start: "10:00", end: "12:00", capacity: 20 })).status).toBe(404);
    expect((await edit(b09.id, { start: "08:00", end: "10:00", capacity: 20 }, site1)).data.error).toBeTruthy();
    expect(
      await getDb().selectFrom("exam_batch").select("start_min").where("id", "=", b09.id).executeTakeFirstOrThrow(),
    ).toEqual({
      start_min: 630,
    });
  });

  it("ROOM-2: a batch or room with an allocation cannot be deleted; the seats of a room never drop below its batches", async () => {
    const [r07, r08] = await rooms();
    const all = await batches();
    const b = all.find((x) => x.room_id === r07.id && x.seq === 2)!;
    // A paid entry of this site placed in the batch (allocation itself comes with SCH-2).
    const { entries } = await makeRegistration({ siteId: id990102, sittingId, subjects: ["14"], paid: ["14"] });
    const entry = entries[0];
    await getDb().updateTable("entry").set({ batch_id: b.id, seat: 1 }).where("id", "=", entry.id).execute();
    const del = await act(roomsRoute, PAGE, site2, { intent: "delete-batches", batch: [all[0].id, b.id] });
    expect(del.data.error).toBe("07#2 已编排 1 个考生，不能删除；请先清除编排。");
    expect((await batches()).length).toBe(all.length);
    const room = await act(roomsRoute, PAGE, site2, { intent: "delete-room", id: r07.id });
    expect(room.data.error).toBe("07#2 已编排 1 个考生，不能删除；请先清除编排。");
    expect((await save({ id: r07.id, number: "07", location: "x", seats: 39 })).data.error).toContain("最大 40");
    await getDb().updateTable("entry").set({ batch_id: null, seat: null }).where("id", "=", entry.id).execute();

    // Free again: a room goes with its batches, and batches go in one step.
    const gone = await act(roomsRoute, PAGE, site2, { intent: "delete-room", id: r08.id });
    expect(gone.data).toMatchObject({ ok: true, params: { number: "08" } });
    expect((await batches()).some((x) => x.room_id === r08.id)).toBe(false);
    const two = await act(roomsRoute, PAGE, site2, { intent: "delete-batches", batch: [all[0].id, b.id] });
    expect(two.data).toMatchObject({ ok: true, params: { count: 2 } });
    expect(await auditCount("rooms.batch_delete")).toBe(1);
  });

  it("ROOM-2: rooms and batches export to .xlsx with room numbers kept as text", async () => {
    const res = (await exportRoute.loader({
      request: makeRequest(`${PAGE}/export`, { cookie: site2 }),
      params: {},
      context: {},
    })) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toContain(encodeURIComponent("考场管理-990102.xlsx"));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const rows = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    expect(rows("考场")[0]).toEqual(["考场号", "考场位置", "座位数", "批次数", "已编排"]);
    expect(rows("考场").slice(1)).toEqual([
      ["07", "实验楼 301", 40, 4, 0],
      ["09", "", 30, 1, 0],
    ]);
    expect(rows("批次")[1].slice(0, 6)).toEqual(["07#3", "07", "2027-03-27", "13:00", "15:00", 40]);
    // Scope (ORG-2): a site always gets its own; a province cannot reach another province's site.
    const own = (await exportRoute.loader({
      request: makeRequest(`${PAGE}/export?site=${id990102}`, { cookie: site1 }),
      params: {},
      context: {},
    })) as Response;
    expect(own.headers.get("Content-Disposition")).toContain(encodeURIComponent("考场管理-990101.xlsx"));
    expect((await load(exportRoute, `${PAGE}/export?site=${await orgId("500101")}`, province)).status).toBe(403);
  });
});

describe("rooms import (ROOM-1)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-rooms-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function write(name: string, rows: unknown[][], header = ["考场号*", "考场位置", "座位数*"]) {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("填写说明").addRow(["说明"]);
    const ws = wb.addWorksheet("考场信息");
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
    const request = new Request("http://localhost:3000/admin/rooms/import", {
      method: "POST",
      body: form,
      headers: { Cookie: site2, "x-kaowu-client-ip": "127.0.0.1" },
    });
    const r = await run(() => importRoute.action({ request, params: {}, context: {} }));
    await waitForInlineIdle();
    return r;
  }
  const last = async () => shown((await load(importRoute, "/admin/rooms/import", site2)).data.last?.result);

  it("ROOM-1: the template imports; a file with a duplicate number or bad seats imports nothing and names every cell", async () => {
    const before = (await rooms()).length;
    const bad = await write("bad.xlsx", [
      ["10", "综合楼 101", 45],
      ["11", "综合楼 102", "四十"],
      [10, "综合楼 103", 30],
      ["07", "", 40],
    ]);
    expect((await upload(bad)).data).toMatchObject({ ok: true });
    const refused = await last();
    expect(refused.ok).toBe(false);
    expect(
      refused.errors.map((e: { row: number; column: string; message: string }) => [e.row, e.column, e.message]),
    ).toEqual([
      [3, "座位数", "座位数应为 1 至 999 的整数。"],
      [4, "考场号", "考场号与第 2 行重复。"],
      [5, "考场号", "考场号 07 已存在。"],
    ]);
    expect((await rooms()).length).toBe(before);

    const good = await write("good.xlsx", [
      [10, "综合楼 101", 45],
      ["11", "综合楼 102", "４０"],
      ["07", "实验楼 301（新）", 40],
    ]);
    await upload(good, true);
    expect(await last()).toMatchObject({ ok: true, rows: 3, inserted: 2, updated: 1 });
    const now = await rooms();
    expect(now.find((r) => r.number === "10")).toMatchObject({ location: "综合楼 101", seats: 45 });
    expect(now.find((r) => r.number === "07")).toMatchObject({ location: "实验楼 301（新）", seats: 40 });
    expect(await auditCount("rooms.import")).toBe(1);
  });

  it("X-3/WIN-3: a file that is not a spreadsheet is refused; outside the window nobody imports", async () => {
    const txt = path.join(dir, "rooms.xlsx");
    fs.writeFileSync(txt, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    const r = await upload(txt);
    expect(r.data.ok).toBe(false);
    const form = new FormData();
    form.append("file", new Blob([fs.readFileSync(await write("x.xlsx", [["12", "", 30]]))]), "x.xlsx");
    const request = new Request("http://localhost:3000/admin/rooms/import", {
      method: "POST",
      body: form,
      headers: { Cookie: site1, "x-kaowu-client-ip": "127.0.0.1" },
    });
    expect((await run(() => importRoute.action({ request, params: {}, context: {} }))).status).toBe(403);
  });
});
