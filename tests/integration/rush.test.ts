import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { IncomingMessage, Server } from "node:http";
import express from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ATTEMPT_COOKIE,
  PASS_COOKIE,
  createRushLimiter,
  retryWindowMs,
  rushMiddleware,
  signPass,
  type RushLimiter,
  type RushLimiterOptions,
  type RushMiddlewareOptions,
} from "../../app/utils/rush.server";
import { localeCookie } from "../../app/utils/i18n.server";
import * as entriesRoute from "../../app/routes/candidate.entries";
import { getDb } from "../../db/client";
import { getCurrentSitting } from "../../db/queries/sittings";
import { auditCount, newCandidate, orgId, residentId, run } from "../factories";
import { guardSeats } from "../factories/seats";

// X-7 over real HTTP: a tiny express app with the rush middleware in front of a handler that holds
// requests with `?hold` open until the test lets them go, and answers everything else at once:
// `?to=/x` with a 302 to /x, `?sf=/x` with a single-fetch redirect (202, Location, X-Remix-Response).

// CAN-4: seat counters equal rows after every test (tests/setup/per-file-db.ts).
guardSeats();

const SECRET = "rush-pass-secret-for-these-tests-only";

interface Held {
  path: string;
  method: string;
  finish: () => void;
}

interface Harness {
  base: string;
  limiter: RushLimiter;
  held: Held[];
  releaseAll: () => void;
  close: () => Promise<void>;
}

const running: Harness[] = [];

async function start(
  limits: RushLimiterOptions = { maxActive: 2, maxQueue: 1, queueTimeoutMs: 30_000 },
  opts: RushMiddlewareOptions = {},
): Promise<Harness> {
  const limiter = createRushLimiter(limits);
  const held: Held[] = [];
  const app = express();
  app.use(rushMiddleware(limiter, { passSecret: () => Promise.resolve(SECRET), ...opts }));
  app.all("*", (req, res) => {
    const answer = () => {
      const { to, sf } = req.query;
      if (typeof to === "string") return res.redirect(302, to);
      if (typeof sf === "string")
        return res.status(202).set({ Location: sf, "X-Remix-Response": "yes" }).type("text/x-script").send("[]");
      res.status(200).type("text/plain").send(`ok ${req.method} ${req.path}`);
    };
    if ("hold" in req.query) held.push({ path: req.path, method: req.method, finish: answer });
    else answer();
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const h: Harness = {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    limiter,
    held,
    releaseAll: () => held.splice(0).forEach((x) => x.finish()),
    close: () =>
      new Promise<void>((resolve) => {
        h.releaseAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  running.push(h);
  return h;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((h) => h.close()));
});

/** A request left in flight; the connection may be cut when the test's server closes. */
function bg(url: string, init?: RequestInit): Promise<Response> {
  const p = fetch(url, init);
  p.catch(() => {});
  return p;
}

/** Fills both places and the one queue slot: two requests held, one waiting. */
async function fill(h: Harness) {
  const a = bg(`${h.base}/candidate?hold`);
  const b = bg(`${h.base}/login?hold`);
  await vi.waitFor(() => expect(h.held).toHaveLength(2));
  const queued = bg(`${h.base}/signup?hold`);
  await vi.waitFor(() => expect(h.limiter.stats()).toMatchObject({ active: 2, queued: 1 }));
  return { a, b, queued };
}

/** A 503 with Retry-After in the stated range: 2–5 s for a first refusal (decision 0013, jittered per 0048). */
function expectBusyHeaders(r: Response, maxSeconds = 5) {
  expect(r.status).toBe(503);
  const retry = Number(r.headers.get("retry-after"));
  expect(Number.isInteger(retry)).toBe(true);
  expect(retry).toBeGreaterThanOrEqual(2);
  expect(retry).toBeLessThanOrEqual(maxSeconds);
  expect(r.headers.get("cache-control")).toBe("no-store");
  return retry;
}

describe("X-7 registration rush over HTTP", () => {
  it("X-7: beyond the places and the queue, a newcomer gets the busy page at once, in Chinese or by the locale cookie in English", async () => {
    const h = await start();
    const { a, b, queued } = await fill(h);

    const zh = await fetch(`${h.base}/candidate`, { headers: { accept: "text/html" } });
    const retry = expectBusyHeaders(zh);
    expect(zh.headers.get("content-type")).toMatch(/^text\/html/);
    const zhHtml = await zh.text();
    expect(zhHtml).toContain(`系统繁忙，正在自动重试…（<span id="n">${retry}</span> 秒）`);
    expect(zhHtml).toContain('<html lang="zh-CN">');
    expect(zhHtml).toContain('<meta http-equiv="refresh"');
    expect(zhHtml).toContain('<a href="/candidate">立即重试</a>');
    expect(zhHtml).toContain("location.reload()");
    // Self-contained: nothing to fetch from a server that is already busy.
    expect(zhHtml).not.toMatch(/<link|\ssrc=/);

    const en = await fetch(`${h.base}/pay/7?x=1`, {
      headers: { cookie: (await localeCookie.serialize("en")).split(";")[0] },
    });
    expectBusyHeaders(en);
    const enHtml = await en.text();
    expect(enHtml).toContain("The system is busy; retrying automatically… (");
    expect(enHtml).toContain('<a href="/pay/7?x=1">Retry now</a>');

    const head = await fetch(`${h.base}/login`, { method: "HEAD" });
    expectBusyHeaders(head);
    expect(await head.text()).toBe("");

    // The admitted and the waiting requests were not disturbed.
    expect(h.held.map((x) => x.path)).toEqual(["/candidate", "/login"]);
    expect(h.limiter.stats()).toMatchObject({ active: 2, queued: 1, admitted: 2, refused: 3 });

    h.releaseAll();
    expect(await (await a).text()).toBe("ok GET /candidate");
    expect(await (await b).text()).toBe("ok GET /login");
    // The waiting one got a place and is now held in its turn.
    await vi.waitFor(() => expect(h.held.map((x) => x.path)).toEqual(["/signup"]));
    h.releaseAll();
    expect((await queued).status).toBe(200);
    await vi.waitFor(() => expect(h.limiter.stats()).toMatchObject({ active: 0, queued: 0 }));

    // Once places are free, newcomers are admitted again.
    const after = await fetch(`${h.base}/candidate`);
    expect(after.status).toBe(200);
    expect(await after.text()).toBe("ok GET /candidate");
  });

  it("X-7: a refused form post comes back as a hidden form, escaped, that submits itself again", async () => {
    const h = await start();
    await fill(h);
    const body = new URLSearchParams([
      ["idNumber", "110101200001011234"],
      ["name", '张三"><script>alert(1)</script>'],
      ["subject", "A"],
      ["subject", "B"],
      ["note", "line 1\r\nline 2 & 'more'"],
      ["submit", "x"],
    ]);
    const r = await fetch(`${h.base}/candidate/apply?index`, { method: "POST", body });
    expectBusyHeaders(r);
    const html = await r.text();
    expect(html).toContain('<form id="f" method="post" action="/candidate/apply?index"');
    expect(html).toContain('<input type="hidden" name="idNumber" value="110101200001011234">');
    expect(html).toContain(
      '<input type="hidden" name="name" value="张三&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">',
    );
    expect(html).toContain(
      '<input type="hidden" name="subject" value="A"><input type="hidden" name="subject" value="B">',
    );
    expect(html).toContain('name="note" value="line 1&#13;&#10;line 2 &amp; &#39;more&#39;"');
    expect(html).not.toContain("<script>alert(1)");
    // Submitted again after the countdown, even though a field is called "submit".
    expect(html).toContain("HTMLFormElement.prototype.submit.call(document.getElementById('f'))");
    expect(html).toContain("系统繁忙，正在自动重试…（");
    // A GET retry would drop the fields: no meta refresh on this page.
    expect(html).not.toContain("http-equiv");
    // The refused post never reached the handler.
    expect(h.held).toHaveLength(2);
  });

  it("X-7: a refused upload or an oversized form is not buffered: the busy page asks to go back and submit again", async () => {
    const h = await start();
    await fill(h);
    const form = new FormData();
    form.set("photo", new Blob([new Uint8Array(300 * 1024)], { type: "image/jpeg" }), "photo.jpg");
    const multipart = await fetch(`${h.base}/candidate/photo`, {
      method: "POST",
      body: form,
      headers: { referer: `${h.base}/candidate/photo?step=2` },
    });
    expectBusyHeaders(multipart);
    const mHtml = await multipart.text();
    expect(mHtml).toContain("返回并重新提交");
    expect(mHtml).toContain('href="/candidate/photo?step=2"');
    expect(mHtml).not.toContain('type="hidden"');

    const big = new URLSearchParams({ essay: "x".repeat(70 * 1024) });
    const large = await fetch(`${h.base}/signup`, {
      method: "POST",
      body: big,
      headers: { cookie: (await localeCookie.serialize("en")).split(";")[0] },
    });
    expectBusyHeaders(large);
    const lHtml = await large.text();
    expect(lHtml).toContain("Go back and submit again");
    expect(lHtml).not.toContain("xxxxxxxx");
  });

  it("X-7: single-fetch data requests, JSON clients and images get a plain 503 with Retry-After", async () => {
    const h = await start();
    await fill(h);
    for (const r of [
      await fetch(`${h.base}/candidate.data`),
      await fetch(`${h.base}/login.data`, { method: "POST", body: new URLSearchParams({ a: "1" }) }),
      await fetch(`${h.base}/candidate`, { headers: { accept: "application/json" } }),
      await fetch(`${h.base}/candidate/photo-image`, { headers: { "sec-fetch-dest": "image" } }),
    ]) {
      expectBusyHeaders(r);
      expect(r.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await r.text()).toBe("系统繁忙，请稍后重试。");
    }
  });

  it("X-7: payment notifications, the health check and admin pages are never limited", async () => {
    const h = await start();
    await fill(h);
    const notify = await fetch(`${h.base}/payments/notify/simulated`, {
      method: "POST",
      body: new URLSearchParams({ out_trade_no: "P1", status: "paid" }),
    });
    expect(notify.status).toBe(200);
    expect(await notify.text()).toBe("ok POST /payments/notify/simulated");
    expect((await fetch(`${h.base}/admin`)).status).toBe(200);
    expect((await fetch(`${h.base}/admin/records.data`)).status).toBe(200);
    expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.base}/assets/entry-abc.js`)).status).toBe(200);
    // None of them took or waited for a place.
    expect(h.limiter.stats()).toMatchObject({ active: 2, queued: 1, admitted: 2, refused: 0 });
  });

  it("X-7: a client that gives up while waiting frees its place in the queue", async () => {
    const h = await start();
    const a = bg(`${h.base}/candidate?hold`);
    void bg(`${h.base}/candidate?hold`);
    await vi.waitFor(() => expect(h.held).toHaveLength(2));
    const ac = new AbortController();
    const gone = fetch(`${h.base}/login?hold`, { signal: ac.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(h.limiter.stats().queued).toBe(1));
    ac.abort();
    expect(await gone).toBeInstanceOf(Error);
    await vi.waitFor(() => expect(h.limiter.stats()).toMatchObject({ queued: 0, abandoned: 1 }));

    // Its slot in the queue is free: the next one waits instead of being refused.
    const next = bg(`${h.base}/signup?hold`);
    await vi.waitFor(() => expect(h.limiter.stats().queued).toBe(1));
    expect(h.limiter.stats().refused).toBe(0);
    h.held.shift()!.finish();
    expect((await a).status).toBe(200);
    await vi.waitFor(() => expect(h.held.map((x) => x.path)).toEqual(["/candidate", "/signup"]));
    // The abandoned request never reached the handler.
    h.releaseAll();
    expect((await next).status).toBe(200);
  });

  it("X-7: a client that disconnects while being served frees its place", async () => {
    const h = await start({ maxActive: 1, maxQueue: 0, queueTimeoutMs: 1000 });
    const ac = new AbortController();
    const gone = fetch(`${h.base}/candidate?hold`, { signal: ac.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(h.held).toHaveLength(1));
    expect((await fetch(`${h.base}/login`)).status).toBe(503);
    ac.abort();
    await gone;
    await vi.waitFor(() => expect(h.limiter.stats().active).toBe(0));
    expect((await fetch(`${h.base}/login`)).status).toBe(200);
    // The handler finishing later does not free a second place.
    h.releaseAll();
    expect(h.limiter.stats().active).toBe(0);
  });
});

/** `name=value` of the Set-Cookie headers of a response, by name. */
function setCookies(r: Response): Map<string, { value: string; attributes: string }> {
  return new Map(
    r.headers.getSetCookie().map((c) => {
      const [kv, ...rest] = c.split(";");
      const eq = kv.indexOf("=");
      return [kv.slice(0, eq), { value: kv.slice(eq + 1), attributes: rest.join(";").trim() }];
    }),
  );
}

function passOf(r: Response): string {
  const p = setCookies(r).get(PASS_COOKIE);
  expect(p?.value).toBeTruthy();
  return `${PASS_COOKIE}=${p!.value}`;
}

const entryForm = () => new URLSearchParams({ subject: "14" });

describe("X-7 the busy page keeps its promise (decision 0048)", () => {
  it("X-7: the page a saved submission redirects to is let in on its one-time pass, even when every place is taken", async () => {
    const h = await start({ maxActive: 2, maxQueue: 0, queueTimeoutMs: 1000 });
    const saved = bg(`${h.base}/candidate/entries?hold&to=/candidate/entries%3Fsaved%3D1`, {
      method: "POST",
      body: entryForm(),
      redirect: "manual",
    });
    void bg(`${h.base}/candidate?hold`);
    await vi.waitFor(() => expect(h.held).toHaveLength(2));
    h.held
      .splice(
        h.held.findIndex((x) => x.method === "POST"),
        1,
      )[0]!
      .finish();
    const r = await saved;
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe("/candidate/entries?saved=1");
    const cookie = setCookies(r).get(PASS_COOKIE)!;
    expect(cookie.attributes).toBe("Path=/; Max-Age=30; HttpOnly; SameSite=Lax");
    const pass = passOf(r);

    // Every place taken again, and no queue at all.
    void bg(`${h.base}/login?hold`);
    await vi.waitFor(() => expect(h.held).toHaveLength(2));
    expect(h.limiter.stats()).toMatchObject({ active: 2, queued: 0 });
    // Without the pass (as before 0048) the confirmation page is the busy page …
    expectBusyHeaders(await fetch(`${h.base}/candidate/entries?saved=1`));
    // … with it, the page is served at once, beyond the limit, and the pass is cleared.
    const page = await fetch(`${h.base}/candidate/entries?saved=1`, { headers: { cookie: pass } });
    expect(page.status).toBe(200);
    expect(await page.text()).toBe("ok GET /candidate/entries");
    expect(setCookies(page).get(PASS_COOKIE)).toMatchObject({
      value: "",
      attributes: expect.stringContaining("Max-Age=0"),
    });
    await vi.waitFor(() => expect(h.limiter.stats()).toMatchObject({ active: 2, followUps: 1 }));
    // Replayed, the same pass is worth nothing: the busy page like anyone else.
    expectBusyHeaders(await fetch(`${h.base}/candidate/entries?saved=1`, { headers: { cookie: pass } }));
    expect(h.limiter.stats().followUps).toBe(1);
  });

  it("X-7: a pass cannot be forged, moved to another page, used for a submission, replayed or used after 30 s", async () => {
    let clock = Date.now();
    const h = await start({ maxActive: 1, maxQueue: 0, queueTimeoutMs: 1000 }, { now: () => clock });
    const post = (path: string) => fetch(`${h.base}${path}`, { method: "POST", body: entryForm(), redirect: "manual" });
    const p1 = passOf(await post("/candidate/entries?to=/candidate/entries%3Fsaved%3D1"));
    const p2 = passOf(await post("/candidate/entries?to=/candidate/entries%3Fsaved%3D1"));
    const toPay = passOf(await post("/candidate/pay?to=/candidate/pay/7"));
    // Only a redirect to a limited page earns one: a page answered in place, or a redirect elsewhere, does not.
    expect(setCookies(await post("/candidate/entries")).has(PASS_COOKIE)).toBe(false);
    expect(setCookies(await post("/candidate/entries?to=/admin")).has(PASS_COOKIE)).toBe(false);
    expect(setCookies(await post("/candidate/entries?to=https://evil.example/candidate")).has(PASS_COOKIE)).toBe(false);
    // Nor does a plain read that redirects.
    expect(setCookies(await fetch(`${h.base}/candidate?to=/candidate/entries`, { redirect: "manual" })).size).toBe(0);

    void bg(`${h.base}/candidate?hold`);
    await vi.waitFor(() => expect(h.held).toHaveLength(1));
    const saved = (cookie: string) => fetch(`${h.base}/candidate/entries?saved=1`, { headers: { cookie } });

    const [exp, nonce, mac] = p1.slice(PASS_COOKIE.length + 1).split(".");
    const flipped = mac.slice(0, -2) + (mac.at(-2) === "A" ? "B" : "A") + mac.at(-1);
    const later = (parseInt(exp, 36) + 3_600_000).toString(36);
    for (const forged of [
      `${PASS_COOKIE}=${exp}.${nonce}.${flipped}`, // signature changed
      `${PASS_COOKIE}=${later}.${nonce}.${mac}`, // expiry pushed back
      `${PASS_COOKIE}=${signPass(randomBytes(32), "/candidate/entries", clock + 30_000)}`, // another key
      `${PASS_COOKIE}=garbage`,
      toPay, // a genuine pass, for another page
    ])
      expectBusyHeaders(await saved(forged));
    // A submission is never let in on a pass.
    expectBusyHeaders(
      await fetch(`${h.base}/candidate/entries`, { method: "POST", body: entryForm(), headers: { cookie: p1 } }),
    );
    expect(h.limiter.stats().followUps).toBe(0);

    // The genuine pass, once; a pass signed by another process of the deployment (same key) too.
    expect((await saved(p1)).status).toBe(200);
    expectBusyHeaders(await saved(p1));
    const otherProcess = `${PASS_COOKIE}=${signPass(Buffer.from(SECRET), "/candidate/entries", clock + 30_000)}`;
    expect((await saved(otherProcess)).status).toBe(200);
    // Thirty seconds on, an unused pass has expired.
    clock += 30_000;
    expectBusyHeaders(await saved(p2));
    await vi.waitFor(() => expect(h.limiter.stats()).toMatchObject({ active: 1, followUps: 2 }));
  });

  it("X-7: single-fetch submissions earn a pass for the data request of the page they lead to; a follow-up's own redirect earns the next", async () => {
    const h = await start({ maxActive: 1, maxQueue: 0, queueTimeoutMs: 1000 });
    const r = await fetch(`${h.base}/candidate/entries.data?sf=/candidate/entries%3Fsaved%3D1`, {
      method: "POST",
      body: entryForm(),
    });
    expect(r.status).toBe(202);
    const pass = passOf(r);
    void bg(`${h.base}/candidate?hold`);
    await vi.waitFor(() => expect(h.held).toHaveLength(1));
    expectBusyHeaders(await fetch(`${h.base}/candidate/entries.data?saved=1&_routes=root`));
    // Remix's client loads the next page's data with the cookies the redirect set.
    const next = await fetch(`${h.base}/candidate/entries.data?saved=1&_routes=root&to=/candidate/pay`, {
      headers: { cookie: pass },
      redirect: "manual",
    });
    expect(next.status).toBe(302);
    // Its redirect is followed in turn: one pass for one pass.
    const chained = passOf(next);
    expect(chained).not.toBe(pass);
    expect((await fetch(`${h.base}/candidate/pay`, { headers: { cookie: chained } })).status).toBe(200);
    expectBusyHeaders(await fetch(`${h.base}/candidate/pay`, { headers: { cookie: chained } }));
  });

  it("X-7: without the pass key (database away) submissions go on without passes; a client leaving meanwhile takes no place", async () => {
    const logs: string[] = [];
    const h = await start(
      { maxActive: 1, maxQueue: 0, queueTimeoutMs: 1000 },
      { passSecret: () => Promise.reject(new Error("database away")), log: (m) => logs.push(m) },
    );
    const r = await fetch(`${h.base}/candidate/entries?to=/candidate/entries%3Fsaved%3D1`, {
      method: "POST",
      body: entryForm(),
      redirect: "manual",
    });
    expect(r.status).toBe(302);
    expect(setCookies(r).has(PASS_COOKIE)).toBe(false);
    expect(logs.join()).toContain("no follow-up passes for now (database away)");

    let give: (secret: string) => void = () => {};
    const slow = await start(
      { maxActive: 1, maxQueue: 0, queueTimeoutMs: 1000 },
      { passSecret: () => new Promise<string>((resolve) => (give = resolve)) },
    );
    const ac = new AbortController();
    const gone = fetch(`${slow.base}/candidate/entries?hold`, { method: "POST", body: entryForm(), signal: ac.signal });
    gone.catch(() => {});
    await new Promise((res) => setTimeout(res, 100));
    ac.abort();
    await new Promise((res) => setTimeout(res, 100));
    give(SECRET);
    await new Promise((res) => setTimeout(res, 100));
    expect(slow.held).toHaveLength(0);
    expect(slow.limiter.stats()).toMatchObject({ active: 0, admitted: 0 });
    // With the key in hand, the next submission is served and earns its pass.
    expect(
      setCookies(
        await fetch(`${slow.base}/candidate/entries?to=/candidate`, {
          method: "POST",
          body: entryForm(),
          redirect: "manual",
        }),
      ).has(PASS_COOKIE),
    ).toBe(true);
  });

  it("X-7: each refusal in a row widens the jittered Retry-After window (2–5 s, 2–10 s, 2–20 s …); admission forgets the count", async () => {
    const h = await start({ maxActive: 1, maxQueue: 0, queueTimeoutMs: 1000 });
    void bg(`${h.base}/candidate?hold`);
    await vi.waitFor(() => expect(h.held).toHaveLength(1));

    let cookie = "";
    for (let attempt = 0; attempt < 4; attempt++) {
      const r = await fetch(`${h.base}/candidate/entries`, { headers: { cookie } });
      const retry = expectBusyHeaders(r, retryWindowMs(attempt) / 1000);
      const html = await r.text();
      const delay = Number(/end=Date\.now\(\)\+(\d+)/.exec(html)?.[1]);
      expect(Math.ceil(delay / 1000)).toBe(retry);
      const counter = setCookies(r).get(ATTEMPT_COOKIE)!;
      expect(counter.value).toBe(String(attempt + 1));
      expect(counter.attributes).toBe(`Path=/; Max-Age=${retry + 60}; HttpOnly; SameSite=Lax`);
      cookie = `${ATTEMPT_COOKIE}=${counter.value}`;
    }

    // Forty clients refused at the same moment come back at forty different moments, over the whole window.
    const delays: number[] = [];
    const seconds = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const r = await fetch(`${h.base}/login`, { method: "POST", body: new URLSearchParams({ email: "a@b.c" }) });
      seconds.add(expectBusyHeaders(r));
      delays.push(Number(/end=Date\.now\(\)\+(\d+)/.exec(await r.text())?.[1]));
    }
    expect(new Set(delays).size).toBeGreaterThanOrEqual(35);
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(1500);
    expect(seconds.size).toBeGreaterThanOrEqual(3);

    h.releaseAll();
    const admitted = await fetch(`${h.base}/candidate/entries`, { headers: { cookie } });
    expect(admitted.status).toBe(200);
    expect(setCookies(admitted).get(ATTEMPT_COOKIE)).toMatchObject({
      value: "",
      attributes: expect.stringContaining("Max-Age=0"),
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The real entries page (route module on the test database) behind the limiter, many candidates at once.

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function startEntries(limits: RushLimiterOptions) {
  const limiter = createRushLimiter(limits);
  const app = express();
  // The deployment's own key (app_secret), as server.ts mounts it.
  app.use(rushMiddleware(limiter));
  app.all("/candidate/entries", async (req, res, next) => {
    try {
      const url = new URL(req.originalUrl, "http://localhost:3000");
      const headers = new Headers({ cookie: req.headers.cookie ?? "", "x-kaowu-client-ip": "127.0.0.1" });
      let out;
      if (req.method === "POST") {
        headers.set("content-type", req.headers["content-type"] ?? "");
        const request = new Request(url, { method: "POST", headers, body: await bodyOf(req) });
        out = await run(() => entriesRoute.action({ request, params: {}, context: {} }));
        // A page render's worth of time, so that places stay taken as they would in production.
        await new Promise((r) => setTimeout(r, 50));
      } else {
        out = await run(() => entriesRoute.loader({ request: new Request(url, { headers }), params: {}, context: {} }));
      }
      if (out.location) res.redirect(out.status, out.location);
      else res.status(out.status).json(out.data ?? null);
    } catch (e) {
      next(e);
    }
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  running.push({
    base,
    limiter,
    held: [],
    releaseAll: () => {},
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  return { base, limiter };
}

/** A browser's cookies: what Set-Cookie gives, cleared by an empty value. */
class Jar {
  private readonly cookies = new Map<string, string>();
  constructor(cookie: string) {
    this.take(cookie);
  }
  private take(kv: string) {
    const eq = kv.indexOf("=");
    const [k, v] = [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()];
    if (v) this.cookies.set(k, v);
    else this.cookies.delete(k);
  }
  absorb(r: Response) {
    for (const c of r.headers.getSetCookie()) this.take(c.split(";")[0]);
  }
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

describe("X-7 / CAN-4 saved entries under a rush, through the real entries page", () => {
  it("X-7: every candidate whose entry was saved lands on the saved page, never the busy page; CAN-4: the form sent again changes nothing", async () => {
    const N = 24;
    const db = getDb();
    const sitting = await getCurrentSitting(db);
    const site = await orgId("990101");
    await db
      .updateTable("site_setting")
      .set({ total_capacity: 99999, max_entries: 3 })
      .where("sitting_id", "=", sitting.id)
      .where("org_id", "=", site)
      .execute();
    await db
      .updateTable("site_subject")
      .set({ capacity: 99999 })
      .where("sitting_id", "=", sitting.id)
      .where("org_id", "=", site)
      .where("subject_code", "=", "14")
      .execute();
    const candidates: Array<{ id: string; cookie: string }> = [];
    for (let i = 0; i < N; i++) {
      const c = await newCandidate(`抢报${i}`);
      await db
        .insertInto("registration")
        .values({
          sitting_id: sitting.id,
          org_id: site,
          account_id: c.id,
          channel: "online",
          id_type: "1",
          id_number: residentId("2003-03-03", 300 + i),
          name: `抢报${i}`,
          gender: "1",
          birth_date: "2003-03-03",
          ethnicity: "01",
          education: "20",
        })
        .execute();
      candidates.push(c);
    }
    const entryRows = async () =>
      (
        await db
          .selectFrom("entry")
          .innerJoin("registration", "registration.id", "entry.registration_id")
          .select(["registration.account_id", "entry.subject_code"])
          .where(
            "registration.account_id",
            "in",
            candidates.map((c) => c.id),
          )
          .execute()
      ).length;

    // One place, one waiting for 20 ms: most arrivals are refused at first, however fast the action is
    // (with two places a faster entries action, decision 0049, left too few refusals to call it a rush).
    const { base, limiter } = await startEntries({ maxActive: 1, maxQueue: 1, queueTimeoutMs: 20 });
    const refusals: Array<{ attempt: number; retry: number }> = [];
    const landed: Array<{ status: number; entries: string[] }> = [];
    const jars = candidates.map((c) => new Jar(c.cookie));
    // How many saved pages arrived while every place was taken: each of those was the busy page before 0048.
    let atTheLimit = 0;
    const enterFollowUp = limiter.enterFollowUp;
    limiter.enterFollowUp = (signal) => {
      if (limiter.stats().active >= limiter.options.maxActive) atTheLimit++;
      return enterFollowUp(signal);
    };

    await Promise.all(
      jars.map(async (jar) => {
        for (let attempt = 0; ; attempt++) {
          const r = await fetch(`${base}/candidate/entries`, {
            method: "POST",
            body: entryForm(),
            headers: { cookie: jar.header },
            redirect: "manual",
          });
          jar.absorb(r);
          if (r.status === 503) {
            // Refused before the action ran: the busy page carries the form to submit again.
            refusals.push({ attempt, retry: Number(r.headers.get("retry-after")) });
            expect(await r.text()).toContain('<input type="hidden" name="subject" value="14">');
            await new Promise((res) => setTimeout(res, Math.random() * 15));
            continue;
          }
          expect(r.status).toBe(302);
          expect(r.headers.get("location")).toBe("/candidate/entries?saved=1");
          // The browser follows the redirect at once, with the cookies it was just given.
          const page = await fetch(`${base}/candidate/entries?saved=1`, { headers: { cookie: jar.header } });
          jar.absorb(page);
          const data = page.status === 200 ? ((await page.json()) as { entries: Array<{ code: string }> }) : null;
          landed.push({ status: page.status, entries: data?.entries.map((e) => e.code) ?? [] });
          return;
        }
      }),
    );

    // Every saved entry ended on its saved page: not one winner was shown the busy page …
    expect(landed).toHaveLength(N);
    expect(landed.filter((l) => l.status !== 200)).toEqual([]);
    expect(landed.every((l) => l.entries.join() === "14")).toBe(true);
    expect(await entryRows()).toBe(N);
    // … although there was a rush: candidates were refused, some several times over, and saved
    // pages came in while every place was taken.
    expect(refusals.length).toBeGreaterThan(N / 2);
    expect(refusals.some((r) => r.attempt > 0)).toBe(true);
    expect(atTheLimit).toBeGreaterThan(0);
    for (const { attempt, retry } of refusals) {
      expect(retry).toBeGreaterThanOrEqual(2);
      expect(retry).toBeLessThanOrEqual(retryWindowMs(attempt) / 1000);
    }
    expect(limiter.stats()).toMatchObject({ followUps: N, active: 0, queued: 0 });

    // CAN-4: a candidate's form sent again after it went through (the busy page's re-submission, a
    // second click) is answered as saved and changes nothing: no second entry, seat or audit row.
    const audits = await auditCount("registration.entries");
    const seats = await db
      .selectFrom("site_subject")
      .select("taken")
      .where("sitting_id", "=", sitting.id)
      .where("org_id", "=", site)
      .where("subject_code", "=", "14")
      .executeTakeFirstOrThrow();
    for (const jar of jars.slice(0, 3)) {
      const again = await fetch(`${base}/candidate/entries`, {
        method: "POST",
        body: entryForm(),
        headers: { cookie: jar.header },
        redirect: "manual",
      });
      expect(again.status).toBe(302);
      expect(again.headers.get("location")).toBe("/candidate/entries?saved=1");
    }
    expect(await entryRows()).toBe(N);
    expect(await auditCount("registration.entries")).toBe(audits);
    expect(
      await db
        .selectFrom("site_subject")
        .select("taken")
        .where("sitting_id", "=", sitting.id)
        .where("org_id", "=", site)
        .where("subject_code", "=", "14")
        .executeTakeFirstOrThrow(),
    ).toEqual(seats);
  });
});
