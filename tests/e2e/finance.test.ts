import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, gotoHydrated, hydrated, logIn, useE2E } from "./harness";

// Issue 20 in the browser: site 990101's finance staff on a laptop (tests/e2e/fixtures/finance-ready.ts):
// the home page's money, a settlement account added and last sitting's copied (FIN-1), the gateway's
// ledger fetched and a difference listed (FIN-2), a late payment refunded through the simulated gateway.
const e2e = useE2E({ prepare: "tests/e2e/fixtures/finance-ready.ts" });
const LAPTOP = { width: 1366, height: 768 };

describe("finance staff in the browser (FIN-1, FIN-2)", () => {
  it("FIN-1/FIN-2: add an account, copy last sitting's, reconcile and see a difference, refund a late payment", async () => {
    const page = await e2e.newPage();
    await page.setViewportSize(LAPTOP);
    page.on("dialog", (d) => void d.accept());
    e2e.allowConsoleError(/status of 400 .*\/admin\/finance\/accounts\.data/); // the refused bank code answers 400
    await logIn(page, "finance990101@example.com");

    // The home page: today's payments, refunds due, no account yet.
    await gotoHydrated(page, "/admin");
    await page.locator("[data-testid=finance-home]").waitFor();
    expect(await page.locator("[data-testid=finance-refunds]").textContent()).toContain("1 笔待退款");
    expect(await page.locator("[data-testid=finance-accounts]").textContent()).toContain("还没有分账账户");

    // FIN-1: add an account; a bank code one digit short is refused first, by name.
    await gotoHydrated(page, "/admin/finance/accounts");
    await page.locator("[data-testid=add-account]").click();
    const form = page.locator("[data-testid=account-form-add]");
    await hydrated(form.locator("input[name=bank]"));
    await form.locator("input[name=bank]").fill("中国建设银行");
    await form.locator("input[name=bank_code]").fill("10561700099");
    await form.locator("input[name=account_name]").fill("测试大学");
    await form.locator("input[name=account_no]").fill("6227 0000 1234 5678");
    await form.locator("select[name=account_type]").selectOption({ index: 1 });
    await form.locator("button[type=submit]").click();
    await page.locator("[data-testid=account-form-add] [aria-invalid=true]").first().waitFor();
    await page.locator("[data-testid=account-form-add] input[name=bank_code]").fill("105617000999");
    await page.locator("[data-testid=account-form-add] button[type=submit]").click();
    await page.locator("[data-testid=accounts]").waitFor();
    const table = page.locator("[data-testid=accounts]");
    expect(await table.textContent()).toContain("5678");
    expect(await table.textContent()).not.toContain("62270000");
    // Copy sitting 78's account.
    await page.locator("[data-testid=copy-accounts]").click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=accounts] tbody tr").length === 2);
    expect(await table.textContent()).toContain("0111");
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "desktop-finance-accounts.png"), fullPage: true });

    // FIN-2: the payments of the site, then the gateway's ledger fetched by a job; the amount that differs is listed.
    await gotoHydrated(page, "/admin/finance/payments");
    await page.locator("[data-testid=stats-payments]").waitFor();
    await page.getByRole("button", { name: "从支付平台取回对账单并核对" }).click();
    await page.locator("[data-testid=differences]").waitFor({ timeout: 60_000 });
    const diff = page.locator("[data-testid=differences] tr[data-kind=amount_mismatch]");
    expect(await diff.textContent()).toContain("E2EDIFF0000001");
    expect(await diff.textContent()).toContain("¥110.00");
    await page.screenshot({ path: path.join(ARTIFACTS, "desktop-finance-payments.png"), fullPage: true });

    // The late payment refunded through the simulated gateway (the confirm dialog accepted).
    await gotoHydrated(page, "/admin/finance/refunds");
    const row = page.locator("[data-testid=refunds] tr[data-state=due]");
    expect(await row.textContent()).toContain("E2ELATE0000001");
    await hydrated(row.locator("button"));
    await row.locator("button").click();
    await page.locator("[data-testid=refund-outcome]").waitFor();
    expect(await page.locator("[data-testid=refund-outcome]").textContent()).toContain("已退款");
    await page.locator("[data-testid=refunds] tr[data-state=refunded]").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "desktop-finance-refunds.png"), fullPage: true });

    // The candidate who paid late sees it refunded on their status page, on a phone.
    const phone = await e2e.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await logIn(phone, "candidate@example.com");
    await gotoHydrated(phone, "/candidate");
    const mine = phone.locator("[data-testid=my-refunds] li[data-state=refunded]");
    expect(await mine.textContent()).toContain("¥120.00");
    await phone.screenshot({ path: path.join(ARTIFACTS, "phone-candidate-refund.png"), fullPage: true });
  });

  it("STAT-1: a province picks a preset, sees its own sites only and no one named, and exports it", async () => {
    const page = await e2e.newPage();
    await page.setViewportSize(LAPTOP);
    await logIn(page, "province99@example.com");
    await gotoHydrated(page, "/admin/statistics");
    await page.locator("[data-preset=paid_by_site]").click();
    await page.locator("[data-testid=pivot-table]").waitFor();
    const table = await page.locator("[data-testid=pivot-table]").textContent();
    // The fixture's registrations are 990101's: the province's own sites only, no candidate named.
    expect(table).toContain("990101");
    expect(table).not.toContain("500101");
    expect(table).not.toMatch(/\d{17}[\dX]/);
    await page.screenshot({ path: path.join(ARTIFACTS, "desktop-general-statistics.png"), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator("[data-testid=pivot-export]").click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  });
});
