import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import os from "node:os";
import { groupRow, groupZip, withEmail } from "../fixtures/group-registrations";
import { ARTIFACTS, codeFromOutbox, gotoHydrated, hydrated, logIn, logOut, useE2E } from "./harness";

// Issue 12 items 1, 2, 10 (CAN-1, GRP-4, ORG-9) in the browser: sign up with a code read from the
// demo outbox page, log out, forget the password, recover it with a code, log in with the new one.
// Screenshots of the pages this adds, on a phone (390×844) and at 1366×768, go to tests/e2e/artifacts.

const e2e = useE2E();
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };
const EMAIL = "e2e.owner@example.com";
const FIRST = "Kaowu-phone-2026";
const SECOND = "Lantern-river-88";

const extra: BrowserContext[] = [];
afterEach(async () => {
  for (const c of extra.splice(0)) await c.close().catch(() => undefined);
});

/** A phone-sized page (the candidate pages are used on phones first). */
async function phonePage(browser: Browser, locale = "zh-CN"): Promise<Page> {
  const context = await browser.newContext({
    baseURL: e2e.baseURL,
    locale,
    timezoneId: "Asia/Shanghai",
    viewport: PHONE,
    screen: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  extra.push(context);
  const page = await context.newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  return page;
}

async function shot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `accounts-${name}.png`), fullPage: true });
}

/** No horizontal scrolling on a phone. */
async function fitsWidth(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
}

describe("accounts in the browser (CAN-1, ORG-9)", () => {
  it("CAN-1: signs up with a code from the demo outbox, logs out, recovers the forgotten password with a code and logs in with the new one", async () => {
    const page = await phonePage(e2e.browser);
    await page.goto("/login");
    await shot(page, "phone-login");
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/signup"),
      page.locator("[data-testid=signup-link]").click(),
    ]);
    const form = page.locator("[data-testid=signup-form]");
    await form.locator("input[name=login]").fill(EMAIL);
    await form.locator("input[name=name]").fill("端到端");
    // CAN-1: a breached-list password is refused with the reason.
    await form.locator("input[name=password]").fill("password1");
    await form.locator("input[name=confirm]").fill("password1");
    await Promise.all([page.waitForLoadState("load"), form.locator("button.primary").click()]);
    await expect.poll(() => page.locator("[role=alert]").textContent()).toContain("常见密码");
    await shot(page, "phone-signup-refused");

    const again = page.locator("[data-testid=signup-form]");
    await again.locator("input[name=login]").fill(EMAIL);
    await again.locator("input[name=name]").fill("端到端");
    await again.locator("input[name=password]").fill(FIRST);
    await again.locator("input[name=confirm]").fill(FIRST);
    await fitsWidth(page);
    await shot(page, "phone-signup");
    await Promise.all([page.waitForLoadState("load"), again.locator("button.primary").click()]);
    await page.locator("[data-testid=signup-code-form]").waitFor();
    expect(await page.locator("[data-testid=code-sent]").textContent()).toContain("e2***@example.com");
    await fitsWidth(page);
    await shot(page, "phone-signup-code");

    // The demo outbox, as anyone may read it while MESSAGE_PROVIDER=outbox.
    const outbox = await phonePage(e2e.browser);
    await outbox.goto(`/dev/outbox?to=${EMAIL}`);
    expect(await outbox.locator("[data-testid=outbox-banner]").textContent()).toContain(
      "Demo outbox: no message was really sent",
    );
    await fitsWidth(outbox);
    await shot(outbox, "phone-outbox");

    const code = await codeFromOutbox(page, EMAIL);
    await page.locator("[data-testid=signup-code-form] input[name=code]").fill(code);
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/candidate"),
      page.locator("[data-testid=signup-code-form] button.primary").click(),
    ]);
    expect(new URL(page.url()).searchParams.get("welcome")).toBe("1");
    await logOut(page);

    // ---- 忘记密码: a code to the proven address, a new password, every session ended.
    const other = await phonePage(e2e.browser);
    await logIn(other, EMAIL, FIRST);
    expect(new URL(other.url()).pathname).toBe("/candidate");

    await page.goto("/login");
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/forgot-password"),
      page.locator("[data-testid=forgot-link]").click(),
    ]);
    await fitsWidth(page);
    await shot(page, "phone-forgot");
    await page.locator("[data-testid=forgot-form] input[name=login]").fill(EMAIL);
    await Promise.all([
      page.waitForLoadState("load"),
      page.locator("[data-testid=forgot-form] button.primary").click(),
    ]);
    const recover = page.locator("[data-testid=recover-form]");
    await recover.waitFor();
    await recover.locator("input[name=code]").fill(await codeFromOutbox(page, EMAIL));
    await recover.locator("input[name=password]").fill(SECOND);
    await recover.locator("input[name=confirm]").fill(SECOND);
    await fitsWidth(page);
    await shot(page, "phone-forgot-code");
    await Promise.all([page.waitForURL((u) => u.pathname === "/login"), recover.locator("button.primary").click()]);
    expect(await page.locator("[data-testid=password-reset]").textContent()).toContain("请用新密码登录");
    await shot(page, "phone-login-after-reset");

    // The other device was logged out; the old password no longer works; the new one does.
    await other.goto("/candidate");
    expect(new URL(other.url()).pathname).toBe("/login");
    await page.locator("input[name=login]").fill(EMAIL);
    await page.locator("input[name=password]").fill(FIRST);
    await page.locator("button.primary").click();
    await expect.poll(() => page.locator("[role=alert]").textContent()).toContain("账号或密码错误");
    await logIn(page, EMAIL, SECOND);
    expect(new URL(page.url()).pathname).toBe("/candidate");
  });

  it("the pages at 1366×768 and in English: sign-up code step, recovery, the outbox", async () => {
    const context = await e2e.browser.newContext({
      baseURL: e2e.baseURL,
      locale: "en",
      timezoneId: "Asia/Shanghai",
      viewport: DESKTOP,
    });
    extra.push(context);
    const page = await context.newPage();
    await page.goto("/login");
    await page.locator(".locale-switch button[value=en]").click();
    await page.waitForLoadState("load");
    await expect.poll(() => page.locator("[data-testid=forgot-link]").textContent()).toBe("Forgot password");
    await shot(page, "desktop-login-en");
    await page.goto("/signup");
    const form = page.locator("[data-testid=signup-form]");
    await form.locator("input[name=login]").fill("desk.top@example.com");
    await form.locator("input[name=name]").fill("Desk Top");
    await form.locator("input[name=password]").fill("Orchard-lamp-19");
    await form.locator("input[name=confirm]").fill("Orchard-lamp-19");
    await shot(page, "desktop-signup-en");
    await Promise.all([page.waitForLoadState("load"), form.locator("button.primary").click()]);
    await page.locator("[data-testid=signup-code-form]").waitFor();
    expect(await page.locator("[data-testid=code-sent]").textContent()).toContain("6-digit code");
    await shot(page, "desktop-signup-code-en");
    await page.goto("/forgot-password");
    await shot(page, "desktop-forgot-en");
    await page.goto("/dev/outbox");
    await shot(page, "desktop-outbox-en");
    await page.goto("/signup");
    await page.locator(".locale-switch button[value=zh-CN]").click();
    await page.waitForLoadState("load");
    await page.goto("/dev/outbox");
    await shot(page, "desktop-outbox");
  });

  it("GRP-4/ORG-9: the site's group import binds the proven account (own password); the site reissues a one-time password on the candidate's page, shown once", async () => {
    const page = await e2e.newPage();
    await page.setViewportSize(DESKTOP);
    await logIn(page, "site990101@example.com");
    // SET-1: group registration on at 990101.
    await gotoHydrated(page, "/admin/setup/settings");
    const settings = page.locator("form", { has: page.locator("input[name=intent][value=settings]") });
    await settings.locator("input[name=group_registration]").check();
    const save = settings.locator("button.primary");
    await hydrated(save);
    await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/admin/setup/settings"),
      ),
      save.click(),
    ]);
    await page.locator("p.notice[role=status]").first().waitFor();

    // The candidate who signed up above (proven) and a new one.
    const row = withEmail(groupRow(1, {}, "e2eacc"), EMAIL);
    const zipDir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-acc-"));
    const file = path.join(zipDir, "集体报名.zip");
    fs.writeFileSync(file, await groupZip([row, groupRow(2, {}, "e2eacc")]));
    await gotoHydrated(page, "/admin/group/import");
    const form = page.locator("form", { has: page.locator("input[type=file][name=file]") });
    await form.locator("input[type=file][name=file]").setInputFiles(file);
    const submit = form.locator("button.primary");
    await hydrated(submit);
    await submit.click();
    const result = page.locator("[data-testid=import-result][data-ok=true]");
    await result.waitFor({ timeout: 90_000 });
    expect(await result.textContent()).toContain("绑定已有账号 1 个");
    fs.rmSync(zipDir, { recursive: true, force: true }); // uploaded: nothing left in the temporary folder
    await shot(page, "desktop-group-import");

    // The bound candidate's page: reissue, confirm, the password shown once.
    await gotoHydrated(page, `/admin/candidates?name=${encodeURIComponent("集体2")}`);
    const link = page.locator("table tbody tr", { hasText: "集体2" }).locator("a[href^='/admin/candidates/']").first();
    await Promise.all([page.waitForURL(/\/admin\/candidates\/\d+(\?.*)?$/), link.click()]);
    const reissue = page.locator("[data-testid=reissue-form]");
    await hydrated(reissue.locator("button"));
    page.once("dialog", (d) => void d.accept());
    await reissue.locator("button").click();
    const shown = page.locator("[data-testid=reissued-password] .otp-once");
    await shown.waitFor();
    const otp = ((await shown.textContent()) ?? "").trim();
    expect(otp).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    await shot(page, "desktop-reissue");
    await page.reload();
    expect(await page.locator("[data-testid=reissued-password]").count(), "shown once").toBe(0);

    // The candidate logs in with it and must set a new password.
    const candidate = await phonePage(e2e.browser);
    await logIn(candidate, EMAIL, otp);
    expect(new URL(candidate.url()).pathname).toBe("/change-password");
  });
});
