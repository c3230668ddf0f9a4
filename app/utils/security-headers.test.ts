import express from "express";
import { describe, expect, it } from "vitest";
import { listenLocal } from "../../tests/factories/http";
import { cspNonce, securityHeaders } from "./security-headers.server";

// X-4 (decision 0066): the CSP header is helmet's, built once around a placeholder; each request puts
// only its own nonce in. The header must be exactly what helmet wrote per request before.
async function headersOf(opts: Parameters<typeof securityHeaders>[0]) {
  const app = express();
  app.use(cspNonce);
  app.use(securityHeaders(opts));
  app.get("/", (_req, res) => res.send(String(res.locals.cspNonce)));
  const local = await listenLocal(app);
  try {
    const get = async () => {
      const r = await fetch(`${local.base}/`);
      return { csp: r.headers.get("content-security-policy") ?? "", nonce: await r.text(), headers: r.headers };
    };
    return [await get(), await get()];
  } finally {
    await local.close();
  }
}

describe("securityHeaders' CSP (X-4)", () => {
  it("X-4: helmet's directives, with each request's own nonce in script-src and nowhere else", async () => {
    const [a, b] = await headersOf({ production: true, https: false, dev: false });
    expect(a.nonce).not.toBe(b.nonce);
    for (const r of [a, b])
      expect(r.csp).toBe(
        "default-src 'self';" +
          `script-src 'self' 'nonce-${r.nonce}';` +
          "script-src-attr 'none';style-src 'self' 'unsafe-inline';img-src 'self' data: blob:;font-src 'self' data:;" +
          "connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
      );
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("x-frame-options")).toBe("DENY");
    expect(a.headers.get("strict-transport-security")).toBeNull();
  });

  it("X-4: over https in production, upgrade-insecure-requests and HSTS; in development Vite's socket", async () => {
    const [prod] = await headersOf({ production: true, https: true, dev: false });
    expect(prod.csp.endsWith(";upgrade-insecure-requests")).toBe(true);
    expect(prod.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    const [dev] = await headersOf({ production: false, https: false, dev: true });
    expect(dev.csp).toContain("connect-src 'self' ws: wss:;");
    expect(dev.csp).toContain(`'nonce-${dev.nonce}'`);
  });
});
