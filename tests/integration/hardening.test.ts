import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as loginRoute from "../../app/routes/login";
import * as setLocaleRoute from "../../app/routes/set-locale";
import * as adminLayoutRoute from "../../app/routes/admin";
import * as changePasswordRoute from "../../app/routes/change-password";
import * as payRoute from "../../app/routes/candidate.pay";
import * as simRoute from "../../app/routes/pay.sim.$txn";
import * as notifyRoute from "../../app/routes/payments.notify.$provider";
import * as rootRoute from "../../app/root";
import { signSimNotification } from "../../app/payments/simulated.server";
import { logIn } from "../../app/services/log-in.server";
import { resetEnvCache } from "../../app/utils/env.server";
import { cspNonce, hostCheck, noStoreForPersonalPaths, securityHeaders } from "../../app/utils/security-headers.server";
import { readSession } from "../../app/utils/session.server";
import { ACCOUNT_RULE, PAIR_RULE } from "../../app/domain/login-throttle";
import { AppError } from "../../app/domain/errors";
import { getDb } from "../../db/client";
import { act, DEMO_PASSWORD, makeRequest, newCandidate, orgId, run, sessionCookie } from "../factories";
import { makeRegistration } from "../factories/registrations";

/**
 * Issue 12 hardening: SSRF through the Host header (item 7), redirects (8), login throttling (9),
 * sessions, headers and notifications (11), the demo gateway (12).
 */
const saved = { PUBLIC_URL: process.env.PUBLIC_URL, PAYMENT_PROVIDER: process.env.PAYMENT_PROVIDER };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

let site1: number;
let sittingId: number;
beforeAll(async () => {
  site1 = await orgId("990101");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe("CAN-7: no requests on behalf of a client (SSRF)", () => {
  it("CAN-7: the payment's notify and return URLs come from PUBLIC_URL whatever Host the request carries", async () => {
    process.env.PUBLIC_URL = "https://kaowu.example.cn";
    resetEnvCache();
    const c = await newCandidate();
    await makeRegistration({
      siteId: site1,
      sittingId,
      accountId: c.id,
      subjects: ["14"],
      hold: new Date(Date.now() + 3600_000),
    });
    const request = new Request("http://attacker.example:8080/candidate/pay", {
      method: "POST",
      headers: {
        Host: "attacker.example:8080",
        Cookie: c.cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "x-kaowu-client-ip": "127.0.0.1",
      },
      body: form({ intent: "pay" }),
    });
    const r = await run(() => payRoute.action({ request, params: {}, context: {} }));
    expect(r.status).toBe(302);
    const txn = await getDb()
      .selectFrom("sim_gateway_txn")
      .selectAll()
      .where("id", "=", r.location!.split("/").pop()!)
      .executeTakeFirstOrThrow();
    expect(txn.notify_url).toBe("https://kaowu.example.cn/payments/notify/simulated");
    expect(txn.return_url).toBe("https://kaowu.example.cn/candidate/pay");
  });

  it("CAN-7: without PUBLIC_URL the URLs name the server's own address, never the request's Host", async () => {
    delete process.env.PUBLIC_URL;
    resetEnvCache();
    const c = await newCandidate();
    await makeRegistration({
      siteId: site1,
      sittingId,
      accountId: c.id,
      subjects: ["15"],
      hold: new Date(Date.now() + 3600_000),
    });
    const request = new Request("http://attacker.example/candidate/pay", {
      method: "POST",
      headers: { Host: "attacker.example", Cookie: c.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: form({ intent: "pay" }),
    });
    const r = await run(() => payRoute.action({ request, params: {}, context: {} }));
    const txn = await getDb()
      .selectFrom("sim_gateway_txn")
      .selectAll()
      .where("id", "=", r.location!.split("/").pop()!)
      .executeTakeFirstOrThrow();
    expect(txn.notify_url).toMatch(/^http:\/\/localhost:\d+\/payments\/notify\/simulated$/);
    expect(txn.notify_url).not.toContain("attacker");
  });
});

describe("redirects stay on the site", () => {
  it.each(["/\\evil.example", "//evil.example", "https://evil.example/", "/%5Cevil.example", "/\t/evil.example"])(
    "CAN-1: login with redirectTo=%j lands on the own home page",
    async (target) => {
      const r = await act(loginRoute, "/login", undefined, {
        login: "city9901@example.com",
        password: DEMO_PASSWORD,
        redirectTo: target,
      });
      expect(r.status).toBe(302);
      expect(r.location).toBe("/admin");
    },
  );

  it("CAN-1: login still returns to a page of the site", async () => {
    const r = await act(loginRoute, "/login", undefined, {
      login: "city9901@example.com",
      password: DEMO_PASSWORD,
      redirectTo: "/admin/stats?x=1",
    });
    expect(r.location).toBe("/admin/stats?x=1");
  });

  it.each(["/\\evil.example", "//evil.example", "javascript:alert(1)", "/%2F%2Fevil.example"])(
    "X-5: switching language with redirectTo=%j stays on the site",
    async (target) => {
      const r = await act(setLocaleRoute, "/set-locale", undefined, { locale: "en", redirectTo: target });
      expect(r.status).toBe(302);
      expect(r.location).toBe("/");
      const ok = await act(setLocaleRoute, "/set-locale", undefined, { locale: "en", redirectTo: "/login?x=1" });
      expect(ok.location).toBe("/login?x=1");
    },
  );

  it("ORG-7: switching the viewed sitting returns only into the admin area", async () => {
    const cookie = await sessionCookie("city9901@example.com");
    const r = await act(adminLayoutRoute, "/admin", cookie, {
      sittingId: sittingId,
      redirectTo: "/admin/../\\evil.example",
    });
    expect(r.location).toBe("/admin");
  });
});

describe("X-1: login throttling that does not lock the owner out (decision 0021)", () => {
  /** An attacker who waits exactly as long as told: `n` wrong passwords from `ip`; returns the clock after. */
  async function attack(login: string, ip: string, n: number, start: Date): Promise<Date> {
    let now = start;
    let failures = 0;
    while (failures < n) {
      try {
        await logIn({ login, password: `guess-${failures}`, ip, now });
        throw new Error("a guess got in");
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        if (e.key === "auth.invalid") failures++;
        else
          now = new Date(
            now.getTime() + (Number(e.params.seconds ?? 0) * 1000 || Number(e.params.minutes ?? 0) * 60_000),
          );
      }
    }
    return now;
  }

  it("X-1: the owner gets in after an attacker's 50 failures from another address; the attacker keeps waiting", async () => {
    const owner = "site990201@example.com";
    const home = "10.20.0.1";
    const t0 = new Date();
    // The owner logged in from home before: that pair is known.
    await logIn({ login: owner, password: DEMO_PASSWORD, ip: home, now: t0 });
    const after = await attack(owner, "203.0.113.9", 50, new Date(t0.getTime() + 1000));
    expect(after.getTime() - t0.getTime()).toBeGreaterThan(60 * 60_000); // growing delays: 50 guesses took hours
    // From home, at once.
    await expect(logIn({ login: owner, password: DEMO_PASSWORD, ip: home, now: after })).resolves.toMatchObject({
      email: owner,
    });
    // The attacker's address still waits (the long pair cap), even with the right password.
    await expect(logIn({ login: owner, password: DEMO_PASSWORD, ip: "203.0.113.9", now: after })).rejects.toMatchObject(
      { status: 429 },
    );
  });

  it("X-1: from a new address the owner waits at most the account rule's short cap", async () => {
    const owner = "city9902@example.com";
    const after = await attack(owner, "203.0.113.10", 20, new Date());
    const err = await logIn({ login: owner, password: DEMO_PASSWORD, ip: "198.51.100.7", now: after }).catch(
      (e: AppError) => e,
    );
    if (err instanceof AppError) {
      expect(err.status).toBe(429);
      expect(Number(err.params.seconds)).toBeLessThanOrEqual(ACCOUNT_RULE.capMs / 1000);
    }
    await expect(
      logIn({
        login: owner,
        password: DEMO_PASSWORD,
        ip: "198.51.100.7",
        now: new Date(after.getTime() + ACCOUNT_RULE.capMs),
      }),
    ).resolves.toMatchObject({ email: owner });
  });

  it("X-1: delays grow for the attacker's address", async () => {
    const waits: number[] = [];
    const now = new Date();
    for (let i = 0; i < 6; i++) {
      const at = new Date(now.getTime() + i * PAIR_RULE.capMs); // each guess long after the previous delay
      await logIn({ login: "province99@example.com", password: "nope", ip: "203.0.113.11", now: at }).catch(
        () => undefined,
      );
      const e = await logIn({
        login: "province99@example.com",
        password: "nope",
        ip: "203.0.113.11",
        now: new Date(at.getTime() + 1),
      }).catch((x: AppError) => x);
      // The probe right after is refused with the current delay (or, while failures are free, fails too).
      waits.push(
        e instanceof AppError && e.status === 429 ? Number(e.params.seconds ?? Number(e.params.minutes) * 60) : 0,
      );
    }
    expect(waits).toEqual([0, 2, 4, 8, 16, 32]);
  });

  it("X-1: guesses sent in parallel do not slip past the delays (each attempt claims its track first)", async () => {
    const now = new Date();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        logIn({ login: "city9901@example.com", password: `parallel-${i}`, ip: "203.0.113.20", now }),
      ),
    );
    const keys = results.map((r) => (r.status === "rejected" && r.reason instanceof AppError ? r.reason.key : "other"));
    expect(keys.filter((k) => k === "auth.invalid").length).toBeLessThanOrEqual(PAIR_RULE.free);
    expect(keys.filter((k) => k.startsWith("auth.throttled")).length).toBeGreaterThanOrEqual(20 - PAIR_RULE.free);
  });

  it("X-1: password spraying in parallel from one address counts every failure", async () => {
    const now = new Date();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        logIn({ login: `spray${i}@example.com`, password: "Spring2026!", ip: "203.0.113.30", now }).catch(
          () => undefined,
        ),
      ),
    );
    const row = await getDb()
      .selectFrom("login_throttle")
      .select("failures")
      .where("key", "=", "login:address:203.0.113.30")
      .executeTakeFirstOrThrow();
    expect(row.failures).toBe(30);
  });

  it("X-1/X-4: failed logins and refusals are audited with the login masked and without the password", async () => {
    const ip = "203.0.113.12";
    for (let i = 0; i < 4; i++)
      await act(loginRoute, "/login", undefined, {
        login: "finance990101@example.com",
        password: "Secret-guess-77",
      }).then(() => undefined);
    const r = await run(() =>
      loginRoute.action({
        request: makeRequest("/login", {
          form: { login: "finance990101@example.com", password: "Secret-guess-77" },
          ip,
        }),
        params: {},
        context: {},
      }),
    );
    expect(r.status).toBe(401);
    const rows = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "in", ["account.login_failed", "account.login_throttled"])
      .where("actor_name", "like", "fi***@%")
      .execute();
    expect(rows.some((x) => x.action === "account.login_failed" && x.ip === ip)).toBe(true);
    expect(rows.some((x) => x.action === "account.login_throttled")).toBe(true);
    const text = JSON.stringify(rows);
    expect(text).not.toContain("Secret-guess-77");
    expect(text).not.toContain("finance990101@example.com");
    expect(rows[0].entity_id).not.toBe("");
    // Filed under the finance user's organisation (site 990101), so its administrators see it.
    const site = await getDb().selectFrom("org").select("id").where("code", "=", "990101").executeTakeFirstOrThrow();
    expect(rows.every((x) => x.org_id === site.id)).toBe(true);
  });

  it("ORG-9: the current-password check of a password change is throttled and audited", async () => {
    const c = await newCandidate();
    await getDb()
      .updateTable("account")
      .set({
        password_hash: (
          await getDb()
            .selectFrom("account")
            .select("password_hash")
            .where("email", "=", "candidate@example.com")
            .executeTakeFirstOrThrow()
        ).password_hash,
      })
      .where("id", "=", c.id)
      .execute();
    const attempt = (current: string) =>
      act(changePasswordRoute, "/change-password", c.cookie, {
        current,
        next: "Lantern-Quarry-Meadow-42",
        confirm: "Lantern-Quarry-Meadow-42",
      });
    for (let i = 0; i < PAIR_RULE.free; i++) expect((await attempt(`wrong-${i}`)).status).toBe(400);
    const refused = await attempt(DEMO_PASSWORD);
    expect(refused.status).toBe(429);
    const actions = await getDb()
      .selectFrom("audit_log")
      .select("action")
      .where("entity_id", "=", c.id)
      .where("action", "like", "account.password_check%")
      .execute();
    expect(actions.filter((a) => a.action === "account.password_check_failed")).toHaveLength(PAIR_RULE.free);
    expect(actions.filter((a) => a.action === "account.password_check_throttled")).toHaveLength(1);
  });
});

describe("sessions, notifications and headers", () => {
  it("X-3: an absolute session lifetime ends an old session even if it is in use", async () => {
    const cookie = await sessionCookie("city9901@example.com");
    expect(await readSession(makeRequest("/admin", { cookie }))).not.toBeNull();
    const id = cookie.split("=")[1];
    // Active (its sliding expiry renewed) but started 8 days ago.
    await getDb()
      .updateTable("session")
      .set({ created_at: new Date(Date.now() - 8 * 24 * 3600_000), expires_at: new Date(Date.now() + 11 * 3600_000) })
      .where("id", "=", id)
      .execute();
    expect(await readSession(makeRequest("/admin", { cookie }))).toBeNull();
    expect(await getDb().selectFrom("session").select("id").where("id", "=", id).executeTakeFirst()).toBeUndefined();
  });

  it("CAN-7: malformed or forged payment notifications write no row", async () => {
    const count = async () =>
      Number(
        (
          await getDb()
            .selectFrom("payment_notification")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const fields = { order_id: "P-NOPE", txn_id: "T1", status: "paid", amount_fen: "100", ts: "1" };
    const bodies = [
      "garbage",
      "x".repeat(100_000),
      new URLSearchParams({ ...fields, sign: "0".repeat(64) }).toString(),
      new URLSearchParams({ ...fields, sign: signSimNotification(fields).slice(0, 10) }).toString(),
    ];
    for (const body of bodies) {
      const r = await notifyRoute.action({
        request: new Request("http://localhost:3000/payments/notify/simulated", { method: "POST", body }),
        params: { provider: "simulated" },
        context: {},
      });
      expect(r.status).toBe(400);
    }
    expect(await count()).toBe(before);
  });

  it("CAN-7: the simulated gateway runs only when chosen; pages say it is a demo", async () => {
    const root = await run<{ demoPayment: boolean }>(() =>
      rootRoute.loader({ request: makeRequest("/candidate/pay"), params: {}, context: {} }),
    );
    expect(root.data?.demoPayment).toBe(true);
    process.env.PAYMENT_PROVIDER = "somebank";
    resetEnvCache();
    const page = await run(() =>
      simRoute.loader({ request: makeRequest("/pay/sim/SIMX"), params: { txn: "SIMX" }, context: {} }),
    );
    expect(page.status).toBe(404);
    const notify = await notifyRoute.action({
      request: new Request("http://localhost:3000/payments/notify/simulated", { method: "POST", body: "a=1" }),
      params: { provider: "simulated" },
      context: {},
    });
    expect(notify.status).toBe(404);
    const root2 = await run<{ demoPayment: boolean }>(() =>
      rootRoute.loader({ request: makeRequest("/candidate/pay"), params: {}, context: {} }),
    );
    expect(root2.data?.demoPayment).toBe(false);
  });
});

describe("server-level guards (the express middleware of server.ts)", () => {
  async function serve(opts: { publicUrl?: string; production?: boolean }) {
    const app = express();
    app.use(hostCheck({ publicUrl: opts.publicUrl, port: 3999 }));
    app.use(cspNonce);
    app.use(
      securityHeaders({
        production: opts.production ?? false,
        https: (opts.publicUrl ?? "").startsWith("https:"),
        dev: false,
      }),
    );
    app.use(noStoreForPersonalPaths);
    app.get("/healthz", (_req, res) => void res.json({ ok: true }));
    // A route that sets its own caching, as the photo routes do.
    app.get(
      "*",
      (_req, res) =>
        void res
          .set("Cache-Control", "private, max-age=3600")
          .type("html")
          .send(`<p>${String(res.locals.cspNonce)}</p>`),
    );
    const server = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    const port = (server.address() as AddressInfo).port;
    const get = (path: string, host: string) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, path, headers: { Host: host } }, (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on("error", reject);
        req.end();
      });
    return { get, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it("CAN-7: a foreign Host is refused before the app runs; /healthz answers any Host", async () => {
    const s = await serve({ publicUrl: "https://kaowu.example.cn" });
    try {
      expect((await s.get("/candidate/pay", "attacker.example")).status).toBe(421);
      expect((await s.get("/login", "kaowu.example.cn")).status).toBe(200);
      expect((await s.get("/login", "KAOWU.example.cn")).status).toBe(200);
      expect((await s.get("/login", "kaowu.example.cn:443")).headers.location).toBe("https://kaowu.example.cn/login");
      expect((await s.get("/healthz", "10.0.0.5:3999")).status).toBe(200);
    } finally {
      await s.close();
    }
    const local = await serve({});
    try {
      expect((await local.get("/login", "localhost:3999")).status).toBe(200);
      // The other names of this machine are sent to the public address (cookies and return URLs name it).
      for (const host of ["127.0.0.1:3999", "[::1]:3999"]) {
        const r = await local.get("/login?x=1", host);
        expect(r.status).toBe(302);
        expect(r.headers.location).toBe("http://localhost:3999/login?x=1");
      }
      expect((await local.get("/login", "localhost:4000")).status).toBe(421);
      expect((await local.get("/login", "evil.example")).status).toBe(421);
    } finally {
      await local.close();
    }
  });

  it("X-4: helmet's headers are present, with a fresh CSP nonce per request; HSTS only in production over https", async () => {
    const s = await serve({});
    try {
      const a = await s.get("/login", "localhost:3999");
      const b = await s.get("/login", "localhost:3999");
      const csp = String(a.headers["content-security-policy"]);
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("unsafe-eval");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(a.body).toContain(csp.match(/'nonce-([^']+)'/)![1]);
      expect(a.headers["content-security-policy"]).not.toBe(b.headers["content-security-policy"]);
      expect(a.headers["x-content-type-options"]).toBe("nosniff");
      expect(a.headers["referrer-policy"]).toBe("same-origin");
      expect(a.headers["x-frame-options"]).toBe("DENY");
      expect(a.headers["strict-transport-security"]).toBeUndefined();
    } finally {
      await s.close();
    }
    const prod = await serve({ publicUrl: "https://kaowu.example.cn", production: true });
    try {
      const r = await prod.get("/login", "kaowu.example.cn");
      expect(r.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(String(r.headers["content-security-policy"])).toContain("upgrade-insecure-requests");
    } finally {
      await prod.close();
    }
  });

  it("X-4: pages, data requests and files with personal data are not stored (Cache-Control: no-store)", async () => {
    const s = await serve({});
    try {
      for (const path of [
        "/admin",
        "/admin/candidates?q=1",
        "/admin/candidates.data",
        "/candidate",
        "/candidate.data",
        "/candidate/photo-image",
        "/files/abc",
        "/jobs/1",
        "/change-password",
      ]) {
        expect((await s.get(path, "localhost:3999")).headers["cache-control"], path).toBe("no-store");
      }
      expect((await s.get("/login", "localhost:3999")).headers["cache-control"]).toBe("private, max-age=3600");
      expect((await s.get("/administrator", "localhost:3999")).headers["cache-control"]).toBe("private, max-age=3600");
    } finally {
      await s.close();
    }
  });
});
