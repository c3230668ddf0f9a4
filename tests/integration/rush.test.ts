import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRushLimiter, rushMiddleware, type RushLimiter } from "../../app/utils/rush.server";
import { localeCookie } from "../../app/utils/i18n.server";

// X-7 over real HTTP: a tiny express app with the rush middleware in front of a handler that holds
// requests with `?hold` open until the test lets them go, and answers everything else at once.

interface Held {
  path: string;
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

async function start(limits = { maxActive: 2, maxQueue: 1, queueTimeoutMs: 30_000 }): Promise<Harness> {
  const limiter = createRushLimiter(limits);
  const held: Held[] = [];
  const app = express();
  app.use(rushMiddleware(limiter));
  app.all("*", (req, res) => {
    const answer = () => res.status(200).type("text/plain").send(`ok ${req.method} ${req.path}`);
    if ("hold" in req.query) held.push({ path: req.path, finish: answer });
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

function expectBusyHeaders(r: Response) {
  expect(r.status).toBe(503);
  const retry = Number(r.headers.get("retry-after"));
  expect(retry).toBeGreaterThanOrEqual(2);
  expect(retry).toBeLessThanOrEqual(5);
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
