import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as importRoute from "../../app/routes/admin.records.import";
import * as recordsRoute from "../../app/routes/admin.records._index";
import * as templateRoute from "../../app/routes/admin.records.template";
import { classifyCandidate, findPrefillRecord } from "../../app/services/student-record-hooks.server";
import { getDb } from "../../db/client";
import { parseStudentRecordImportRow } from "../../app/domain/student-record";
import { openStudentRecordImport } from "../../app/services/import-student-records.server";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, auditCount, load, orgId, run, sessionCookie } from "../factories";
import { HEADERS, recordRow, residentId, tmpDir, writeCsv, writeXlsx } from "../fixtures/student-records";
import { shown } from "../factories/shown";

let site1: string, site2: string, site201: string;
let id990101: number, id990201: number, sittingId: number;
const dir = tmpDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  [site1, site2, site201] = await Promise.all(
    ["site990101", "site990102", "site990201"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  [id990101, id990201] = await Promise.all(["990101", "990201"].map(orgId));
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
});

async function upload(cookie: string, file: string, opts: { overwrite?: boolean; name?: string } = {}) {
  const form = new FormData();
  form.append("file", new Blob([fs.readFileSync(file)]), opts.name ?? path.basename(file));
  if (opts.overwrite) form.append("overwrite", "on");
  const request = new Request("http://localhost:3000/admin/records/import", {
    method: "POST",
    body: form,
    headers: { Cookie: cookie, "x-kaowu-client-ip": "127.0.0.1" },
  });
  const r = await run(() => importRoute.action({ request, params: {}, context: {} }));
  await waitForInlineIdle();
  return r;
}

async function lastResult(cookie: string) {
  return shown((await load(importRoute, "/admin/records/import", cookie)).data.last?.result);
}

const count = async (orgIdValue: number) =>
  Number(
    (
      await getDb()
        .selectFrom("student_record")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("org_id", "=", orgIdValue)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("student-record template and import", () => {
  it("SR-2: the template has the data sheet with drop-downs and text ID columns, plus instructions, samples and code tables", async () => {
    const res = (await templateRoute.loader({
      request: new Request("http://localhost/admin/records/template", { headers: { Cookie: site1 } }),
      params: {},
      context: {},
    })) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["学籍信息", "填写说明", "样例数据", "码表"]);
    const data = wb.getWorksheet("学籍信息")!;
    expect(data.getRow(1).getCell(6).value).toBe("证件号码*");
    expect(data.getColumn(6).numFmt).toBe("@");
    expect(data.getCell("C2").dataValidation?.type).toBe("list");
    // The template's own sample rows import cleanly.
    const sample = wb.getWorksheet("样例数据")!;
    const file = path.join(dir, "from-sample.xlsx");
    const rows: Array<Record<string, unknown>> = [];
    sample.eachRow((row, n) => {
      if (n === 1) return;
      const headers = (sample.getRow(1).values as string[]).slice(1);
      rows.push(
        Object.fromEntries(
          headers.map((h, i) => [
            h === "序号" || !["姓名", "性别", "出生日期", "证件类型", "证件号码", "民族", "文化程度"].includes(h)
              ? h
              : `${h}*`,
            (row.values as unknown[])[i + 1],
          ]),
        ),
      );
    });
    await writeXlsx(file, rows);
    await upload(site201, file);
    expect(await lastResult(site201)).toMatchObject({ ok: true, rows: 2, inserted: 2 });
  });

  it("SR-3: a file with mistakes imports nothing and lists every error by row and column (CAN-3)", async () => {
    const rows = Array.from({ length: 20 }, (_, i) => recordRow(i));
    rows[3] = recordRow(3, { "证件号码*": "330105197810270024" }); // wrong check digit
    rows[7] = recordRow(7, { "性别*": "未知性别" });
    rows[12] = recordRow(12, { "出生日期*": "2005-02-30" });
    const file = await writeXlsx(path.join(dir, "three-mistakes.xlsx"), rows);
    const before = await count(id990101);
    const r = await upload(site1, file);
    expect(r.data).toMatchObject({ ok: true });
    const result = await lastResult(site1);
    expect(result.ok).toBe(false);
    expect(result.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [5, "证件号码"],
      [9, "性别"],
      [14, "出生日期"],
    ]);
    expect(result.errors[0].message).toContain("校验位");
    expect(await count(id990101)).toBe(before);
    // The whole report downloads as .xlsx.
    const report = await getDb()
      .selectFrom("stored_file")
      .selectAll()
      .where("id", "=", result.reportFileId)
      .executeTakeFirstOrThrow();
    expect(report.kind).toBe("import-errors");
  });

  it("SR-3/CAN-3: once fixed, the same file imports; full-width digits, lower-case x, mixed date styles and codes or names are accepted", async () => {
    const rows = Array.from({ length: 20 }, (_, i) => recordRow(i));
    rows[0] = recordRow(0, {
      "证件号码*": residentId("2005-03-08", 101).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)),
    });
    rows[1] = recordRow(1, { "出生日期*": 38419 }); // Excel serial of 2005-03-08
    rows[2] = recordRow(2, { "出生日期*": "2005/3/8", "民族*": "01", "文化程度*": "20", "性别*": "1" });
    rows[4] = recordRow(4, { "出生日期*": "20050308", 联系电话: "138-0013-8000" });
    rows[5] = recordRow(5, { "出生日期*": "1949-12-31", "证件号码*": "11010519491231002x", "性别*": "女" });
    const file = await writeXlsx(path.join(dir, "fixed.xlsx"), rows, { extraSheetsFirst: true, titleRow: true });
    await upload(site1, file);
    const result = await lastResult(site1);
    expect(result).toMatchObject({ ok: true, rows: 20, inserted: 20 });
    const stored = await getDb()
      .selectFrom("student_record")
      .selectAll()
      .where("id_number", "=", "11010519491231002X")
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ org_id: id990101, gender: "2", birth_date: "1949-12-31", education: "20" });
    expect(await auditCount("records.import")).toBeGreaterThan(0);
  });

  it("SR-4: the same ID at the same site fails without 'overwrite' and updates with it", async () => {
    const file = await writeXlsx(path.join(dir, "again.xlsx"), [recordRow(6, { 班级: "软件2302" })]);
    await upload(site1, file);
    const refused = await lastResult(site1);
    expect(refused.ok).toBe(false);
    expect(refused.errors[0].message).toContain("覆盖");
    await upload(site1, file, { overwrite: true });
    expect(await lastResult(site1)).toMatchObject({ ok: true, updated: 1 });
    expect(
      (
        await getDb()
          .selectFrom("student_record")
          .select("class_name")
          .where("id_number", "=", recordRow(6)["证件号码*"] as string)
          .executeTakeFirstOrThrow()
      ).class_name,
    ).toBe("软件2302");
  });

  it("SR-4: the same ID at another site is taken over, unless that would lower the education level", async () => {
    const lower = await writeXlsx(path.join(dir, "lower.xlsx"), [recordRow(8, { "文化程度*": "专科" })]);
    await upload(site201, lower);
    const refused = await lastResult(site201);
    expect(refused.ok).toBe(false);
    expect(refused.errors[0]).toMatchObject({ column: "文化程度" });
    const same = await writeXlsx(path.join(dir, "same-level.xlsx"), [recordRow(8)]);
    await upload(site201, same);
    expect(await lastResult(site201)).toMatchObject({ ok: true, replaced: 1 });
    expect(
      (
        await getDb()
          .selectFrom("student_record")
          .select("org_id")
          .where("id_number", "=", recordRow(8)["证件号码*"] as string)
          .executeTakeFirstOrThrow()
      ).org_id,
    ).toBe(id990201);
  });

  it("SR-3: written while read, an error in a later part rolls back the parts already written", async () => {
    const site = await orgId("990101");
    const typed = (i: number, over: Partial<Record<string, unknown>> = {}) => {
      const cells = recordRow(7000 + i, {
        "出生日期*": "2003-02-01",
        "证件号码*": residentId("2003-02-01", i * 2 + 1, "110102"),
        ...over,
      });
      // The reader hands cells over under the template's header without its required mark.
      const r = parseStudentRecordImportRow(
        Object.fromEntries(Object.entries(cells).map(([k, v]) => [k.replace(/\*$/, ""), v])),
      );
      expect(r.errors).toBeUndefined();
      return { row: i + 2, value: r.value! };
    };
    const count = async () =>
      Number(
        (
          await getDb()
            .selectFrom("student_record")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const actor = { accountId: null, name: "test", orgId: site, sittingId: null, ip: null };
    const parts = [
      [typed(0), typed(1)],
      [typed(2), { ...typed(3), value: { ...typed(3).value, id_number: typed(0).value.id_number } }],
    ];
    const s = await openStudentRecordImport(actor, site, false);
    s.push(parts[0], false);
    // The second part repeats the first part's ID number.
    s.push(parts[1], false);
    const out = await s.finish(false);
    expect(out.ok).toBe(false);
    expect(out.errors.map((e) => [e.row, e.key])).toEqual([[5, "records.duplicate_in_file"]]);
    expect(await count()).toBe(before);
    const clean = await openStudentRecordImport(actor, site, false);
    clean.push([typed(0)], false);
    clean.push([typed(1)], false);
    expect(await clean.finish(false)).toMatchObject({ ok: true, inserted: 2 });
    expect(await count()).toBe(before + 2);
  });

  it("X-2/SR-3: a 3,001-row import writes in several chunks while reporting progress, and finishes (no stall on PGlite's single connection)", async () => {
    const rows = Array.from({ length: 3001 }, (_, i) =>
      recordRow(1000 + i, {
        "出生日期*": "2004-06-01",
        "证件号码*": residentId("2004-06-01", (i % 499) * 2 + 1, String(110101 + Math.floor(i / 499))),
      }),
    );
    const file = await writeXlsx(path.join(dir, "big.xlsx"), rows);
    await upload(site201, file);
    expect(await lastResult(site201)).toMatchObject({ ok: true, rows: 3001, inserted: 3001 });
    const job = await getDb()
      .selectFrom("job")
      .selectAll()
      .where("type", "=", "student-record-import")
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: "done", progress: 100 });
  });

  it("SR-1: records are kept across sittings: they carry no sitting", async () => {
    const cols = await getDb().selectFrom("student_record").selectAll().limit(1).execute();
    expect(Object.keys(cols[0])).not.toContain("sitting_id");
  });
});

describe("bad input changes nothing (X-3)", () => {
  const cases: Array<[string, () => Promise<string> | string, string]> = [
    [
      "a RAR renamed .xlsx",
      () => {
        const f = path.join(dir, "rar.xlsx");
        fs.writeFileSync(f, Buffer.concat([Buffer.from("Rar!\x1a\x07\x00", "latin1"), Buffer.alloc(100)]));
        return f;
      },
      "不是 Excel",
    ],
    [
      "an old .xls",
      () => {
        const f = path.join(dir, "old.xlsx");
        fs.writeFileSync(
          f,
          Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(500)]),
        );
        return f;
      },
      ".xls",
    ],
    [
      "a PNG renamed .xlsx",
      () => {
        const f = path.join(dir, "png.xlsx");
        fs.writeFileSync(
          f,
          Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]),
        );
        return f;
      },
      "不是 Excel",
    ],
  ];
  it.each(cases)("X-3: %s is refused at upload with a clear message", async (_l, make, message) => {
    const before = await count(id990101);
    const r = await upload(site1, await make(), { name: "学籍.xlsx" });
    expect(r.status).toBe(400);
    expect(r.data.error).toContain(message);
    expect(await count(id990101)).toBe(before);
  });

  const fileCases: Array<[string, () => Promise<string>, string]> = [
    [
      "a renamed data sheet",
      () => writeXlsx(path.join(dir, "renamed.xlsx"), [recordRow(30)], { sheet: "Sheet1" }),
      "没有“学籍信息”工作表（找到：Sheet1",
    ],
    [
      "a missing required header",
      () =>
        writeXlsx(path.join(dir, "no-id.xlsx"), [recordRow(31)], {
          headers: ["序号", "姓名*", "性别*", "出生日期*", "证件类型*", "民族*", "文化程度*"],
        }),
      "缺少必需的列：证件号码",
    ],
    [
      "an 18-digit ID stored as a number",
      () => writeXlsx(path.join(dir, "number-id.xlsx"), [recordRow(32, { "证件号码*": 110105200503081360 })]),
      "存成了数字",
    ],
    [
      "a formula cell with its result",
      async () =>
        writeXlsx(path.join(dir, "formula.xlsx"), [
          recordRow(33, {
            "姓名*": { formula: '"王"&"五"', result: "王五" },
            "性别*": { formula: 'IF(1,"女","男")', result: "女" },
            "证件号码*": residentId("2005-03-08", 200),
          }),
        ]),
      "",
    ],
    [
      "blank rows in the middle and at the end",
      () => writeXlsx(path.join(dir, "blank.xlsx"), [recordRow(34), {}, {}, recordRow(35), {}, {}]),
      "",
    ],
  ];
  it.each(fileCases)("X-3/SR-2: %s", async (_l, make, message) => {
    const before = await count(id990101);
    await upload(site1, await make());
    const result = await lastResult(site1);
    if (message) {
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).toContain(message);
      expect(await count(id990101)).toBe(before);
    } else {
      expect(result.ok).toBe(true);
      expect(await count(id990101)).toBeGreaterThan(before);
    }
  });

  it.each([["utf8"], ["utf8bom"], ["gbk"]] as const)(
    "X-3: a CSV in %s imports with its Chinese intact",
    async (encoding) => {
      const rows = [recordRow(40 + ["utf8", "utf8bom", "gbk"].indexOf(encoding) * 2, { "姓名*": "欧阳娜娜" })];
      await upload(site1, writeCsv(path.join(dir, `${encoding}.csv`), rows, encoding), { name: "学籍.csv" });
      expect(await lastResult(site1)).toMatchObject({ ok: true, inserted: 1 });
      const r = await getDb()
        .selectFrom("student_record")
        .select("name")
        .where("id_number", "=", rows[0]["证件号码*"] as string)
        .executeTakeFirstOrThrow();
      expect(r.name).toBe("欧阳娜娜");
    },
  );

  it("X-3: an upload over the size cap is refused while streaming, before it is read whole", async () => {
    process.env.UPLOAD_MAX_BYTES = String(1024 * 1024);
    const { resetEnvCache } = await import("../../app/utils/env.server");
    resetEnvCache();
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(65);
    const total = 64 * 1024 * 1024; // 64 MB offered; a 2 GB upload behaves the same way
    const boundary = "----kaowu";
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(head);
      },
      pull(c) {
        if (pulled >= total) return c.close();
        pulled += chunk.length;
        c.enqueue(chunk);
      },
    });
    const request = new Request("http://localhost:3000/admin/records/import", {
      method: "POST",
      body,
      duplex: "half",
      headers: { Cookie: site1, "Content-Type": `multipart/form-data; boundary=${boundary}` },
    } as RequestInit);
    const r = await run(() => importRoute.action({ request, params: {}, context: {} }));
    expect(r.status).toBe(413);
    expect(r.data.error).toContain("1 MB");
    expect(pulled).toBeLessThan(8 * 1024 * 1024);
    delete process.env.UPLOAD_MAX_BYTES;
    resetEnvCache();
  });

  it("X-3: a zip bomb disguised as an .xlsx is refused before it is unpacked", async () => {
    const { default: zipBomb } = await import("../fixtures/zip-bomb");
    const f = path.join(dir, "bomb.xlsx");
    fs.writeFileSync(f, zipBomb());
    const r = await upload(site1, f);
    expect(r.status).toBe(400);
    expect(r.data.error).toContain("压缩炸弹");
  });

  it("X-3: a zip with a `../` path is refused", async () => {
    const { makeZip } = await import("../fixtures/zip-bomb");
    const f = path.join(dir, "traversal.xlsx");
    fs.writeFileSync(
      f,
      makeZip([
        { name: "[Content_Types].xml", data: Buffer.from("<Types/>") },
        { name: "xl/workbook.xml", data: Buffer.from("<workbook/>") },
        { name: "../../etc/cron.d/evil", data: Buffer.from("* * * * * root true") },
      ]),
    );
    const r = await upload(site1, f);
    expect(r.status).toBe(400);
    expect(r.data.error).toContain("不安全的路径：../../etc/cron.d/evil");
  });

  it("WIN-2/WIN-3: imports belong to the eligibility window; outside it they are refused", async () => {
    const r = await upload(site2, await writeXlsx(path.join(dir, "closed.xlsx"), [recordRow(50)]));
    expect(r.status).toBe(403);
    expect(r.data.error).toContain("报名资格管理时间");
  });
});

describe("registry management", () => {
  it("SR-5: search with filters and paging; IDs are masked in the list (X-4)", async () => {
    const all = await load(recordsRoute, "/admin/records", site1);
    expect(all.data.total).toBeGreaterThan(20);
    expect(all.data.rows[0].id_number).toMatch(/^\*{14}[\dX]{4}$/);
    const one = await load(recordsRoute, "/admin/records?name=学生5&className=软件2301", site1);
    expect(one.data.rows.every((r: { name: string }) => r.name.includes("学生5"))).toBe(true);
    // A site never sees another site's records.
    expect(
      (await load(recordsRoute, "/admin/records?name=学生9", site201)).data.rows.map((r: { name: string }) => r.name),
    ).not.toContain("学生10");
  });

  it("SR-5: add, edit and delete one record through the same rules as the import", async () => {
    const id = residentId("2006-01-02", 301);
    const bad = await act(recordsRoute, "/admin/records", site1, {
      intent: "add",
      name: "赵六",
      gender: "1",
      birth_date: "2006-01-02",
      id_type: "1",
      id_number: id.slice(0, 17) + (id[17] === "0" ? "1" : "0"),
      ethnicity: "01",
      education: "20",
    });
    expect(bad.data.error).toContain("校验位");
    expect(
      (
        await act(recordsRoute, "/admin/records", site1, {
          intent: "add",
          name: "赵六",
          gender: "1",
          birth_date: "2006-01-02",
          id_type: "1",
          id_number: id,
          ethnicity: "01",
          education: "20",
        })
      ).data.ok,
    ).toBe(true);
    const rec = await getDb()
      .selectFrom("student_record")
      .selectAll()
      .where("id_number", "=", id)
      .executeTakeFirstOrThrow();
    expect(
      (
        await act(recordsRoute, "/admin/records", site1, {
          intent: "edit",
          id: rec.id,
          name: "赵六六",
          gender: "1",
          birth_date: "2006-01-02",
          id_type: "1",
          id_number: id,
          ethnicity: "01",
          education: "10",
          class_name: "研一",
        })
      ).data.ok,
    ).toBe(true);
    expect(
      await getDb()
        .selectFrom("student_record")
        .select(["name", "education"])
        .where("id", "=", rec.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ name: "赵六六", education: "10" });
    // Another site cannot edit or delete it.
    expect((await act(recordsRoute, "/admin/records", site201, { intent: "delete", id: rec.id })).status).toBe(403);
    expect((await act(recordsRoute, "/admin/records", site1, { intent: "delete", id: rec.id })).data.ok).toBe(true);
  });

  it("SR-5: deleting all search results states the count and deletes exactly those", async () => {
    const list = await load(recordsRoute, "/admin/records?className=软件2302", site1);
    const n = list.data.total;
    expect(n).toBeGreaterThan(0);
    const stale = await act(recordsRoute, "/admin/records?className=软件2302", site1, {
      intent: "delete-all",
      count: n + 1,
    });
    expect(stale.data.error).toContain(`${n} 条`);
    const ok = await act(recordsRoute, "/admin/records?className=软件2302", site1, { intent: "delete-all", count: n });
    expect(ok.data).toMatchObject({ ok: true, count: n });
    expect((await load(recordsRoute, "/admin/records?className=软件2302", site1)).data.total).toBe(0);
  });

  it("SR-6: a record pre-fills registration where the registry is on, the record may register and the name matches; SR-7 classification follows", async () => {
    const id = recordRow(9)["证件号码*"] as string; // at 990101
    expect(await findPrefillRecord(sittingId, id990101, id, "学生10")).toBeNull(); // registry off at 990101
    await getDb()
      .updateTable("site_setting")
      .set({ registry_enabled: true })
      .where("org_id", "=", id990101)
      .where("sitting_id", "=", sittingId)
      .execute();
    expect((await findPrefillRecord(sittingId, id990101, ` ${id.toLowerCase()} `, "学生10"))?.name).toBe("学生10");
    expect(await findPrefillRecord(sittingId, id990101, id, "别人")).toBeNull(); // SR-6: the ID alone finds nothing
    expect(await classifyCandidate(sittingId, id990101, id, "学生10")).toEqual({ refusal: null, kind: "registry" });
    expect(await classifyCandidate(sittingId, id990101, id, "别人")).toEqual({ refusal: null, kind: "public" });
    expect(await classifyCandidate(sittingId, id990101, residentId("2000-01-01", 999), "某人")).toEqual({
      refusal: null,
      kind: "public",
    });
    await getDb()
      .updateTable("site_setting")
      .set({ only_site_registry: true })
      .where("org_id", "=", id990101)
      .where("sitting_id", "=", sittingId)
      .execute();
    expect((await classifyCandidate(sittingId, id990101, residentId("2000-01-01", 999), "某人")).refusal).toBe(
      "eligibility.site_registry_only",
    );
  });

  it("SET-9: the template's 可报考考点 column and the record page set where a record's candidate may register", async () => {
    const id990102 = await orgId("990102");
    const tpl = (await templateRoute.loader({
      request: new Request("http://localhost/admin/records/template", { headers: { Cookie: site1 } }),
      params: {},
      context: {},
    })) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await tpl.arrayBuffer()) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    expect(wb.getWorksheet("学籍信息")!.getRow(1).values).toContain("可报考考点");

    const withEligible = [...HEADERS, "可报考考点"];
    const fresh = (i: number, over: Record<string, unknown>) =>
      recordRow(i, { "出生日期*": "2007-07-09", "证件号码*": residentId("2007-07-09", 501 + 2 * i), ...over });
    const rows = [
      fresh(40, { 可报考考点: "990102、990201" }),
      fresh(41, { 可报考考点: "全省" }),
      fresh(42, { 可报考考点: "" }),
    ];
    // A site of another province cannot be listed: the whole file is refused, naming the cell.
    const wrong = await writeXlsx(
      path.join(dir, "eligible-wrong.xlsx"),
      [...rows, fresh(43, { 可报考考点: "500101" })],
      { headers: withEligible },
    );
    await upload(site1, wrong);
    const refused = await lastResult(site1);
    expect(refused.ok).toBe(false);
    expect(refused.errors).toEqual([
      expect.objectContaining({
        row: 5,
        column: "可报考考点",
        value: "500101",
        message: "考点代码 500101 不是本省的考点。",
      }),
    ]);
    const idOf = (r: Record<string, unknown>) => r["证件号码*"] as string;
    const stored = async (r: Record<string, unknown>) =>
      (
        await getDb()
          .selectFrom("student_record")
          .select("eligible_site_ids")
          .where("id_number", "=", idOf(r))
          .executeTakeFirst()
      )?.eligible_site_ids;
    expect(await stored(rows[0])).toBeUndefined();

    await upload(site1, await writeXlsx(path.join(dir, "eligible.xlsx"), rows, { headers: withEligible }));
    expect(await lastResult(site1)).toMatchObject({ ok: true, inserted: 3 });
    expect(await stored(rows[0])).toEqual([id990102, id990201]);
    expect(await stored(rows[1])).toEqual([]);
    expect(await stored(rows[2])).toBeNull();

    // The rule the list feeds: 990102 accepts this province's registry candidates where their record allows (§十九 5.1).
    await getDb()
      .updateTable("site_setting")
      .set({ registry_enabled: true, only_province_registry: true, only_site_registry: false })
      .where("org_id", "=", id990102)
      .where("sitting_id", "=", sittingId)
      .execute();
    const at990102 = (r: Record<string, unknown>) =>
      classifyCandidate(sittingId, id990102, idOf(r), r["姓名*"] as string);
    expect((await at990102(rows[0])).refusal).toBeNull();
    expect((await at990102(rows[1])).refusal).toBeNull();
    expect((await at990102(rows[2])).refusal).toBe("eligibility.not_eligible_site");

    // The page shows the codes, and its form sets them through the same parser.
    const list = await load(recordsRoute, `/admin/records?name=${encodeURIComponent("学生43")}`, site1);
    const shownRow = list.data.rows.find((r: { name: string }) => r.name === "学生43");
    expect(shownRow.eligible_sites).toBeNull();
    const rec = await getDb()
      .selectFrom("student_record")
      .selectAll()
      .where("id_number", "=", idOf(rows[2]))
      .executeTakeFirstOrThrow();
    const form = {
      intent: "edit",
      id: rec.id,
      name: rec.name,
      gender: rec.gender,
      birth_date: rec.birth_date,
      id_type: rec.id_type,
      id_number: rec.id_number,
      ethnicity: rec.ethnicity,
      education: rec.education,
    };
    const bad = await act(recordsRoute, "/admin/records", site1, { ...form, eligible_sites: "9901" });
    expect(bad.data.error).toContain("6 位考点代码");
    const other = await act(recordsRoute, "/admin/records", site1, { ...form, eligible_sites: "500101" });
    expect(other.data.error).toContain("不是本省的考点");
    expect(await stored(rows[2])).toBeNull();
    expect((await act(recordsRoute, "/admin/records", site1, { ...form, eligible_sites: "990102" })).data.ok).toBe(
      true,
    );
    expect(await stored(rows[2])).toEqual([id990102]);
    expect((await at990102(rows[2])).refusal).toBeNull();
    const edit = await load(recordsRoute, `/admin/records?edit=${rec.id}`, site1);
    expect(edit.data.editing.eligible_sites).toBe("990102");
    expect(edit.data.rows.find((r: { id: number }) => r.id === rec.id)?.eligible_sites ?? ["990102"]).toEqual([
      "990102",
    ]);
    await getDb()
      .updateTable("site_setting")
      .set({ registry_enabled: false, only_province_registry: false })
      .where("org_id", "=", id990102)
      .where("sitting_id", "=", sittingId)
      .execute();
  });
});
