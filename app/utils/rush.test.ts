import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createRushLimiter,
  escapeHtml,
  isRushPath,
  localeFromCookieHeader,
  renderBusyPage,
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
    expect(l.stats()).toEqual({ active: 0, queued: 0, admitted: 0, refused: 0, abandoned: 0 });
    const r1 = (await l.tryEnter())!;
    await l.tryEnter();
    const q = l.tryEnter();
    expect(await l.tryEnter()).toBeNull(); // queue full
    expect(l.stats()).toEqual({ active: 2, queued: 1, admitted: 2, refused: 1, abandoned: 0 });
    r1();
    expect(await q).toBeTypeOf("function");
    expect(l.stats()).toEqual({ active: 2, queued: 0, admitted: 3, refused: 1, abandoned: 0 });
    const late = l.tryEnter();
    await vi.advanceTimersByTimeAsync(500);
    expect(await late).toBeNull(); // waited too long
    expect(l.stats()).toEqual({ active: 2, queued: 0, admitted: 3, refused: 2, abandoned: 0 });
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
