import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Dialog, Locator, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { GROUP_HEADERS, emailOf, groupId, groupRow, groupZip } from "../fixtures/group-registrations";
import { goodJpeg, photoZip } from "../fixtures/photo-zip";
import { pngBytes } from "../fixtures/photos";
import { ARTIFACTS, gotoHydrated, hydrated, logIn, useE2E } from "./harness";

// GRP-1 … GRP-6, ORG-9, PHO-1 … PHO-4 in the browser, as issue 6 tells it: site 990101 switches group
// registration and group payment on, downloads the template, uploads a zipped group file, downloads
// the credentials sheet once, uploads the photos (two of the files are wrong), locks a payment batch
// and pays it through the simulated gateway in the window the page opens. Then one of the group
// candidates logs in with the one-time password from the sheet, must set a new password, and finds
// the entries paid and the data read-only. One server for the file (a fresh data dir).

const e2e = useE2E();

const SITE_LOGIN = "site990101@example.com";
const SITE_ADMIN = "张老师";
const NEW_PASSWORD = "Group-e2e-2026";
const TAG = "grp-e2e-";
/** 990101's per-person fee and its subjects' fee (db/seed.ts: every subject it offers is level 1 or 2). */
const PER_PERSON_FEN = 1000;
const SUBJECT_FEN = 11000;

/**
 * Six candidates of one class, each with an e-mail and one or two of 990101's subjects. The photos
 * of the first five are good; the sixth one's "photo" is a PNG named .jpg, so it stays without one
 * and cannot be paid for by the batch.
 */
const PEOPLE: Array<{ name: string; subjects: string[] }> = [
  { name: "赵一鸣", subjects: ["14", "65"] },
  { name: "钱晓雯", subjects: ["15"] },
  { name: "孙浩然", subjects: ["24", "66"] },
  { name: "李思琪", subjects: ["65"] },
  { name: "周子涵", subjects: ["66", "14"] },
  { name: "吴雨桐", subjects: ["15"] },
];
const WITH_PHOTO = PEOPLE.length - 1;
const ROWS = PEOPLE.map((p, i) => groupRow(i, { "姓名*": p.name, 报考科目: p.subjects.join(i % 2 ? "；" : "、") }, TAG));
const idOf = (i: number) => String(ROWS[i]["证件号码*"]);
/** A valid ID number no registration of the site has. */
const UNKNOWN_ID = groupId("2002-11-12", 201, "320102");

const testId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
const text = async (el: Locator) => ((await el.textContent()) ?? "").replace(/\s+/g, " ").trim();
const yuan = (fen: number) => (fen / 100).toFixed(2);

/** Accepts the next confirm() of `page` and hands back its message. */
function acceptNextDialog(page: Page): Promise<string> {
  return new Promise((resolve) => {
    page.once("dialog", (d: Dialog) => {
      const message = d.message();
      void d.accept().then(() => resolve(message));
    });
  });
}

/**
 * Sets the file input of an import page, submits with "校验提交", and returns the job id the action
 * answered with (the page then shows the job's progress and, once it is finished, its result).
 */
async function upload(page: Page, url: string, file: string): Promise<string> {
  await gotoHydrated(page, url);
  const form = page.locator("form", { has: page.locator("input[type=file][name=file]") });
  await form.locator("input[type=file][name=file]").setInputFiles(file);
  expect(await form.locator("input[name=overwrite]").isChecked()).toBe(false);
  const submit = form.locator("button.primary", { hasText: "校验提交" });
  await hydrated(submit);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith(url)),
    submit.click(),
  ]);
  expect(response.status(), "upload accepted").toBe(200);
  const jobId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(await response.text())?.[0];
  expect(jobId, "the action answers with the import job's id").toBeTruthy();
  return jobId!;
}

/**
 * Waits until the job has finished (asking /jobs/:id as the page's user, the way its progress bar
 * does) and the page, revalidated by the progress component, shows the job's result.
 */
async function importResult(page: Page, jobId: string, ok: boolean): Promise<Locator> {
  let job: { status: string; progress: number } | undefined;
  await expect
    .poll(async () => {
      job = (await (await page.request.get(`/jobs/${jobId}`)).json()) as typeof job;
      return job!.status;
    }, { timeout: 90_000, interval: 250 })
    .toMatch(/^(done|failed)$/);
  expect(job, `import job ${jobId}`).toMatchObject({ status: "done", progress: 100 });
  const result = page.locator(`[data-testid=import-result][data-ok="${ok}"]`);
  await result.waitFor({ timeout: 30_000 });
  // The progress bar has gone once the result is shown.
  expect(await page.locator(".job progress").count()).toBe(0);
  return result;
}

async function shot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `group-${name}.png`), fullPage: true });
}

/** The credentials sheet: login and one-time password by their column headers. */
async function readCredentials(file: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet("考生账号") ?? wb.worksheets[0];
  const cols = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => cols.set(String(cell.value ?? "").trim(), col));
  for (const h of ["姓名", "登录账号（电子邮箱）", "证件号码后四位", "一次性密码"]) expect(cols.has(h), `credentials header ${h}`).toBe(true);
  const rows: Array<{ name: string; email: string; idLast4: string; password: string }> = [];
  ws.eachRow((r, n) => {
    if (n === 1) return;
    const v = (h: string) => String(r.getCell(cols.get(h)!).value ?? "");
    rows.push({ name: v("姓名"), email: v("登录账号（电子邮箱）"), idLast4: v("证件号码后四位"), password: v("一次性密码") });
  });
  return rows;
}

describe("Group registration in the browser (issue 6)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-e2e-group-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  /** The candidate the second test logs in as, from the credentials sheet. */
  let candidate: { email: string; password: string; index: number } | undefined;

  it("GRP-1…GRP-6/ORG-9/PHO-1…PHO-4: a site imports a group zip and a photo zip, downloads the credentials once, locks a payment batch and pays it", async () => {
    const started = Date.now();
    const page = await e2e.newPage();
    await logIn(page, SITE_LOGIN);
    expect(new URL(page.url()).pathname).toBe("/admin");

    // ---- Off by default: the import page says so and will not take a file.
    await gotoHydrated(page, "/admin/group/import");
    expect(await text(testId(page, "group-disabled"))).toContain("本考点未启用集体报名");
    const uploadForm = page.locator("form", { has: page.locator("input[type=file][name=file]") });
    expect(await uploadForm.locator("button.primary").isDisabled(), "no upload while group registration is off").toBe(true);

    // ---- SET-1: switch group registration and group payment on (990101's pre-registration window is open).
    await gotoHydrated(page, "/admin/setup/settings");
    const settings = page.locator("form", { has: page.locator("input[name=intent][value=settings]") });
    for (const flag of ["group_registration", "group_payment"]) {
      const box = settings.locator(`input[name=${flag}]`);
      expect(await box.isChecked(), `${flag} is off by default`).toBe(false);
      await box.check();
    }
    const save = settings.locator("button.primary");
    await hydrated(save);
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/admin/setup/settings")),
      save.click(),
    ]);
    await page.locator("p.notice[role=status]", { hasText: "已保存" }).waitFor();
    await page.reload();
    for (const flag of ["group_registration", "group_payment", "open"]) expect(await settings.locator(`input[name=${flag}]`).isChecked(), `${flag} saved`).toBe(true);

    // ---- GRP-1: the site's template, an .xlsx whose data sheet has the columns the fixtures fill.
    await gotoHydrated(page, "/admin/group/import");
    expect(await testId(page, "group-disabled").count()).toBe(0);
    expect(await page.locator(".readonly-banner").count(), "990101's registration window is open").toBe(0);
    const templateLink = page.locator('a[href="/admin/group/template"]', { hasText: "下载集体报名模板" });
    const [templateDownload] = await Promise.all([page.waitForEvent("download"), templateLink.click()]);
    expect(templateDownload.suggestedFilename()).toBe("集体报名导入模板-990101.xlsx");
    const template = path.join(dir, templateDownload.suggestedFilename());
    await templateDownload.saveAs(template);
    expect(await templateDownload.failure()).toBeNull();
    expect(fs.readFileSync(template).subarray(0, 2).toString("latin1"), "an .xlsx is a zip").toBe("PK");
    const tpl = new ExcelJS.Workbook();
    await tpl.xlsx.readFile(template);
    expect(tpl.worksheets.map((w) => w.name)).toContain("集体报名信息");
    const header = (tpl.getWorksheet("集体报名信息")!.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header).toEqual(GROUP_HEADERS);

    // ---- GRP-1…GRP-4: the zipped file of six candidates; the job's progress; the counts.
    const groupFile = path.join(dir, "集体报名-990101.zip");
    fs.writeFileSync(groupFile, await groupZip(ROWS));
    const groupJob = await upload(page, "/admin/group/import", groupFile);
    const groupResult = await importResult(page, groupJob, true);
    const entries = PEOPLE.reduce((n, p) => n + p.subjects.length, 0);
    expect(await text(groupResult.locator("p.notice[role=status]")))
      .toBe(`导入成功：共 ${PEOPLE.length} 人，新增 ${PEOPLE.length} 人，覆盖更新 0 人；增加报考科目 ${entries} 个，删除未缴费报考科目 0 个。`);
    expect(await text(groupResult)).toContain(`考生账号：新建 ${PEOPLE.length} 个（一次性密码），绑定已有账号 0 个。`);
    await shot(page, "import-ok");

    // ---- ORG-9: the credentials sheet, once.
    const credLink = testId(page, "credentials").locator("a");
    expect(await text(credLink)).toBe(`下载新建考生账号清单（${PEOPLE.length} 个账号）`);
    const [credDownload] = await Promise.all([page.waitForEvent("download"), credLink.click()]);
    expect(await credDownload.failure()).toBeNull();
    expect(credDownload.suggestedFilename()).toMatch(/^集体报名考生账号-\d+\.xlsx$/);
    const credFile = path.join(dir, credDownload.suggestedFilename());
    await credDownload.saveAs(credFile);
    const creds = await readCredentials(credFile);
    expect(creds.map((c) => c.email).sort()).toEqual(ROWS.map(emailOf).sort());
    for (const c of creds) {
      const i = ROWS.findIndex((r) => emailOf(r) === c.email);
      expect(c.name).toBe(PEOPLE[i].name);
      expect(c.idLast4).toBe(idOf(i).slice(-4));
      expect(c.password).toMatch(/^[A-Za-z0-9]{10}$/);
    }
    const chosen = creds.find((c) => ROWS.findIndex((r) => emailOf(r) === c.email) < WITH_PHOTO)!;
    candidate = { email: chosen.email, password: chosen.password, index: ROWS.findIndex((r) => emailOf(r) === chosen.email) };

    // A second attempt (the same link, still on the page) is refused and says when and by whom.
    const href = (await credLink.getAttribute("href"))!;
    const again = await page.request.get(href);
    expect(again.status()).toBe(410);
    const againText = await again.text();
    expect(againText).toContain("该账号清单已于");
    expect(againText).toContain(`由 ${SITE_ADMIN} 下载，不能再次下载`);
    // The page, loaded again, no longer offers it.
    await gotoHydrated(page, "/admin/group/import");
    expect(await text(testId(page, "credentials-done"))).toMatch(new RegExp(`^账号清单已于 \\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2} 由 ${SITE_ADMIN} 下载。$`));
    expect(await testId(page, "credentials").count()).toBe(0);
    console.info("second credentials attempt:", againText.slice(0, 300));
    console.info(`group journey so far: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
