import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { gotoHydrated, hydrated, logIn, shiftWallClock, useE2E } from "./harness";

// One journey through the pre-registration setup (SET-2 … SET-6) and the readiness roll-up:
// a city adds a site from nothing, gives it its windows, the province sets its fees, and the site's
// own admin (a new account with a one-time password) completes the rest until it is ready.

const e2e = useE2E();

const NEW_SITE = "990103";
const NEW_SITE_NAME = "测试第三考点";
const NEW_LOGIN = "site990103@example.com";
const NEW_PASSWORD = "E2e-site-990103-2026";

/** The two wall-clock times of a "<start> 至 <end>" text. */
function range(text: string): [string, string] {
  const m = /(\d{4}[-/]\d{2}[-/]\d{2} \d{2}:\d{2})\s*至\s*(\d{4}[-/]\d{2}[-/]\d{2} \d{2}:\d{2})/.exec(text);
  if (!m) throw new Error(`no "<start> 至 <end>" range in: ${text}`);
  return [m[1], m[2]];
}

async function rollup(page: Page) {
  const p = page.locator("[data-testid=readiness-rollup] p[data-ready-count]");
  await p.waitFor();
  return {
    ready: Number(await p.getAttribute("data-ready-count")),
    sites: Number(await p.getAttribute("data-site-count")),
  };
}

async function missingOfSite(page: Page) {
  const box = page.locator("[data-testid=readiness]");
  await box.waitFor();
  return box.locator("li[data-missing]").evaluateAll((els) => els.map((e) => e.getAttribute("data-missing") ?? ""));
}

/** On /admin/windows as a superior: sets `code`'s window of `kind` to the parent's, one hour inside at each end. */
async function setSubordinateWindow(page: Page, kind: string, code: string) {
  await gotoHydrated(page, `/admin/windows?kind=${kind}`);
  const row = page.locator(`[data-testid=subordinate-windows] tr[data-org="${code}"]`);
  await row.waitFor();
  expect(await row.locator('input[name^="start_"]').inputValue(), `${code} has no ${kind} window yet`).toBe("");
  const [parentStart, parentEnd] = range((await row.locator("td").last().textContent()) ?? "");
  const start = shiftWallClock(parentStart, 1);
  const end = shiftWallClock(parentEnd, -1);
  await row.locator('input[type=datetime-local][name^="start_"]').fill(start);
  await row.locator('input[type=datetime-local][name^="end_"]').fill(end);
  await page
    .locator("form", { has: page.locator("[data-testid=subordinate-windows]") })
    .locator("button.primary")
    .click();
  const saved = page.locator("p.notice[role=status]");
  await saved.waitFor();
  expect(await saved.textContent()).toContain("已保存 1 项");
  expect(await page.locator("[role=alert]").count()).toBe(0);
  // Saved as typed.
  await gotoHydrated(page, `/admin/windows?kind=${kind}`);
  const again = page.locator(`[data-testid=subordinate-windows] tr[data-org="${code}"]`);
  expect(await again.locator('input[name^="start_"]').inputValue()).toBe(start);
  expect(await again.locator('input[name^="end_"]').inputValue()).toBe(end);
}

/** Follows the readiness link of `item` from the site's home page and checks where it leads. */
async function followReadinessLink(page: Page, item: string, pathname: string) {
  await gotoHydrated(page, "/admin");
  const link = page.locator(`[data-testid=readiness] li[data-missing="${item}"] a`);
  await Promise.all([page.waitForURL((u) => u.pathname === pathname), link.click()]);
  await page.locator("h1").first().waitFor();
}

describe("Pre-registration setup in the browser", () => {
  it("X-6/ORG-4/ORG-9/WIN-1/SET-2/SET-3/SET-4/SET-6: a new site is configured from nothing to ready and the city's roll-up follows", async () => {
    // 1. The city's roll-up as seeded: 990101 ready, 990102 not.
    const city = await e2e.newPage();
    await logIn(city, "city9901@example.com");
    expect(new URL(city.url()).pathname).toBe("/admin");
    const seeded = await rollup(city);
    expect(await city.locator('[data-testid=readiness-rollup] tr[data-site="990101"]').count()).toBe(0);
    expect(await city.locator('[data-testid=readiness-rollup] tr[data-site="990102"]').count()).toBe(1);
    expect(seeded.ready).toBeGreaterThanOrEqual(1);
    expect(seeded.sites).toBeGreaterThan(seeded.ready);

    // 2. The city adds the site under itself (its own org is selected by default) and a user for it.
    await gotoHydrated(city, "/admin/orgs");
    expect(await city.locator(".detail h1").textContent()).toContain("9901");
    const addOrg = city.locator("form", { has: city.locator("input[name=code]") });
    expect(await addOrg.locator("h3").textContent()).toMatch(/^新增/);
    await addOrg.locator("input[name=code]").fill(NEW_SITE);
    await addOrg.locator("input[name=name]").fill(NEW_SITE_NAME);
    await addOrg.locator("button.primary").click();
    await city.locator("p.notice[role=status]", { hasText: "机构已新增" }).waitFor();
    expect(await city.locator("[role=alert]").count()).toBe(0);
    const treeLink = city.locator("aside.tree a", { hasText: NEW_SITE_NAME });
    await treeLink.waitFor();
    await Promise.all([city.waitForURL((u) => u.searchParams.has("org")), treeLink.click()]);
    const newSiteId = Number(new URL(city.url()).searchParams.get("org"));
    expect(newSiteId).toBeGreaterThan(0);
    await city.locator(".detail h1", { hasText: NEW_SITE }).waitFor();
    const addUser = city.locator("form", { has: city.getByRole("button", { name: "新增用户" }) });
    await addUser.locator("input[name=login]").fill(NEW_LOGIN);
    await addUser.locator("input[name=name]").fill("孙老师");
    await addUser.locator("select[name=role]").selectOption("admin");
    await addUser.getByRole("button", { name: "新增用户" }).click();
    const otp = city.locator("[data-testid=one-time-password] code");
    await otp.waitFor();
    const oneTimePassword = ((await otp.textContent()) ?? "").trim();
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(8);
    await city.locator(`[data-testid=members] tr[data-login="${NEW_LOGIN}"]`).waitFor();

    // 3. The city gives the new site its setup and online-registration windows, inside its own and around now.
    await setSubordinateWindow(city, "pre_registration", NEW_SITE);
    await setSubordinateWindow(city, "online_registration", NEW_SITE);
    await gotoHydrated(city, "/admin");
    const withNew = await rollup(city);
    expect(withNew).toEqual({ ready: seeded.ready, sites: seeded.sites + 1 });
    const newRow = city.locator(`[data-testid=readiness-rollup] tr[data-site="${NEW_SITE}"]`);
    await newRow.waitFor();
    const cityMissing = await newRow
      .locator("a[data-missing]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-missing")));
    expect(cityMissing).toEqual(
      expect.arrayContaining(["fees_not_set", "no_subject", "capacity_not_set", "address_missing"]),
    );
    // The roll-up's links open the page that fixes the item, for that site.
    const feesHref = (await newRow.locator('a[data-missing="fees_not_set"]').getAttribute("href")) ?? "";
    expect(feesHref).toBe(`/admin/setup/fees?site=${newSiteId}`);
    expect(await newRow.locator('a[data-missing="address_missing"]').getAttribute("href")).toBe(
      `/admin/orgs?org=${newSiteId}`,
    );

    // 4. The province sets the new site's fees (SET-3), picking it in the site picker.
    const province = await e2e.newPage();
    await logIn(province, "province99@example.com");
    await gotoHydrated(province, "/admin/setup/fees");
    const option = province.locator("select[name=site] option", { hasText: NEW_SITE });
    expect(await option.count()).toBe(1);
    expect(Number(await option.getAttribute("value"))).toBe(newSiteId);
    await gotoHydrated(province, `/admin/setup/fees?site=${newSiteId}`);
    await province.locator("h1", { hasText: NEW_SITE }).waitFor();
    const fees = province.locator("form", { has: province.locator("[data-testid=fees]") });
    await fees.locator("input[name=per_person]").fill("10");
    await fees.locator("input[name=fee_14]").fill("110");
    await fees.locator("input[name=fee_65]").fill("110");
    await fees.locator("button.primary").click();
    await province.locator("p.notice[role=status]", { hasText: "已保存" }).waitFor();
    expect(await province.locator("[role=alert]").count()).toBe(0);
    await gotoHydrated(province, `/admin/setup/fees?site=${newSiteId}`);
    expect(await province.locator("input[name=per_person]").inputValue()).toBe("10.00");
    expect(await province.locator("input[name=fee_14]").inputValue()).toBe("110.00");
    expect(await province.locator("input[name=fee_65]").inputValue()).toBe("110.00");
    expect(await province.locator("input[name=fee_15]").inputValue()).toBe("");

    // Issue 15 item 9: another site's form filled in from this one (nothing saved until Save), and
    // the other sites a save would reach, a whole city at a time.
    const id990102 = await province.locator("select[name=site] option", { hasText: "(990102)" }).getAttribute("value");
    await gotoHydrated(province, `/admin/setup/fees?site=${id990102}`);
    await province.locator("[data-testid=copy-from] select[name=from]").selectOption(String(newSiteId));
    await Promise.all([
      province.waitForURL((u) => u.searchParams.get("from") === String(newSiteId)),
      province.locator("[data-testid=copy-from] button").click(),
    ]);
    await province.locator("[data-testid=copied-from]", { hasText: NEW_SITE }).waitFor();
    expect(await province.locator("input[name=per_person]").inputValue()).toBe("10.00");
    expect(await province.locator("input[name=fee_15]").inputValue()).toBe("");
    const apply = province.locator("[data-testid=apply-to-sites]");
    await apply.locator("summary").click();
    const group = apply
      .locator("fieldset")
      .filter({ has: province.locator("input[name=also_city]") })
      .last();
    await group.locator("input[name=also_city]").check();
    const inCity = group.locator("input[name=also_site]");
    expect(await inCity.count()).toBeGreaterThan(0);
    for (const box of await inCity.all()) {
      expect(await box.isChecked()).toBe(true);
      expect(await box.isDisabled()).toBe(true);
    }
    await apply.locator("summary .badge", { hasText: `已选 ${await inCity.count()} 个` }).waitFor();

    // 5. The site's new admin logs in with the one-time password and must change it first (ORG-9).
    const site = await e2e.newPage();
    await logIn(site, NEW_LOGIN, oneTimePassword);
    expect(new URL(site.url()).pathname).toBe("/change-password");
    await site.locator("input[name=current]").fill(oneTimePassword);
    await site.locator("input[name=next]").fill(NEW_PASSWORD);
    await site.locator("input[name=confirm]").fill(NEW_PASSWORD);
    await Promise.all([site.waitForURL((u) => u.pathname === "/admin"), site.locator("button.primary").click()]);
    expect(await site.locator("[data-testid=home-org]").textContent()).toContain(NEW_SITE);
    const first = await missingOfSite(site);
    expect(first).toEqual(expect.arrayContaining(["no_subject", "capacity_not_set", "address_missing"]));
    // The fees the province set cover every subject the site offers (none yet) and the per-person fee.
    expect(first).not.toContain("fees_not_set");
    expect(await site.locator("[data-testid=readiness] [data-ready=true]").count()).toBe(0);

    // 6a. Address (ORG-4: a site edits its own info).
    await followReadinessLink(site, "address_missing", "/admin/orgs");
    const info = site.locator("form", { has: site.locator("input[name=address]") });
    await info.locator("input[name=address]").fill("测试省第一地市科技路3号 实验楼");
    await info.locator("input[name=postcode]").fill("999003");
    await info.locator("button.primary").click();
    await site.locator("p.notice[role=status]", { hasText: "已保存" }).waitFor();
    expect(await site.locator("[role=alert]").count()).toBe(0);

    // 6b. Subjects 14 and 65, with the province's dates (SET-2).
    await followReadinessLink(site, "no_subject", "/admin/setup/subjects");
    for (const code of ["14", "65"]) {
      const row = site.locator(`[data-testid=available-subjects] tr[data-code="${code}"]`);
      await row.waitFor();
      await row.getByRole("button", { name: "新增" }).click();
      await site.locator(`[data-testid=offered-subjects] tr[data-code="${code}"]`).waitFor();
      expect(await site.locator("[role=alert]").count()).toBe(0);
    }
    expect(await site.locator('[data-testid=available-subjects] tr[data-code="14"]').count()).toBe(0);

    // 6c. Capacity through the "修改人数" dialog (SET-4).
    await followReadinessLink(site, "capacity_not_set", "/admin/setup/capacity");
    const change = site.getByRole("button", { name: "修改人数" });
    await hydrated(change);
    const dialog = site.locator("dialog");
    await change.click();
    await dialog.locator("input[name=total]").waitFor({ state: "visible" });
    await dialog.locator("input[name=total]").fill("300");
    await dialog.locator("input[name=cap_14]").fill("150");
    await dialog.locator("input[name=cap_65]").fill("150");
    await dialog.getByRole("button", { name: "保存" }).click();
    await site.locator("p.notice[role=status]", { hasText: "已保存" }).waitFor();
    expect(await site.locator("[role=alert]").count()).toBe(0);
    const capacityCell = (code: string) => site.locator(`[data-testid=capacity] tr[data-code="${code}"] td`).first();
    await expect.poll(() => capacityCell("total").textContent()).toBe("300");
    expect(await capacityCell("14").textContent()).toBe("150");
    expect(await capacityCell("65").textContent()).toBe("150");

    // 7. A total below the minimum is refused with an alert, and the numbers stay (SET-4).
    e2e.allowConsoleError(/status of 400 .*\/admin\/setup\/capacity/); // the refused form post answers 400
    await change.click();
    await dialog.locator("input[name=total]").waitFor({ state: "visible" });
    await dialog.locator("input[name=total]").fill("50");
    await dialog.locator("input[name=cap_14]").fill("150");
    await dialog.locator("input[name=cap_65]").fill("150");
    await dialog.getByRole("button", { name: "保存" }).click();
    const refused = site.locator("[role=alert]");
    await refused.waitFor();
    expect(await refused.textContent()).toContain("100");
    expect(await site.locator("p.notice[role=status]", { hasText: "已保存" }).count()).toBe(0);
    expect(await capacityCell("total").textContent()).toBe("300");
    await gotoHydrated(site, "/admin/setup/capacity");
    expect(await capacityCell("total").textContent()).toBe("300");
    expect(await capacityCell("14").textContent()).toBe("150");

    // 6d. Online registration on, inside the bounds the city gave (SET-6).
    await gotoHydrated(site, "/admin/setup/settings");
    const bounds = site.locator("p", { hasText: "上级给定的网上报名时间范围：" });
    await bounds.waitFor();
    const [boundStart, boundEnd] = range((await bounds.textContent()) ?? "");
    const online = site.locator("form", { has: site.locator("input[name=intent][value=online]") });
    await online.locator("input[name=enabled]").check();
    const onlineStart = shiftWallClock(boundStart, 1);
    const onlineEnd = shiftWallClock(boundEnd, -1);
    await online.locator("input[name=start]").fill(onlineStart);
    await online.locator("input[name=end]").fill(onlineEnd);
    await online.getByRole("button", { name: "保存" }).click();
    await site.locator("p.notice[role=status]", { hasText: "已保存" }).waitFor();
    expect(await site.locator("[role=alert]").count()).toBe(0);
    await gotoHydrated(site, "/admin/setup/settings");
    expect(await site.locator("form input[name=enabled]").isChecked()).toBe(true);
    expect(await site.locator("form input[name=start]").inputValue()).toBe(onlineStart);
    expect(await site.locator("form input[name=end]").inputValue()).toBe(onlineEnd);

    // The site is ready.
    await gotoHydrated(site, "/admin");
    await site.locator("[data-testid=readiness] [data-ready=true]").waitFor();
    expect(await missingOfSite(site)).toEqual([]);

    // 8. The city's roll-up counts it as ready and no longer lists it.
    await city.reload();
    const after = await rollup(city);
    expect(after).toEqual({ ready: withNew.ready + 1, sites: withNew.sites });
    expect(await city.locator(`[data-testid=readiness-rollup] tr[data-site="${NEW_SITE}"]`).count()).toBe(0);
    expect(await city.locator('[data-testid=readiness-rollup] tr[data-site="990102"]').count()).toBe(1);
  });
});
