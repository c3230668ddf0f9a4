import { describe, expect, it } from "vitest";
import { logIn, useE2E } from "./harness";

// Issue 13 item 8 (docs/decisions/0026): React 18.3.1's Node streaming renderer padded a 2 KB view with NUL
// bytes when a multi-byte character did not fit its end (react #31134), so Chinese pages carried 0x00 bytes.
// Fetch the raw bytes of pages full of Chinese text, as served by the built server, and check each one.

const e2e = useE2E();

function problems(url: string, bytes: Buffer): string[] {
  const found: string[] = [];
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    found.push(`${url}: NUL byte at ${nul} (${bytes.filter((b) => b === 0).length} in ${bytes.length} bytes)`);
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    found.push(`${url}: not valid UTF-8`);
  }
  return found;
}

async function fetchAll(page: Awaited<ReturnType<typeof e2e.newPage>>, urls: string[]) {
  const found: string[] = [];
  for (const url of urls) {
    const res = await page.request.get(url, { headers: { "Accept-Language": "zh-CN" } });
    expect(res.status(), url).toBe(200);
    expect(res.headers()["content-type"], url).toContain("text/html");
    const bytes = await res.body();
    expect(bytes.toString("utf8"), url).toMatch(/[\u4e00-\u9fff]/);
    found.push(...problems(url, bytes));
  }
  return found;
}

describe("Clean HTML (issue 13 item 8)", () => {
  it("Item 8: streamed zh-CN pages full of Chinese text hold no NUL byte and are valid UTF-8", async () => {
    const site = await e2e.newPage();
    const anonymous = await fetchAll(site, ["/login", "/signup", "/forgot-password"]);
    await logIn(site, "site990101@example.com");
    const admin = await fetchAll(site, [
      "/admin",
      "/admin/stats?view=candidates",
      "/admin/stats?view=entries",
      "/admin/candidates",
      "/admin/windows?kind=registration",
    ]);
    const candidate = await e2e.newPage();
    await logIn(candidate, "candidate@example.com");
    const status = await fetchAll(candidate, ["/candidate"]);
    expect([...anonymous, ...admin, ...status]).toEqual([]);
  });
});
