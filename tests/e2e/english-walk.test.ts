import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { SCORE_COLUMNS } from "../../app/domain/scores";
import { MAILING_COLUMNS } from "../../app/domain/certificate-mailing";
import { NCRE_SUBJECTS } from "~templates/subjects";
import { GROUP_SHEET } from "~/domain/group-registration";
import { STUDENT_RECORD_SHEET } from "~/domain/student-record";
import { zhCN } from "~/i18n/zh-CN";
import { gotoHydrated, logIn, ROOT, useE2E } from "./harness";

const e2e = useE2E();

// X-5 (issue 15 item 10): in English, no page shows Chinese except data: the demo's organisations,
// people, addresses, sittings and notices (every Chinese string literal of the seed) and subject names.
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g;
const seedText = fs.readFileSync(path.join(ROOT, "db/seed.ts"), "utf8");
const DATA = [
  ...Array.from(seedText.matchAll(/"([^"\n]*[\u4e00-\u9fff][^"\n]*)"/g), (m) => m[1]),
  ...Array.from(seedText.matchAll(/`([^`]*[\u4e00-\u9fff][^`]*)`/g), (m) => m[1]),
  ...NCRE_SUBJECTS.map((s) => s.name),
  // The templates' sheet names are part of the file format a page names (the sheet to fill in).
  STUDENT_RECORD_SHEET,
  GROUP_SHEET,
  // So are the score and certificate mailing files' built-in column names (decision 0042).
  ...[SCORE_COLUMNS, MAILING_COLUMNS].flatMap((c) => Object.values(c).flat()),
  // Said in both languages on purpose: the language switch names Chinese in Chinese, and the
  // demo gateway's warning must reach everyone (CAN-7).
  "中文",
  zhCN["pay.demo_notice"],
];
const isData = (run: string) => DATA.some((d) => d.includes(run));

/** Chinese runs on the page that are not data. */
async function strayChinese(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    // Form values typed or loaded are data too; what is checked is what the page itself says.
    const parts = [document.body.innerText, document.title];
    document.querySelectorAll("[placeholder],[title],[aria-label]").forEach((el) => {
      for (const a of ["placeholder", "title", "aria-label"]) {
        const v = el.getAttribute(a);
        if (v) parts.push(v);
      }
    });
    return parts.join("\n");
  });
  return [...new Set(text.match(CJK) ?? [])].filter((run) => !isData(run));
}

async function toEnglish(page: Page) {
  await page.locator(".locale-switch button[value=en]").first().click();
  await page.waitForFunction(() => document.documentElement.lang === "en");
}

async function walk(page: Page, links: string[]) {
  const found: Record<string, string[]> = {};
  for (const href of links) {
    const res = await page.goto(href);
    expect(res?.status(), href).toBeLessThan(500);
    await page.waitForFunction(() => document.documentElement.lang === "en");
    const stray = await strayChinese(page);
    if (stray.length) found[href] = stray;
  }
  return found;
}

async function menuLinks(page: Page): Promise<string[]> {
  // Every group of the menu, folded or not.
  const hrefs = await page
    .locator("[data-testid=sidenav] a[href]")
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")!));
  return [...new Set(hrefs.filter((h) => h.startsWith("/")))];
}

describe("X-5: every page in English", () => {
  it.each([
    "site990101@example.com",
    "city9901@example.com",
    "province99@example.com",
    "centre@example.com",
    "finance990101@example.com",
  ])("%s: every menu page shows no Chinese outside data", async (login) => {
    const page = await e2e.newPage();
    e2e.allowConsoleError(/status of 40[34]/);
    await page.setViewportSize({ width: 1366, height: 768 });
    await logIn(page, login);
    await gotoHydrated(page, "/admin");
    await toEnglish(page);
    const links = await menuLinks(page);
    expect(links.length).toBeGreaterThan(3);
    expect(await walk(page, ["/admin", ...links])).toEqual({});
  });

  it("the candidate's pages show no Chinese outside data", async () => {
    const page = await e2e.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await logIn(page, "candidate@example.com");
    await gotoHydrated(page, "/candidate");
    await toEnglish(page);
    const steps = await page
      .locator("nav.steps a[href]")
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")!));
    expect(
      await walk(page, [
        "/candidate",
        ...new Set(steps),
        "/candidate/site",
        "/candidate/details",
        "/candidate/entries",
        "/candidate/photo",
        "/candidate/pay",
      ]),
    ).toEqual({});
    // Code lists are named in English too (innerText does not read a closed drop-down's options).
    await gotoHydrated(page, "/candidate/site");
    const idTypes = await page.locator("select[name=idType] option").allTextContents();
    expect(idTypes).toContain("Resident ID card");
    expect(idTypes.join("")).not.toMatch(CJK);
  });

  it("the pages before login show no Chinese", async () => {
    const page = await e2e.newPage();
    await gotoHydrated(page, "/login");
    await toEnglish(page);
    expect(await walk(page, ["/login", "/signup", "/forgot-password"])).toEqual({});
  });
});
