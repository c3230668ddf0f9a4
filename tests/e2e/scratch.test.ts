import { expect, it } from "vitest";
import { logIn, useE2E } from "./harness";
const e2e = useE2E();
it("scratch", async () => {
  const page = await e2e.newPage();
  await logIn(page, "site990101@example.com");
  const reqs: string[] = [];
  page.on("request", (r) => reqs.push(`${r.method()} ${r.url()}`));
  for (let i = 0; i < 8; i++) {
    await page.goto("/admin/orgs");
    reqs.length = 0;
    const login = `s-${Date.now()}@example.com`;
    const add = page.locator("form", { has: page.getByRole("button", { name: "新增用户" }) });
    await add.locator("input[name=login]").fill(login);
    await add.locator("input[name=name]").fill("x");
    await add.getByRole("button", { name: "新增用户" }).click();
    await page.locator("[data-testid=one-time-password] code").waitFor();
    const n = await page.locator(`[data-testid=members] tr[data-login="${login}"]`).count();
    const all = await page.locator(`[data-testid=members] tr`).count();
    console.log(i, n, all, reqs.join(" | "));
    await page.waitForTimeout(500);
    console.log("  later", await page.locator(`[data-testid=members] tr[data-login="${login}"]`).count());
  }
});
