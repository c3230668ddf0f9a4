import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { recordRow, writeXlsx } from "../fixtures/student-records";
import { gotoHydrated, hydrated, logIn, useE2E } from "./harness";

// Issue 13 item 7: after an import that failed, a new upload refused at once shows its own message only;
// the previous import's red alert does not stay under it (it read as the new file's errors).

const e2e = useE2E();

async function submit(page: Page, file: string) {
  const form = page.locator("form", { has: page.locator("input[type=file][name=file]") });
  await form.locator("input[type=file][name=file]").setInputFiles(file);
  const button = form.locator("button.primary");
  await hydrated(button);
  await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/admin/records/import"),
    ),
    button.click(),
  ]);
}

describe("Import pages (issue 13 item 7)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-e2e-alerts-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("X-3: a refused upload's message is the only alert; the previous import's errors do not stay under it", async () => {
    const page = await e2e.newPage();
    await logIn(page, "site990101@example.com");
    const bad = await writeXlsx(path.join(dir, "学籍信息-错误.xlsx"), [recordRow(0, { "性别*": "未知性别" })]);
    await gotoHydrated(page, "/admin/records/import");
    await submit(page, bad);
    const failed = page.locator("[data-testid=import-result][data-ok=false]");
    for (let i = 0; ; i++) {
      try {
        await failed.waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        if (i > 6) throw e;
        await page.reload();
      }
    }
    expect(await failed.locator("[role=alert]").count()).toBeGreaterThan(0);

    e2e.allowConsoleError(/400|Bad Request/);
    const junk = path.join(dir, "学籍信息.xlsx");
    fs.writeFileSync(junk, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))); // neither zip nor text
    await submit(page, junk);
    // The refusal drawn (until then the previous result's own alert is still on the page).
    await page.locator("[data-testid=action-error]").waitFor();
    const alerts = page.locator("[role=alert]");
    await expect.poll(() => alerts.count()).toBe(1);
    expect(await page.locator("[data-testid=import-result]").count()).toBe(0);
    expect(await alerts.first().textContent()).not.toMatch(/有 \d+ 处错误/);
  });
});
