import { afterEach, describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import {
  ATTEMPT_COOKIE,
  PASS_COOKIE,
  RETRY_CAP_MS,
  RETRY_MIN_MS,
  createRushLimiter,
  escapeHtml,
  isRushPath,
  jitteredRetryDelayMs,
  localeFromCookieHeader,
  renderBusyPage,
  retryWindowMs,
  routePath,
  rushCookies,
  signPass,
  verifyPass,
  type RushRelease,
} from "./rush.server";

/** Lets pending promise callbacks run. */
const tick = () => new Promise<void>((r) => setImmediate(r));

function track(p: Promise<RushRelease | null>) {
  const t: { settled: boolean; value: RushRelease | null } = { settled: false, value: null };
  void p.then((v) => {
    t.settled = true;
    t.value = v;
  });
  return t;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("X-7 rush limiter", () => {
  it("X-7: admits up to maxActive requests at once", async () => {
    const l = createRushLimiter({ maxActive: 3, maxQueue: 5, queueTimeoutMs: 1000 });
    const got = await Promise.all([l.tryEnter(), l.tryEnter(), l.tryEnter()]);
    expect(got.every((r) => typeof r === "function")).toBe(true);
    expect(l.stats()).toMatchObject({ active: 3, queued: 0, admitted: 3, refused: 0 });
    const fourth = track(l.tryEnter());
    await tick();
    expect(fourth.settled).toBe(false);
    expect(l.stats()).toMatchObject({ active: 3, queued: 1 });
    got[0]!();
    await tick();
    expect(fourth.value).toBeTypeOf("function");
  });

  it("X-7: waiting requests are admitted first come, first served as places are released", async () => {
    const l = createRushLimiter({ maxActive: 1, maxQueue: 3, queueTimeoutMs: 10_000 });
    const first = (await l.tryEnter())!;
    const order: string[] = [];
    const waiters = ["a", "b", "c"].map((name) => l.tryEnter().then((r) => (order.push(name), r)));
    await tick();
    expect(l.stats()).toMatchObject({ active: 1, queued: 3 });
    first();
    await tick();
    expect(order).toEqual(["a"]);
    // A newcomer arriving now does not overtake b and c.
    const late = track(l.tryEnter());
    await tick();
    expect(late.settled).toBe(false);
    (await waiters[0])!();
    await tick();
    expect(order).toEqual(["a", "b"]);
    (await waiters[1])!();
    await tick();
    expect(order).toEqual(["a", "b", "c"]);
    expect(late.settled).toBe(false);
    (await waiters[2])!();
    await tick();
    expect(late.value).toBeTypeOf("function");
    expect(l.stats()).toMatchObject({ active: 1, queued: 0, admitted: 5, refused: 0 });
  });

  it("X-7: a request arriving when the queue is full is refused at once", async () => {
    vi.useFakeTimers();
    const l = createRushLimiter({ maxActive: 1, maxQueue: 1, queueTimeoutMs: 60_000 });
    await l.tryEnter();
    void l.tryEnter();
    // Resolves without any timer having to fire.
    await expect(l.tryEnter()).resolves.toBeNull();
    expect(l.stats()).toMatchObject({ active: 1, queued: 1, refused: 1 });
  });

  it("X-7: no queue at all (maxQueue 0) refuses as soon as every place is taken", async () => {
    const l = createRushLimiter({ maxActive: 1, maxQueue: 0, queueTimeoutMs: 1000 });
    expect(await l.tryEnter()).toBeTypeOf("function");
    expect(await l.tryEnter()).toBeNull();
  });

  it("X-7: a request that waits longer than queueTimeoutMs is refused and leaves the queue", async () => {
    vi.useFakeTimers();
    const l = createRushLimiter({ maxActive: 1, maxQueue: 4, queueTimeoutMs: 3000 });
    const first = (await l.tryEnter())!;
    const waiting = track(l.tryEnter());
    await vi.advanceTimersByTimeAsync(2999);
    expect(waiting.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting.settled).toBe(true);
    expect(waiting.value).toBeNull();
    expect(l.stats()).toMatchObject({ active: 1, queued: 0, refused: 1 });
    // The place it waited for goes back to the pool, not to the timed-out request.
    first();
    expect(l.stats()).toMatchObject({ active: 0, queued: 0 });
  });

  it("X-7: a waiting request whose client goes away leaves the queue", async () => {
    const l = createRushLimiter({ maxActive: 1, maxQueue: 1, queueTimeoutMs: 10_000 });
    const first = (await l.tryEnter())!;
    const ac = new AbortController();
    const gone = l.tryEnter(ac.signal);
    ac.abort();
    expect(await gone).toBeNull();
    expect(l.stats()).toMatchObject({ queued: 0, abandoned: 1, refused: 0 });
    // Its place in the queue is free for the next one.
    const next = track(l.tryEnter());
    await tick();
    expect(l.stats().queued).toBe(1);
    first();
    await tick();
    expect(next.value).toBeTypeOf("function");
  });

  it("X-7: release is idempotent: releasing twice does not admit two waiting requests", async () => {
    const l = createRushLimiter({ maxActive: 1, maxQueue: 2, queueTimeoutMs: 10_000 });
    const first = (await l.tryEnter())!;
    const a = track(l.tryEnter());
    const b = track(l.tryEnter());
    first();
    first();
    await tick();
    expect(a.value).toBeTypeOf("function");
    expect(b.settled).toBe(false);
    expect(l.stats()).toMatchObject({ active: 1, queued: 1 });
    a.value!();
    a.value!();
    await tick();
    expect(b.value).toBeTypeOf("function");
    b.value!();
    b.value!();
    expect(l.stats()).toMatchObject({ active: 0, queued: 0 });
    // And never below zero: two places free after one double release would let three in at once.
    const c = await l.tryEnter();
    const d = track(l.tryEnter());
    await tick();
    expect(c).toBeTypeOf("function");
    expect(d.settled).toBe(false);
    expect(l.stats()).toMatchObject({ active: 1, queued: 1 });
    c!();
    await tick();
    expect(d.value).toBeTypeOf("function");
  });

  it("X-7: stats count admitted, refused, waiting and active requests", async () => {
    vi.useFakeTimers();
    const l = createRushLimiter({ maxActive: 2, maxQueue: 1, queueTimeoutMs: 500 });
    expect(l.stats()).toEqual({ active: 0, queued: 0, admitted: 0, refused: 0, abandoned: 0, followUps: 0 });
    const r1 = (await l.tryEnter())!;
    await l.tryEnter();
    const q = l.tryEnter();
    expect(await l.tryEnter()).toBeNull(); // queue full
    expect(l.stats()).toEqual({ active: 2, queued: 1, admitted: 2, refused: 1, abandoned: 0, followUps: 0 });
    r1();
    expect(await q).toBeTypeOf("function");
    expect(l.stats()).toEqual({ active: 2, queued: 0, admitted: 3, refused: 1, abandoned: 0, followUps: 0 });
    const late = l.tryEnter();
    await vi.advanceTimersByTimeAsync(500);
    expect(await late).toBeNull(); // waited too long
    expect(l.stats()).toEqual({ active: 2, queued: 0, admitted: 3, refused: 2, abandoned: 0, followUps: 0 });
  });

  it("X-7: a request admitted just before its queue time-out is not refused by it afterwards", async () => {
    vi.useFakeTimers();
    const l = createRushLimiter({ maxActive: 1, maxQueue: 2, queueTimeoutMs: 3000 });
    const first = (await l.tryEnter())!;
    const waiting = track(l.tryEnter());
    await vi.advanceTimersByTimeAsync(2999);
    first();
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting.value).toBeTypeOf("function");
    // The timer that would have refused it is gone: it never fires, nothing is counted twice.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(l.stats()).toMatchObject({ active: 1, queued: 0, admitted: 2, refused: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("X-7: a follow-up is admitted at once beyond the limit, up to as many again, and those places are not handed on", async () => {
    const l = createRushLimiter({ maxActive: 2, maxQueue: 1, queueTimeoutMs: 10_000 });
    const a = (await l.tryEnter())!;
    const b = (await l.tryEnter())!;
    const waiter = track(l.tryEnter());
    await tick();
    expect(await l.tryEnter()).toBeNull(); // the queue is full for newcomers
    const f1 = await l.enterFollowUp();
    const f2 = await l.enterFollowUp();
    expect(f1).toBeTypeOf("function");
    expect(f2).toBeTypeOf("function");
    expect(l.stats()).toMatchObject({ active: 4, queued: 1, followUps: 2 });
    // Beyond 2 × maxActive a follow-up waits, but before every newcomer, even with the queue full.
    const f3 = track(l.enterFollowUp());
    await tick();
    expect(f3.settled).toBe(false);
    expect(l.stats().queued).toBe(2);
    // Back to the limit first: releases above it are not handed to the queue.
    a();
    await tick();
    expect(f3.settled).toBe(false);
    expect(waiter.settled).toBe(false);
    expect(l.stats().active).toBe(3);
    b();
    await tick();
    expect(l.stats().active).toBe(2);
    expect(f3.settled).toBe(false);
    // At the limit, the next release goes to the follow-up, then to the older newcomer.
    f1!();
    await tick();
    expect(f3.value).toBeTypeOf("function");
    expect(waiter.settled).toBe(false);
    f2!();
    await tick();
    expect(waiter.value).toBeTypeOf("function");
    expect(l.stats()).toMatchObject({ active: 2, queued: 0, followUps: 3, refused: 1 });
    f3.value!();
    waiter.value!();
    expect(l.stats().active).toBe(0);
  });

  it("X-7: below the limit a follow-up is admitted like anyone else", async () => {
    const l = createRushLimiter({ maxActive: 1, maxQueue: 0, queueTimeoutMs: 0 });
    const f = (await l.enterFollowUp())!;
    expect(l.stats()).toMatchObject({ active: 1, admitted: 1, followUps: 1 });
    f();
    expect(l.stats().active).toBe(0);
  });

  it("X-7: nonsensical limits are refused when the limiter is built", () => {
    expect(() => createRushLimiter({ maxActive: 0, maxQueue: 1, queueTimeoutMs: 1 })).toThrow(RangeError);
    expect(() => createRushLimiter({ maxActive: 1, maxQueue: -1, queueTimeoutMs: 1 })).toThrow(RangeError);
    expect(() => createRushLimiter({ maxActive: 1, maxQueue: 1, queueTimeoutMs: -1 })).toThrow(RangeError);
  });
});

describe("X-7 which requests are limited", () => {
  it.each([
    "/candidate",
    "/candidate/",
    "/candidate/entries/3",
    "/candidate.data",
    "/candidate/entries.data",
    "/signup",
    "/signup.data",
    "/login",
    "/login/",
    "/LOGIN",
    "/pay",
    "/pay/42",
    "/pay/42.data",
    "//login",
  ])("X-7: %s is a registration path", (p) => {
    expect(isRushPath(p)).toBe(true);
  });

  it.each([
    "/",
    "/_root.data",
    "/payments/notify/simulated",
    "/payments/notify/alipay",
    "/healthz",
    "/assets/entry-abc.js",
    "/admin",
    "/admin/records",
    "/admin.data",
    "/favicon.ico",
    "/candidates",
    "/payment",
    "/login-help",
    "/@vite/client",
    "/@fs/work/main/app/root.tsx",
    "/app/routes/login.tsx",
    "/node_modules/.vite/deps/react.js",
    "/candidate/app.css",
    "/logout",
    "/set-locale",
    "/files/12",
  ])("X-7: %s is never limited", (p) => {
    expect(isRushPath(p)).toBe(false);
  });
});

describe("X-7 busy page", () => {
  it("X-7: the locale comes from the kaowu_locale cookie as Remix writes it, Chinese by default", () => {
    expect(localeFromCookieHeader(undefined)).toBe("zh-CN");
    expect(localeFromCookieHeader("other=1")).toBe("zh-CN");
    expect(localeFromCookieHeader("a=b; kaowu_locale=ImVuIg%3D%3D")).toBe("en");
    expect(localeFromCookieHeader("kaowu_locale=InpoLUNOIg%3D%3D")).toBe("zh-CN");
    expect(localeFromCookieHeader("kaowu_locale=en")).toBe("en");
    expect(localeFromCookieHeader("kaowu_locale=%%%")).toBe("zh-CN");
  });

  it("X-7: posted fields are escaped into the retry form", () => {
    expect(escapeHtml(`"><script>&'\r\n`)).toBe("&quot;&gt;&lt;script&gt;&amp;&#39;&#13;&#10;");
    const html = renderBusyPage("en", 3, '/login?x="1"', { kind: "resubmit", fields: [['a"b', "<i>"]] });
    expect(html).toContain(`action="/login?x=&quot;1&quot;"`);
    expect(html).toContain(`<input type="hidden" name="a&quot;b" value="&lt;i&gt;">`);
    expect(html).not.toContain("<i>");
    expect(html).not.toMatch(/<link|src=/);
  });
});

describe("X-7 follow-up passes (decision 0048)", () => {
  const key = randomBytes(32);
  const now = Date.UTC(2026, 11, 6, 9, 0, 0);

  it("X-7: a pass is good for its own page until it expires, under its own key only", () => {
    const pass = signPass(key, "/candidate/entries", now + 30_000);
    expect(pass).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}$/);
    expect(verifyPass(key, pass, "/candidate/entries", now)).toMatchObject({ expiresAt: now + 30_000 });
    expect(verifyPass(key, pass, "/candidate/entries", now + 29_999)).not.toBeNull();
    // Expired.
    expect(verifyPass(key, pass, "/candidate/entries", now + 30_000)).toBeNull();
    // Another page.
    expect(verifyPass(key, pass, "/candidate/pay", now)).toBeNull();
    // Another key (another deployment, or a guess).
    expect(verifyPass(randomBytes(32), pass, "/candidate/entries", now)).toBeNull();
  });

  it("X-7: a pass cannot be forged: a changed expiry, nonce or signature, or a malformed value, is refused", () => {
    const pass = signPass(key, "/candidate/entries", now + 30_000, "AAAAAAAAAAAAAAAA");
    const [exp, nonce, mac] = pass.split(".");
    const later = (parseInt(exp, 36) + 3_600_000).toString(36);
    expect(verifyPass(key, `${later}.${nonce}.${mac}`, "/candidate/entries", now)).toBeNull();
    expect(verifyPass(key, `${exp}.BAAAAAAAAAAAAAAA.${mac}`, "/candidate/entries", now)).toBeNull();
    const flipped = mac.slice(0, -2) + (mac.at(-2) === "A" ? "B" : "A") + mac.at(-1);
    expect(verifyPass(key, `${exp}.${nonce}.${flipped}`, "/candidate/entries", now)).toBeNull();
    for (const bad of ["", "x", `${exp}.${nonce}`, `${exp}.${nonce}.${mac}.x`, `${exp}.${nonce}.${mac}=`, pass + " "])
      expect(verifyPass(key, bad, "/candidate/entries", now)).toBeNull();
  });

  it("X-7: a page is the same page whatever its spelling or its single-fetch twin", () => {
    for (const p of ["/candidate/entries", "/Candidate//Entries/", "/candidate/entries.data", "/candidate/%65ntries"])
      expect(routePath(p)).toBe("/candidate/entries");
    expect(routePath("/")).toBe("/");
  });

  it("X-7: the limiter's cookies are read from the Cookie header; nonsense counts as none", () => {
    expect(rushCookies(undefined)).toEqual({ pass: null, attempt: 0 });
    expect(rushCookies("kaowu_session=abc; kaowu_locale=en")).toEqual({ pass: null, attempt: 0 });
    expect(rushCookies(`a=1; ${PASS_COOKIE}=p.q.r; ${ATTEMPT_COOKIE}=3`)).toEqual({ pass: "p.q.r", attempt: 3 });
    expect(rushCookies(`${ATTEMPT_COOKIE}=999`).attempt).toBe(16);
    expect(rushCookies(`${ATTEMPT_COOKIE}=-1; ${PASS_COOKIE}=`)).toEqual({ pass: null, attempt: 0 });
  });
});

describe("X-7 retry jitter (decision 0048)", () => {
  it("X-7: the window starts at 2–5 s and doubles with each refusal in a row, up to 20 s", () => {
    expect([0, 1, 2, 3, 10, 1000, -1, Number.NaN].map(retryWindowMs)).toEqual([
      5000, 10_000, 20_000, 20_000, 20_000, 20_000, 5000, 5000,
    ]);
    for (const attempt of [0, 1, 2, 7]) {
      expect(jitteredRetryDelayMs(attempt, () => 0)).toBe(RETRY_MIN_MS);
      expect(jitteredRetryDelayMs(attempt, () => 0.999_999_9)).toBe(retryWindowMs(attempt));
    }
    expect(retryWindowMs(99)).toBe(RETRY_CAP_MS);
  });

  it("X-7: refused clients are spread over the whole window to the millisecond, not in a few waves", () => {
    const delays = Array.from({ length: 2000 }, () => jitteredRetryDelayMs(0));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(5000);
    // The old page came back on one of four whole seconds; now nearly every client has its own moment.
    expect(new Set(delays).size).toBeGreaterThan(900);
    // And evenly: each of the three seconds of the window holds roughly a third.
    for (let s = 2; s < 5; s++) {
      const share = delays.filter((d) => d >= s * 1000 && d < (s + 1) * 1000).length / delays.length;
      expect(share).toBeGreaterThan(0.25);
      expect(share).toBeLessThan(0.42);
    }
    // A client refused again spreads over twice the window.
    const again = Array.from({ length: 2000 }, () => jitteredRetryDelayMs(1));
    expect(Math.max(...again)).toBeGreaterThan(8000);
    expect(Math.max(...again)).toBeLessThanOrEqual(10_000);
  });

  it("X-7: the page retries after the exact delay and counts down whole seconds", () => {
    const html = renderBusyPage("en", 4, "/candidate", { kind: "reload" }, undefined, 3217);
    expect(html).toContain('<span id="n">4</span>');
    expect(html).toContain("end=Date.now()+3217");
    expect(html).toContain('<meta http-equiv="refresh" content="5">');
    // The outage page (db-health) still passes whole seconds only.
    expect(renderBusyPage("en", 5, "/login", { kind: "reload" })).toContain("end=Date.now()+5000");
  });
});
