import fs from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../../app/domain/errors";
import * as importRoute from "../../app/routes/admin.records.import";
import { unpackGroupUpload } from "../../app/imports/group-upload.server";
import { waitForInlineIdle } from "../../jobs/runner";
import { load, run, sessionCookie } from "../factories";
import { HEADERS, recordRow, tmpDir, writeCsv } from "../fixtures/student-records";
import { writeZip } from "../fixtures/zip-parts";
import { shown } from "../factories/shown";

// Issue 13, items 5 and 7: every writer's .xlsx imports the same, and a file that cannot be imported says why.

const WRITERS = path.join(__dirname, "../fixtures/writers");
const dir = tmpDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let site1: string;
beforeAll(async () => {
  site1 = await sessionCookie("site990101@example.com");
});

async function upload(file: string, name = path.basename(file), overwrite = true) {
  const form = new FormData();
  form.append("file", new Blob([fs.readFileSync(file)]), name);
  if (overwrite) form.append("overwrite", "on");
  const request = new Request("http://localhost:3000/admin/records/import", {
    method: "POST",
    body: form,
    headers: { Cookie: site1, "x-kaowu-client-ip": "127.0.0.1" },
  });
  const r = await run(() => importRoute.action({ request, params: {}, context: {} }));
  await waitForInlineIdle();
  return r;
}
const lastResult = async () => shown((await load(importRoute, "/admin/records/import", site1)).data.last?.result);

describe("every writer's .xlsx imports the same (SR-2, GRP-1)", () => {
  it.each([
    "openpyxl.xlsx",
    "xlsxwriter.xlsx",
    "xlsxwriter-1904.xlsx",
    "libreoffice-style.xlsx",
    "excel-order-inline.xlsx",
    "exceljs-template.xlsx",
  ])("SR-2: a file from %s imports both students through the job", async (name) => {
    expect((await upload(path.join(WRITERS, name))).status).toBe(200);
    expect(await lastResult()).toMatchObject({ ok: true, rows: 2 });
  });

  it("SR-2: a formula saved without its value (openpyxl) is named, not reported as an empty required field", async () => {
    await upload(path.join(WRITERS, "openpyxl-formula.xlsx"));
    const result = await lastResult();
    expect(result.ok).toBe(false);
    const row3 = result.errors.filter((e: { row: number }) => e.row === 3);
    expect(row3).toEqual([
      { row: 3, column: "民族", value: '="汉"&"族"', message: expect.stringContaining("公式没有保存计算结果") },
    ]);
  });
});

describe("messages that say what is wrong (X-3, item 7)", () => {
  it("SR-2: a CSV saved by Excel with IDs like 1.10105E+17 gets the 'stored as a number, digits lost' advice", async () => {
    await upload(writeCsv(path.join(dir, "sci.csv"), [recordRow(1, { "证件号码*": "1.10105E+17" })]), "学籍.csv");
    const result = await lastResult();
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({
      column: "证件号码",
      value: "1.10105E+17",
      message: expect.stringContaining("存成了数字"),
    });
  });

  it("X-3: an empty file is named as empty, not 'choose a file'", async () => {
    const f = path.join(dir, "empty.csv");
    fs.writeFileSync(f, "");
    const r = await upload(f, "学籍.csv");
    expect(r.status).toBe(400);
    expect(r.data.error).toContain("“学籍.csv”是空文件");
  });

  it("X-3: a UTF-16 file (Excel's 'Unicode text') is named as such", async () => {
    const f = path.join(dir, "utf16.csv");
    fs.writeFileSync(
      f,
      Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(`${HEADERS.join("\t")}\r\n`, "utf16le")]),
    );
    const r = await upload(f, "学籍.txt");
    expect(r.status).toBe(400);
    expect(r.data.error).toContain("UTF-16");
    // Without the byte-order mark too.
    fs.writeFileSync(f, iconv.encode(`${HEADERS.join(",")}\r\n1,abc\r\n`, "utf16le"));
    expect((await upload(f, "学籍.csv")).data.error).toContain("UTF-16");
  });

  it("X-3: a tab-separated file saved as .csv is named as such", async () => {
    const f = path.join(dir, "tabs.csv");
    const r = recordRow(2);
    fs.writeFileSync(f, `${HEADERS.join("\t")}\r\n${HEADERS.map((h) => String(r[h] ?? "")).join("\t")}\r\n`);
    await upload(f, "学籍.csv");
    expect((await lastResult()).fatal).toContain("“学籍.csv”是用制表符（Tab）分隔的文本文件");
  });

  it("SR-3: a 20,000-character cell is cut in the error table (the report keeps it whole)", async () => {
    await upload(writeCsv(path.join(dir, "long.csv"), [recordRow(3, { 备注: "长".repeat(20_000) })]), "学籍.csv");
    const result = await lastResult();
    const e = result.errors.find((x: { column: string }) => x.column === "备注");
    expect(e.value.length).toBeLessThan(260);
    expect(e.value).toContain("共 20000 个字符");
  });

  it("GRP-1: an old .xls inside a group zip is named as an old .xls, even under an .xlsx name", async () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1000)]);
    const zip = writeZip(path.join(dir, "group.zip"), [{ name: "集体报名.xlsx", data: xls }]);
    const err = await unpackGroupUpload(zip, "集体报名.zip").then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(err) && { key: err.key, params: err.params }).toEqual({
      key: "group.zip_old_xls",
      params: { name: "集体报名.xlsx" },
    });
  });
});
