import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, logIn, logOut, shiftWallClock, useE2E } from "./harness";

// One server and one browser for the whole file; the journeys run in order and journey 2 changes
// site 990101's registration window, so the journeys before it still see the seeded calendar.

const e2e = useE2E();
const DAY = 86_400_000;

/** Polls an assertion until it passes (the page may still be revalidating). */
async function eventually(fn: () => Promise<void>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function homeWindowStatus(page: Page, kind: string) {
  return page
    .locator(`[data-testid=home-windows] tr[data-kind="${kind}"] [data-window-status]`)
    .getAttribute("data-window-status");
}

describe("Kaowu in the browser", () => {
  it("WIN-3/WIN-7: site990101 logs in and sees its windows", async () => {
    const page = await e2e.newPage();
    await logIn(page, "site990101@example.com");
    expect(new URL(page.url()).pathname).toBe("/admin");
    await expect.poll(() => page.locator("[data-testid=home-windows] tr[data-kind]").count()).toBe(9);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "site-home.png"), fullPage: true });

    expect(await page.locator("[data-testid=home-org]").textContent()).toContain("990101");
    expect(await homeWindowStatus(page, "registration")).toBe("open");
    expect(await homeWindowStatus(page, "allocation")).toBe("upcoming");

    // WIN-7: times are Beijing wall-clock whatever the browser's zone (this context runs in UTC).
    // The seed put 990101's registration window at [the hour it started - 14 days, + 30 days].
    const shown =
      (await page.locator('[data-testid=home-windows] tr[data-kind="registration"] td').first().textContent()) ?? "";
    const beijing = (ms: number) =>
      new Intl.DateTimeFormat("zh-CN", {
        timeZone: "Asia/Shanghai",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).format(ms);
    const hour = Math.floor(e2e.startedAt / 3_600_000) * 3_600_000;
    const expected = [hour, hour + 3_600_000].map((h) => `${beijing(h - 14 * DAY)} 至 ${beijing(h + 30 * DAY)}`);
    expect(expected).toContain(shown.trim());
  });

  it("WIN-1/WIN-3: province99 sets a site's window and the site sees the module turn read-only", async () => {
    const province = await e2e.newPage();
    await logIn(province, "province99@example.com");
    await province.goto("/admin/windows?kind=registration");
    const row = province.locator('[data-testid=subordinate-windows] tr[data-org="990101"]');
    const parentText = (await row.locator("td").last().textContent()) ?? "";
    const m = /(\d{4}-\d{2}-\d{2} \d{2}:\d{2})\s*至\s*(\d{4}-\d{2}-\d{2} \d{2}:\d{2})/.exec(parentText);
    expect(m, `superior's window text: ${parentText}`).not.toBeNull();
    const [, parentStart, parentEnd] = m!;
    // Inside the city's window, and already over: the city's registration window opened ~38 days ago.
    const start = shiftWallClock(parentStart, 1);
    const end = shiftWallClock(parentStart, 2);
    await row.locator('input[type=datetime-local][name^="start_"]').fill(start);
    await row.locator('input[type=datetime-local][name^="end_"]').fill(end);
    const form = province.locator("form", { has: province.locator("[data-testid=subordinate-windows]") });
    await form.locator("button.primary").click();
    const saved = province.locator("p.notice[role=status]");
    await saved.waitFor();
    expect(await saved.textContent()).toContain("已保存 1 项");
    expect(await province.locator("[role=alert]").count()).toBe(0);

    // The site, in its own browser context, now sees registration as closed (read-only).
    const site = await e2e.newPage();
    await logIn(site, "site990101@example.com");
    await site.goto("/admin");
    expect(await homeWindowStatus(site, "registration")).toBe("closed");

    // A window reaching past the superior's end is refused, and nothing changes.
    await province.goto("/admin/windows?kind=registration");
    const row2 = province.locator('[data-testid=subordinate-windows] tr[data-org="990101"]');
    expect(await row2.locator('input[name^="start_"]').inputValue()).toBe(start);
    expect(await row2.locator('input[name^="end_"]').inputValue()).toBe(end);
    e2e.allowConsoleError(/status of 400 .*\/admin\/windows\.data/); // the rejected form post answers 400
    await row2.locator('input[name^="end_"]').fill(shiftWallClock(parentEnd, 24));
    await province
      .locator("form", { has: province.locator("[data-testid=subordinate-windows]") })
      .locator("button.primary")
      .click();
    const alert = province.locator("[role=alert]");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("上级");
    expect(await province.locator("p.notice[role=status]").count()).toBe(0);
    await province.goto("/admin/windows?kind=registration");
    const row3 = province.locator('[data-testid=subordinate-windows] tr[data-org="990101"]');
    expect(await row3.locator('input[name^="start_"]').inputValue()).toBe(start);
    expect(await row3.locator('input[name^="end_"]').inputValue()).toBe(end);
    await site.reload();
    expect(await homeWindowStatus(site, "registration")).toBe("closed");
  });

  it("SET-7/WIN-3: a gated module is editable inside its window and read-only, with the window's dates, outside it", async () => {
    const open = await e2e.newPage();
    await logIn(open, "site990101@example.com");
    await open.goto("/admin/notice");
    expect(await open.locator(".readonly-banner").count()).toBe(0);
    await open.locator("textarea[name=body]").fill("请携带身份证原件，提前 30 分钟到达考点。");
    await open.locator("form button.primary").click();
    await open.locator("[data-testid=current-notice]", { hasText: "提前 30 分钟" }).waitFor();
    expect(await open.locator("[role=alert]").count()).toBe(0);

    const closed = await e2e.newPage();
    await logIn(closed, "site990102@example.com");
    await closed.goto("/admin/notice");
    const banner = closed.locator('.readonly-banner[data-window="pre_registration"]');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(
      /报名前设置时间.*\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 至 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/,
    );
    // The notice's own form (the banner also holds the WIN-5 request form, which stays usable).
    const noticeForm = closed.locator("form", { has: closed.locator("textarea[name=body]") });
    expect(await noticeForm.locator("button.primary").isDisabled()).toBe(true);
    expect(await closed.locator("textarea[name=body]").isDisabled()).toBe(true);
  });

  it("ORG-9: a user added with a one-time password must change it at first login", async () => {
    const page = await e2e.newPage();
    await logIn(page, "site990101@example.com");
    await page.goto("/admin/orgs");
    const login = `e2e-${Date.now()}@example.com`;
    const add = page.locator("form", { has: page.getByRole("button", { name: "新增用户" }) });
    await add.locator("input[name=login]").fill(login);
    await add.locator("input[name=name]").fill("端到端测试用户");
    await add.locator("select[name=role]").selectOption("admin");
    await add.getByRole("button", { name: "新增用户" }).click();
    const otp = page.locator("[data-testid=one-time-password] code");
    await otp.waitFor();
    const oneTimePassword = ((await otp.textContent()) ?? "").trim();
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(8);
    await page.locator(`[data-testid=members] tr[data-login="${login}"]`).waitFor();

    await logOut(page);
    await logIn(page, login, oneTimePassword);
    expect(new URL(page.url()).pathname).toBe("/change-password");

    e2e.allowConsoleError(/status of 400 .*\/change-password\.data/); // the refused weak password answers 400
    await page.locator("input[name=current]").fill(oneTimePassword);
    await page.locator("input[name=next]").fill("abcdefgh");
    await page.locator("input[name=confirm]").fill("abcdefgh");
    await page.locator("button.primary").click();
    await page.locator("[role=alert]").waitFor();
    expect(new URL(page.url()).pathname).toBe("/change-password");

    const next = "E2e-new-pass-2026";
    await page.locator("input[name=current]").fill(oneTimePassword);
    await page.locator("input[name=next]").fill(next);
    await page.locator("input[name=confirm]").fill(next);
    await Promise.all([page.waitForURL((u) => u.pathname === "/admin"), page.locator("button.primary").click()]);
    expect(new URL(page.url()).search).toBe("?changed=1");
    await page.locator("[data-testid=home-org]").waitFor();
    expect(await page.locator("[data-testid=home-org]").textContent()).toContain("990101");
    expect(await page.locator("[role=status]").first().textContent()).toContain("密码已修改");
  });

  it("X-5: switching to English is remembered for the account", async () => {
    const page = await e2e.newPage();
    await logIn(page, "city9901@example.com");
    expect(await page.locator("nav.sidenav").textContent()).toContain("操作时间设置");
    await Promise.all([
      page.waitForResponse((r) => r.url().includes("/set-locale")),
      page.getByRole("button", { name: "English" }).click(),
    ]);
    await eventually(async () => expect(await page.locator("nav.sidenav").textContent()).toContain("Time windows"));
    expect(await page.locator("html").getAttribute("lang")).toBe("en");

    await logOut(page);
    await logIn(page, "city9901@example.com");
    expect(await page.locator("nav.sidenav").textContent()).toContain("Time windows");
    // The account remembers it, not only this browser's cookie: log in again from a fresh context.
    const again = await e2e.newPage();
    await logIn(again, "city9901@example.com");
    expect(await again.locator("nav.sidenav").textContent()).toContain("Time windows");
  });

  it("X-2: audit export runs as a job with a progress bar and a download", async () => {
    const page = await e2e.newPage();
    await logIn(page, "site990101@example.com");
    await page.goto("/admin/audit");
    // The page also lists the user's recent exports (newest first, at most 3): the new one goes on top.
    const before = await page.locator(".job").count();
    await page.locator("button", { hasText: /^导出查询结果/ }).click();
    await expect.poll(() => page.locator(".job").count()).toBe(Math.min(before + 1, 3));
    const job = page.locator(".job").first();
    await job.locator("progress").waitFor();
    // Until it is done or failed, or the error page replaced this one (a broken job status URL).
    const state = async () =>
      (await page.locator("main.error-page, .error-in-layout").count())
        ? "error page"
        : await job.getAttribute("data-job-status");
    await expect.poll(state, { timeout: 30_000, interval: 250 }).toMatch(/^(done|failed|error page)$/);
    const errorPage = page.locator("main.error-page, .error-in-layout");
    if (await errorPage.count())
      throw new Error(`the error page replaced the audit page while polling the job: ${await errorPage.textContent()}`);
    expect(await job.getAttribute("data-job-status"), (await job.textContent()) ?? "").toBe("done");
    const link = job.locator("a[href^='/files/']");
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = await download.path();
    expect(fs.statSync(file).size).toBeGreaterThan(1024);
  });
});
