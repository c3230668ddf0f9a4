import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Locator, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { residentId } from "../fixtures/student-records";
import { ARTIFACTS, gotoHydrated, hydrated, logIn, useE2E } from "./harness";

// SR-2/SR-3/X-3 in the browser: a site office downloads the template, fills it in Excel style
// (mixed date and code styles, a full-width ID, phones as text), makes three mistakes, reads the
// error table, fixes them and imports. The import runs as a background job; the page revalidates
// when it finishes.

const e2e = useE2E();

const SITE_LOGIN = "site990101@example.com";
const SHEET = "学籍信息";
/** A class name no seeded record has, to list exactly the imported rows. */
const CLASS = "软件E2E01";

async function recordsTotal(page: Page, query = "") {
  await page.goto(`/admin/records${query}`);
  const p = page.locator("p[data-total]");
  await p.waitFor();
  return Number(await p.getAttribute("data-total"));
}

const FULL_WIDTH = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const pad2 = (n: number) => String(n).padStart(2, "0");

interface Student {
  name: string;
  male: boolean;
  /** YYYY-MM-DD */
  birth: string;
  id: string;
}

const NAMES = [
  "王芳",
  "李强",
  "张敏",
  "刘洋",
  "陈静",
  "杨帆",
  "赵磊",
  "黄丽",
  "周杰",
  "吴婷",
  "徐涛",
  "孙悦",
  "胡军",
  "朱琳",
  "高翔",
  "林珊",
  "何斌",
  "郭蕾",
  "马超",
  "罗娜",
];

/** Twenty students with valid resident IDs (odd sequence = male), born 2004–2005. */
function students(): Student[] {
  return NAMES.map((name, i) => {
    const male = i % 2 === 1;
    // Row 17 (Excel row 19) is born on 2005-02-28: its mistake is the impossible 2005-02-30.
    const birth = i === 17 ? "2005-02-28" : `${2004 + (i % 2)}-${pad2((i % 12) + 1)}-${pad2(((i * 7) % 28) + 1)}`;
    const seq = 300 + i * 2 + (male ? 1 : 0);
    return { name, male, birth, id: residentId(birth, seq, "110108") };
  });
}

// The three mistakes (0-based data rows; Excel row = i + 2 since the header is row 1).
const BAD_ID = 4;
const BAD_GENDER = 11;
const BAD_DATE = 17;

/** The same ID with a wrong check character. */
function wrongCheckDigit(id: string) {
  const last = id[17];
  return id.slice(0, 17) + (last === "0" ? "1" : "0");
}

/** Reads header row 1 of the data sheet: column name (without the trailing *) → column number. */
function headerColumns(ws: ExcelJS.Worksheet): Map<string, number> {
  const cols = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => {
    const name = String(cell.value ?? "")
      .replace(/\*$/, "")
      .trim();
    if (name) cols.set(name, col);
  });
  return cols;
}

/** Fills 20 rows the way a school office would, with the three mistakes. */
function fillSheet(ws: ExcelJS.Worksheet, people: Student[]) {
  const cols = headerColumns(ws);
  for (const h of [
    "序号",
    "姓名",
    "性别",
    "出生日期",
    "证件类型",
    "证件号码",
    "民族",
    "文化程度",
    "职业",
    "培训类型",
    "学号",
    "院系",
    "专业",
    "班级",
    "联系电话",
    "电子邮箱",
    "通讯地址",
    "邮政编码",
    "备注",
  ]) {
    expect(cols.has(h), `template header has ${h}`).toBe(true);
  }
  const set = (row: number, col: string, value: ExcelJS.CellValue, numFmt?: string) => {
    const cell = ws.getRow(row).getCell(cols.get(col)!);
    cell.value = value;
    if (numFmt) cell.numFmt = numFmt;
  };
  people.forEach((s, i) => {
    const r = i + 2;
    const [y, m, d] = s.birth.split("-").map(Number);
    set(r, "序号", i + 1);
    set(r, "姓名", s.name);
    // Gender as a name, a code, or (one row) something that is neither.
    set(r, "性别", i === BAD_GENDER ? "未知性别" : i % 3 === 0 ? (s.male ? "1" : "2") : s.male ? "男" : "女");
    // Birth dates: real Excel dates, "2005/3/8", "20050308", "2005-03-08"; one impossible date.
    if (i === BAD_DATE) set(r, "出生日期", "2005-02-30");
    else if (i % 4 === 0) set(r, "出生日期", new Date(Date.UTC(y, m - 1, d)), "yyyy-mm-dd");
    else if (i % 4 === 1) set(r, "出生日期", `${y}/${m}/${d}`);
    else if (i % 4 === 2) set(r, "出生日期", `${y}${pad2(m)}${pad2(d)}`);
    else set(r, "出生日期", s.birth);
    set(r, "证件类型", i % 2 === 0 ? "居民身份证" : "1");
    // ID numbers as text; one typed with full-width digits, one with a wrong check digit.
    set(r, "证件号码", i === BAD_ID ? wrongCheckDigit(s.id) : i === 7 ? FULL_WIDTH(s.id) : s.id);
    set(r, "民族", i % 5 === 0 ? "01" : i % 5 === 3 ? "回族" : "汉族");
    set(r, "文化程度", i % 3 === 1 ? "20" : i % 3 === 2 ? "专科" : "本科");
    set(r, "职业", i % 2 === 0 ? "学生" : "S");
    set(r, "培训类型", i % 2 === 0 ? "学校课程" : "3");
    set(r, "学号", `2023${String(i + 1).padStart(4, "0")}`);
    set(r, "院系", "计算机学院");
    set(r, "专业", "软件工程");
    set(r, "班级", CLASS);
    set(r, "联系电话", `1380013${String(i).padStart(4, "0")}`);
    set(r, "电子邮箱", `student${i + 1}@example.com`);
    set(r, "通讯地址", "测试省第一地市学府路1号");
    set(r, "邮政编码", "999001");
    set(r, "备注", i === 0 ? "班长" : "");
  });
}

/** Sets the file input, submits, and returns the job id the action answered with. */
async function upload(page: Page, file: string): Promise<string> {
  await gotoHydrated(page, "/admin/records/import");
  const form = page.locator("form", { has: page.locator("input[type=file][name=file]") });
  await form.locator("input[type=file][name=file]").setInputFiles(file);
  expect(await form.locator("input[name=overwrite]").isChecked()).toBe(false);
  const submit = form.locator("button.primary", { hasText: "校验提交" });
  await hydrated(submit);
  // The answer is a personal page's data, sent with Cache-Control: no-store (issue 12), which the browser
  // does not keep for response.text(): read it on its way through.
  let body = "";
  const isUpload = (u: URL) => u.pathname.startsWith("/admin/records/import");
  await page.route(isUpload, async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    const answer = await route.fetch();
    body = await answer.text();
    await route.fulfill({ response: answer, body });
  });
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && isUpload(new URL(r.url()))),
    submit.click(),
  ]);
  await page.unroute(isUpload);
  expect(response.status(), "upload accepted").toBe(200);
  const jobId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(body)?.[0];
  expect(jobId, "the action answers with the import job's id").toBeTruthy();
  return jobId!;
}

/**
 * Waits until the job is finished (asking /jobs/:id as the page's user) and the page shows its
 * result; reloads the page if the revalidation after the job did not bring it.
 */
async function importResult(
  page: Page,
  jobId: string,
  ok: boolean,
  timeoutMs = 90_000,
): Promise<{ result: Locator; job: { status: string; result: { ok: boolean } | null } }> {
  const deadline = Date.now() + timeoutMs;
  let job: { status: string; result: { ok: boolean } | null } | undefined;
  await expect
    .poll(
      async () => {
        const res = await page.request.get(`/jobs/${jobId}`);
        job = (await res.json()) as typeof job;
        return job!.status;
      },
      { timeout: timeoutMs, interval: 250 },
    )
    .toMatch(/^(done|failed)$/);
  // A crashed job shows no result section: fail with what the job said instead of waiting.
  expect(job!.status, `import job ${jobId}: ${JSON.stringify(job)}`).toBe("done");
  const result = page.locator(`[data-testid=import-result][data-ok="${ok}"]`);
  for (;;) {
    try {
      await result.waitFor({ timeout: 10_000 });
      return { result, job: job! };
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.reload();
    }
  }
}

describe("Student records in the browser", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-e2e-records-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("SR-2/SR-3/X-3: a site downloads the template, fills 20 rows with three mistakes, sees the three errors, fixes them and imports", async () => {
    const started = Date.now();
    const page = await e2e.newPage();
    await logIn(page, SITE_LOGIN);
    expect(new URL(page.url()).pathname).toBe("/admin");
    const before = await recordsTotal(page);
    expect(await recordsTotal(page, `?className=${encodeURIComponent(CLASS)}`)).toBe(0);

    // 1. The template, through the link on the import page.
    await gotoHydrated(page, "/admin/records/import");
    expect(await page.locator(".readonly-banner").count(), "990101's eligibility window is open").toBe(0);
    const link = page.locator('a[href="/admin/records/template"]', { hasText: "下载学籍模板" });
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("学籍信息导入模板.xlsx");
    const template = path.join(dir, download.suggestedFilename());
    await download.saveAs(template);
    expect(await download.failure()).toBeNull();

    // 2. Filled in the template itself, other sheets kept, saved as a new file.
    const people = students();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(template);
    const sheetNames = wb.worksheets.map((w) => w.name);
    expect(sheetNames).toContain(SHEET);
    expect(sheetNames.length).toBeGreaterThan(1);
    const ws = wb.getWorksheet(SHEET)!;
    expect(ws.actualRowCount, "the template's data sheet has only its header").toBe(1);
    fillSheet(ws, people);
    const withMistakes = path.join(dir, "学籍信息-990101.xlsx");
    await wb.xlsx.writeFile(withMistakes);
    const check = new ExcelJS.Workbook();
    await check.xlsx.readFile(withMistakes);
    expect(check.worksheets.map((w) => w.name)).toEqual(sheetNames);
    expect(check.getWorksheet(SHEET)!.actualRowCount).toBe(21);

    // 3. Uploaded: the three mistakes are listed with their Excel row and column, nothing is imported.
    const firstJob = await upload(page, withMistakes);
    const first = await importResult(page, firstJob, false);
    expect(first.job).toMatchObject({ status: "done", result: { ok: false } });
    const alert = first.result.locator("[role=alert]");
    expect(await alert.textContent()).toContain("有 3 处错误");
    const errors = first.result.locator("[data-testid=import-errors]");
    expect(await errors.locator("thead th").allTextContents()).toEqual(["行号", "列", "内容", "错误说明"]);
    const rows = await errors
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => [Number(r[0]), r[1], r[2]])).toEqual([
      [BAD_ID + 2, "证件号码", wrongCheckDigit(people[BAD_ID].id)],
      [BAD_GENDER + 2, "性别", "未知性别"],
      [BAD_DATE + 2, "出生日期", "2005-02-30"],
    ]);
    expect(rows[0][3]).toContain("校验位");
    expect(rows[1][3]).toContain("代码或名称");
    expect(rows[2][3]).toContain("日期");
    const firstHeader = ((await first.result.locator("h2").textContent()) ?? "").trim();
    expect(firstHeader).toMatch(/^最近一次导入（\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}）$/);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await first.result.screenshot({ path: path.join(ARTIFACTS, "records-import-errors.png") });
    await page.screenshot({ path: path.join(ARTIFACTS, "records-import-errors-page.png"), fullPage: true });
    expect(await recordsTotal(page), "a file with errors imports nothing").toBe(before);

    // 4. The three rows fixed in the same workbook, saved, uploaded again: all 20 are imported.
    const fixed = new ExcelJS.Workbook();
    await fixed.xlsx.readFile(withMistakes);
    const fws = fixed.getWorksheet(SHEET)!;
    const cols = headerColumns(fws);
    fws.getRow(BAD_ID + 2).getCell(cols.get("证件号码")!).value = people[BAD_ID].id;
    fws.getRow(BAD_GENDER + 2).getCell(cols.get("性别")!).value = people[BAD_GENDER].male ? "男" : "女";
    fws.getRow(BAD_DATE + 2).getCell(cols.get("出生日期")!).value = people[BAD_DATE].birth;
    const corrected = path.join(dir, "学籍信息-990101-改正.xlsx");
    await fixed.xlsx.writeFile(corrected);

    const secondJob = await upload(page, corrected);
    expect(secondJob).not.toBe(firstJob);
    const second = await importResult(page, secondJob, true);
    expect(second.job).toMatchObject({ status: "done", result: { ok: true } });
    const notice = second.result.locator("p.notice[role=status]");
    expect(await notice.textContent()).toContain("导入成功：共 20 条");
    expect(await notice.textContent()).toContain("新增 20 条");
    expect(await second.result.locator("[data-testid=import-errors]").count()).toBe(0);
    const secondHeader = ((await second.result.locator("h2").textContent()) ?? "").trim();
    expect(secondHeader >= firstHeader, `${secondHeader} is not before ${firstHeader}`).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "records-import-ok.png"), fullPage: true });

    expect(await recordsTotal(page)).toBe(before + 20);
    // The imported rows, listed with their ID numbers masked.
    expect(await recordsTotal(page, `?className=${encodeURIComponent(CLASS)}`)).toBe(20);
    const list = page.locator("[data-testid=records] tbody tr");
    expect(await list.count()).toBe(20);
    const shown = await list.evaluateAll((trs) =>
      trs.map((tr) => ({
        name: tr.querySelector("td")?.textContent ?? "",
        id: tr.querySelector("td code")?.textContent ?? "",
      })),
    );
    for (const s of shown) expect(s.id).toMatch(/^\*{14}[0-9X]{4}$/);
    const expected = new Map(people.map((p) => [p.name, `**************${p.id.slice(-4)}`]));
    expect(new Map(shown.map((s) => [s.name, s.id]))).toEqual(expected);
    expect(await page.locator("[data-testid=records]").textContent()).not.toContain(people[0].id);
    await page.screenshot({ path: path.join(ARTIFACTS, "records-list.png"), fullPage: true });
    console.info(`student-records journey: ${((Date.now() - started) / 1000).toFixed(1)} s in the test body`);
  });
});
