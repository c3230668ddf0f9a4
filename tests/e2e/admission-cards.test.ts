import fs from "node:fs";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { LARGE_CARD } from "../../app/documents/card-layouts";
import { unzipBuffer } from "../factories/files";
import { decodeQr, mmBox, renderPage } from "../factories/pdf-render";
import { ARTIFACTS, DEMO_PASSWORD, gotoHydrated, hydrated, logIn, useE2E } from "./harness";

// DOC-1/DOC-4/CAN-9/DOC-9 in the browser (issue 17): 990102 in exam week (tests/e2e/fixtures/
// cards-ready.ts): the site generates its small cards and downloads the zip on a laptop; the demo
// candidate downloads their own card on a phone; the card's QR URL opens the card check.
const e2e = useE2E({ prepare: "tests/e2e/fixtures/cards-ready.ts" });
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

const zipNames = (buf: Buffer) =>
  new Promise<string[]>((resolve, reject) =>
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const names: string[] = [];
      zip.on("entry", (e: yauzl.Entry) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on("end", () => resolve(names));
      zip.readEntry();
    }),
  );

describe("admission cards in the browser (DOC-1, CAN-9)", () => {
  it("DOC-1: the site generates small cards by room and seat and downloads the zip of one PDF per room", async () => {
    const site = await e2e.newPage();
    await site.setViewportSize(LAPTOP);
    await logIn(site, "site990102@example.com");
    await gotoHydrated(site, "/admin/admission-cards");
    await site.locator("[data-testid=cards-check]").waitFor();
    expect(await site.locator("[data-testid=cards-check]").textContent()).toContain("本考点共 7 张准考证");
    const small = site.locator("[data-testid=cards-small_cards]");
    await hydrated(small.locator("select[name=order]"));
    await small.locator("select[name=order]").selectOption("room_seat");
    await Promise.all([
      site.waitForResponse((r) => r.request().method() === "POST"),
      small.locator("[data-testid=generate-file]").click(),
    ]);
    const link = small.locator("[data-testid=generated-download]");
    await link.waitFor({ timeout: 60_000 });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await site.screenshot({ path: path.join(ARTIFACTS, "desktop-admission-cards.png"), fullPage: true });
    const [download] = await Promise.all([site.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("小版准考证-990102.zip");
    const names = await zipNames(fs.readFileSync((await download.path())!));
    expect(names.sort()).toEqual(["990102/小版准考证-990102-考场01.pdf", "990102/小版准考证-990102-考场02.pdf"]);
  });

  it("CAN-9: the candidate downloads their own card on a phone: one PDF, a page per subject; its QR URL opens the card check for the site", async () => {
    const context = await e2e.browser.newContext({
      baseURL: e2e.baseURL,
      locale: "zh-CN",
      timezoneId: "Asia/Shanghai",
      viewport: PHONE,
      screen: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      acceptDownloads: true,
    });
    const phone = await context.newPage();
    await logIn(phone, "candidate@example.com");
    await gotoHydrated(phone, "/candidate");
    const button = phone.locator("[data-testid=download-card]");
    await button.waitFor();
    await phone.screenshot({ path: path.join(ARTIFACTS, "phone-card-download.png"), fullPage: true });
    const [download] = await Promise.all([phone.waitForEvent("download"), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^准考证-\d{16}\.pdf$/);
    const bytes = fs.readFileSync((await download.path())!);
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(2);
    await context.close();

    // DOC-9: the printed QR code, read back from the page as a phone camera would, is this
    // deployment's <ORIGIN>/C/<token>; it opens the login, then the card check for the site.
    const L = LARGE_CARD;
    const page1 = renderPage(bytes, 150);
    const url = decodeQr(
      page1,
      mmBox(150, L.origin.x + L.qr.x - 1, L.origin.y + L.qr.y - 1, L.qr.size + 2, L.qr.size + 2),
    );
    expect(url).toMatch(new RegExp(`^${e2e.baseURL.toUpperCase()}/C/\\d+\\.\\d{16}\\.[A-Z2-7]{26}$`));
    const check = await e2e.newPage();
    await check.goto(url!);
    expect(new URL(check.url()).pathname).toBe("/login");
    await check.locator("input[name=login]").fill("site990102@example.com");
    await check.locator("input[name=password]").fill(DEMO_PASSWORD);
    await Promise.all([check.waitForURL((u) => u.pathname !== "/login"), check.locator("button.primary").click()]);
    const card = check.locator("[data-testid=scan-card]");
    await card.waitFor();
    expect(await card.getAttribute("data-state")).toBe("ok");
    expect(await card.textContent()).toContain("陈同学");
    // A code with one character changed is refused.
    const forged = url!.slice(0, -1) + (url!.endsWith("A") ? "B" : "A");
    await check.goto(forged);
    expect(await check.locator("[data-testid=scan-card]").getAttribute("data-state")).toBe("invalid");
  });
});

describe("pre-exam data in the browser (DOC-6, DOC-7)", () => {
  /** Generates the page's file on a laptop and downloads it: the zip's files by name. */
  async function generateAndDownload(pathname: string, shot: string, expectedName: string) {
    const site = await e2e.newPage();
    await site.setViewportSize(LAPTOP);
    await logIn(site, "site990102@example.com");
    await gotoHydrated(site, pathname);
    await Promise.all([
      site.waitForResponse((r) => r.request().method() === "POST"),
      site.locator("[data-testid=generate-file]").click(),
    ]);
    const link = site.locator("[data-testid=generated-download]");
    await link.waitFor({ timeout: 60_000 });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await site.screenshot({ path: path.join(ARTIFACTS, shot), fullPage: true });
    const [download] = await Promise.all([site.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe(expectedName);
    return unzipBuffer(fs.readFileSync((await download.path())!));
  }

  it("DOC-6: the site generates its CBT data and downloads <site code>.DBF marked GBK, one record per numbered entry", async () => {
    const files = await generateAndDownload("/admin/cbt-data", "desktop-cbt-data.png", "机考数据-990102.zip");
    expect([...files.keys()]).toEqual(["990102.DBF"]);
    const dbf = files.get("990102.DBF")!;
    expect(dbf[29]).toBe(0x7a); // the code-page byte: GBK
    expect(dbf.readUInt32LE(4)).toBe(7); // the seven numbered entries of the fixture
  });

  it("DOC-7: the site generates its sign-in sheets: one PDF per room and batch, every candidate on one of them", async () => {
    const files = await generateAndDownload(
      "/admin/room-sheets/sign-in",
      "desktop-sign-in-sheets.png",
      "考场签到表-990102.zip",
    );
    const names = [...files.keys()];
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toMatch(/^990102\/\d{2}-\d+_\d{4}-\d{2}-\d{2}_\d{4}\.pdf$/);
    let pages = 0;
    for (const b of files.values()) pages += (await PDFDocument.load(b)).getPageCount();
    expect(pages).toBe(names.length); // at most ten a page: one page per sheet here
  });
});

/** The batch the phone test examined: who was checked in, who was marked absent (the score test's file). */
let examined: { present: string[]; absent: string[] } | null = null;

describe("check-in on a phone (DOC-9)", () => {
  it("DOC-9: on a phone the site chooses its room and batch, checks two candidates in by admission number, sees the roll; a second entry says when; the scanner shows the camera", async () => {
    const context = await e2e.browser.newContext({
      baseURL: e2e.baseURL,
      locale: "zh-CN",
      timezoneId: "Asia/Shanghai",
      viewport: PHONE,
      screen: PHONE,
      isMobile: true,
      hasTouch: true,
    });
    const phone = await context.newPage();
    await logIn(phone, "site990102@example.com");
    await gotoHydrated(phone, "/admin/check-in");
    // The batch with the most candidates ("… (0/3)").
    const options = await phone
      .locator("[data-testid=post-batch] option")
      .evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? "" })));
    const expected = (text: string) => Number(/\/(\d+)\)$/.exec(text)?.[1] ?? 0);
    const best = options.filter((o) => o.value).sort((a, b) => expected(b.text) - expected(a.text))[0];
    await phone.locator("[data-testid=post-batch]").selectOption(best.value);
    await Promise.all([
      phone.waitForResponse((r) => r.request().method() === "POST"),
      phone
        .locator("form", { has: phone.locator("[data-testid=post-batch]") })
        .locator("button")
        .click(),
    ]);
    await phone.locator("[data-testid=roll]").waitFor();
    const numbers = await phone.locator("[data-testid=roll] code").allTextContents();
    const toCheck = numbers.slice(0, 2);
    for (const no of toCheck) {
      await phone.locator("input[name=admissionNo]").fill(no);
      await Promise.all([
        phone.waitForResponse((r) => r.request().method() === "POST"),
        phone.locator("[data-testid=manual-check-in] button").click(),
      ]);
      await phone.locator("[data-testid=check-in-outcome]", { hasText: no }).waitFor();
      expect(await phone.locator("[data-testid=check-in-outcome]").getAttribute("data-state")).toBe("checked_in");
    }
    // The roll is read again after each check-in.
    await phone
      .locator("[data-testid=roll] tr[data-present=true]")
      .nth(toCheck.length - 1)
      .waitFor();
    expect(await phone.locator("[data-testid=roll] tr[data-present=true]").count()).toBe(toCheck.length);
    expect(await phone.locator("[data-testid=roll-counts]").textContent()).toContain(`已签到 ${toCheck.length} 人`);
    // The page comes before the menu on a phone.
    const heading = await phone.locator("h1").boundingBox();
    const menu = await phone.locator("[data-testid=sidenav]").boundingBox();
    expect(heading!.y).toBeLessThan(menu!.y);
    await phone.screenshot({ path: path.join(ARTIFACTS, "phone-check-in.png"), fullPage: true });
    await phone.locator("input[name=admissionNo]").fill(toCheck[0]);
    await Promise.all([
      phone.waitForResponse((r) => r.request().method() === "POST"),
      phone.locator("[data-testid=manual-check-in] button").click(),
    ]);
    await phone.locator("[data-testid=check-in-outcome][data-state=already]").waitFor();
    // DOC-9: the batch is over: the rest are marked absent in one step (confirmed), and the roll says so.
    await gotoHydrated(phone, "/admin/check-in");
    const rest = numbers.length - toCheck.length;
    const mark = phone.locator("[data-testid=mark-absent]");
    expect(await mark.textContent()).toContain(`${rest} 名`);
    phone.once("dialog", (d) => void d.accept());
    await Promise.all([phone.waitForResponse((r) => r.request().method() === "POST"), mark.click()]);
    expect(await phone.locator("[data-testid=roll-call-done]").textContent()).toBe(`已把 ${rest} 名考生登记为缺考。`);
    await phone.locator("[data-testid=undo-absent]").waitFor();
    expect(await phone.locator("[data-testid=roll] td", { hasText: "缺考（已登记）" }).count()).toBe(rest);
    await phone.screenshot({ path: path.join(ARTIFACTS, "phone-roll-call.png"), fullPage: true });
    examined = { present: toCheck, absent: numbers.slice(toCheck.length) };
    await gotoHydrated(phone, "/admin/check-in/scan");
    await phone.waitForFunction(() => {
      const v = document.querySelector("video.scanner") as HTMLVideoElement | null;
      return v !== null && v.readyState >= 2 && v.videoWidth > 0;
    });
    await context.close();
  });
});

describe("scores after the exam (SCO-1, SCO-3)", () => {
  it("SCO-1/SCO-3: the site imports the marking system's GB18030 score file for that batch and sees the statistics", async () => {
    expect(examined, "the check-in test ran first").not.toBeNull();
    const { present, absent } = examined!;
    const lines = [
      "ZKZH,CJ,DJ,BZ",
      `${present[0]},92,3,`,
      ...(present[1] ? [`${present[1]},75,1,`] : []),
      ...absent.map((no) => `${no},,-1,缺考`),
    ];
    const { default: iconv } = await import("iconv-lite");
    const site = await e2e.newPage();
    await site.setViewportSize(LAPTOP);
    await logIn(site, "site990102@example.com");
    await gotoHydrated(site, "/admin/scores/import");
    await site.locator("input[type=file]").setInputFiles({
      name: "成绩.csv",
      mimeType: "text/csv",
      buffer: iconv.encode(`${lines.join("\r\n")}\r\n`, "gb18030"),
    });
    await Promise.all([
      site.waitForResponse((r) => r.request().method() === "POST"),
      site.locator("button[type=submit].primary").click(),
    ]);
    await site
      .locator(".notice.success", { hasText: `已导入 ${lines.length - 1} 条成绩` })
      .waitFor({ timeout: 60_000 });
    await site.screenshot({ path: path.join(ARTIFACTS, "desktop-score-import.png"), fullPage: true });
    await gotoHydrated(site, "/admin/scores/stats");
    const total = site.locator("[data-testid=score-stats] tfoot tr");
    const cells = await total.locator("td").allTextContents();
    // 优秀 良好 及格 不及格 缺考 违纪 作弊 其他违规 | 科目次数 | 及格率
    expect(cells.slice(0, 9).map(Number)).toEqual([
      1,
      0,
      present[1] ? 1 : 0,
      0,
      absent.length,
      0,
      0,
      0,
      lines.length - 1,
    ]);
    await site.locator("[data-chart] svg").first().waitFor();
    await site.screenshot({ path: path.join(ARTIFACTS, "desktop-score-statistics.png"), fullPage: true });
  });
});
