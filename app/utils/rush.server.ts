import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Request, RequestHandler, Response } from "express";
import { safeRedirect } from "./safe-redirect";
import { randomToken } from "./random-token.server";

/**
 * X-7: admission control for the registration pages on opening day.
 *
 * At most `maxActive` registration requests run at once, so the database pool (and PGlite's single
 * connection) is never asked for more than it can serve; up to `maxQueue` more wait, first come
 * first served, for at most `queueTimeoutMs`; everyone else gets a small "busy, retrying" page at
 * once instead of a time-out. See docs/decisions/0013-rush-limiter.md.
 *
 * Decision 0048: the page an admitted submission redirects to is never refused (a one-time signed
 * pass lets that one follow-up through), and refused clients come back spread out (full jitter over a
 * window that doubles with each refusal in a row).
 */

export type RushRelease = () => void;

export interface RushLimiterOptions {
  /** Requests that may run at once (≥ 1). */
  maxActive: number;
  /** Requests that may wait for a place (≥ 0). */
  maxQueue: number;
  /** How long a request waits for a place before it is refused (ms, ≥ 0; 0 = never wait). */
  queueTimeoutMs: number;
}

export interface RushStats {
  active: number;
  queued: number;
  /** Admitted since start (at once or after waiting). */
  admitted: number;
  /** Refused since start: queue full or waited too long. */
  refused: number;
  /** Left the queue because the client went away before a place was free. */
  abandoned: number;
  /** Of the admitted, follow-ups let in on a pass (decision 0048). */
  followUps: number;
}

export interface RushLimiter {
  /**
   * Resolves to a release function once admitted, or to null when refused (queue full, waited too
   * long) or when `signal` aborts while waiting. The release function may be called more than once;
   * only the first call frees the place.
   */
  tryEnter(signal?: AbortSignal): Promise<RushRelease | null>;
  /**
   * X-7 (decision 0048): the follow-up of an admitted request, its pass already checked. Admitted at
   * once while fewer than 2 × `maxActive` run (so up to `maxActive` beyond the limit), otherwise first
   * in the queue whatever its length; only then can it still wait too long or be abandoned.
   */
  enterFollowUp(signal?: AbortSignal): Promise<RushRelease | null>;
  stats(): RushStats;
  readonly options: Readonly<RushLimiterOptions>;
}

interface Waiter {
  followUp: boolean;
  resolve: (release: RushRelease | null) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  detach: () => void;
}

export function createRushLimiter(options: RushLimiterOptions): RushLimiter {
  const { maxActive, maxQueue, queueTimeoutMs } = options;
  if (!Number.isInteger(maxActive) || maxActive < 1)
    throw new RangeError(`rush limiter: maxActive must be an integer ≥ 1 (got ${maxActive})`);
  if (!Number.isInteger(maxQueue) || maxQueue < 0)
    throw new RangeError(`rush limiter: maxQueue must be an integer ≥ 0 (got ${maxQueue})`);
  if (!Number.isFinite(queueTimeoutMs) || queueTimeoutMs < 0)
    throw new RangeError(`rush limiter: queueTimeoutMs must be ≥ 0 (got ${queueTimeoutMs})`);

  let active = 0;
  let admitted = 0;
  let refused = 0;
  let abandoned = 0;
  let followUps = 0;
  const queue: Waiter[] = [];

  function leaveQueue(w: Waiter): boolean {
    const i = queue.indexOf(w);
    if (i < 0) return false;
    queue.splice(i, 1);
    if (w.timer !== undefined) clearTimeout(w.timer);
    w.detach();
    return true;
  }

  function makeRelease(): RushRelease {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Hand the place straight to the longest waiter, so a newcomer can never overtake the queue;
      // unless follow-ups took places beyond the limit (decision 0048): those are given back first.
      const next = active <= maxActive ? queue[0] : undefined;
      if (next) {
        leaveQueue(next);
        admitted++;
        if (next.followUp) followUps++;
        next.resolve(makeRelease());
      } else {
        active--;
      }
    };
  }

  // Invariant: the queue is empty whenever active < maxActive (a released place goes to the queue first).
  function enter(signal: AbortSignal | undefined, followUp: boolean): Promise<RushRelease | null> {
    if (signal?.aborted) {
      abandoned++;
      return Promise.resolve(null);
    }
    if (active < (followUp ? 2 * maxActive : maxActive)) {
      active++;
      admitted++;
      if (followUp) followUps++;
      return Promise.resolve(makeRelease());
    }
    if ((!followUp && queue.length >= maxQueue) || queueTimeoutMs === 0) {
      refused++;
      return Promise.resolve(null);
    }
    return new Promise<RushRelease | null>((resolve) => {
      const w: Waiter = { followUp, resolve, timer: undefined, detach: () => {} };
      const onAbort = () => {
        if (leaveQueue(w)) {
          abandoned++;
          resolve(null);
        }
      };
      w.timer = setTimeout(() => {
        if (leaveQueue(w)) {
          refused++;
          resolve(null);
        }
      }, queueTimeoutMs);
      if (signal) {
        signal.addEventListener("abort", onAbort, { once: true });
        w.detach = () => signal.removeEventListener("abort", onAbort);
      }
      // A follow-up goes before every newcomer, behind earlier follow-ups.
      if (followUp) queue.splice(queue.filter((q) => q.followUp).length, 0, w);
      else queue.push(w);
    });
  }

  return {
    options: Object.freeze({ maxActive, maxQueue, queueTimeoutMs }),
    tryEnter: (signal) => enter(signal, false),
    enterFollowUp: (signal) => enter(signal, true),
    stats: () => ({ active, queued: queue.length, admitted, refused, abandoned, followUps }),
  };
}

// ---------------------------------------------------------------------------------------------
// Which requests are limited

/** Extensions of files served as they are (Vite in dev, express.static in production). */
const STATIC_FILE =
  /\.(?:js|mjs|cjs|jsx|ts|tsx|css|map|json|ico|png|jpe?g|gif|svg|webp|avif|woff2?|ttf|otf|eot|txt|xml|webmanifest)$/;

/**
 * X-7: the registration pages only: `/candidate` and below, `/signup`, `/login`, `/pay` and below,
 * with their single-fetch `.data` twins. Never payment notifications (a provider's retry schedule
 * is not ours to stretch), the health check, admin pages, assets, Vite's dev modules or files.
 */
export function isRushPath(pathname: string): boolean {
  const p = routePath(pathname);
  if (
    p === "/healthz" ||
    p.startsWith("/payments/") ||
    p.startsWith("/assets/") ||
    p === "/admin" ||
    p.startsWith("/admin/")
  )
    return false;
  // Vite dev server: /@vite/client, /@fs/…, /@id/…, /app/…, /node_modules/…
  if (p.startsWith("/@") || p.startsWith("/__") || p.startsWith("/app/") || p.startsWith("/node_modules/"))
    return false;
  if (STATIC_FILE.test(p)) return false;
  return p === "/signup" || p === "/login" || /^\/(?:candidate|pay)(?:\/|$)/.test(p);
}

/**
 * A path as Remix routes it: decoded, lower case (Remix matches routes case-insensitively; so do we,
 * lest /LOGIN slip past), single slashes, without the single-fetch `.data` suffix or a trailing slash.
 * `/candidate/entries`, `/Candidate//entries/` and `/candidate/entries.data` are the same page.
 */
export function routePath(pathname: string): string {
  let p = pathname;
  try {
    p = decodeURI(p);
  } catch {
    // keep it as sent; Remix will answer 400/404 itself
  }
  p = p.toLowerCase().replace(/\/{2,}/g, "/");
  if (p.endsWith(".data")) p = p.slice(0, -".data".length);
  if (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Decision 0048: the follow-up pass and the retry back-off

/** The one-time pass for the page an admitted submission redirects to. */
export const PASS_COOKIE = "kaowu_rush_pass";
/** How many times in a row this client was refused (it only ever lengthens its own wait). */
export const ATTEMPT_COOKIE = "kaowu_rush_try";
/** A pass is good for this long after the redirect that carried it. */
export const PASS_TTL_MS = 30_000;
const PASS_LABEL = "kaowu/rush-pass/v1";
const MAX_ATTEMPT = 16;

/** The first refusal retries 2–5 s later (decision 0013), each further one in a row within twice the window, up to 20 s. */
export const RETRY_MIN_MS = 2_000;
export const RETRY_FIRST_MAX_MS = 5_000;
export const RETRY_CAP_MS = 20_000;

/** The latest a client refused `attempt` times in a row before (0 for the first refusal) is told to come back, in ms. */
export function retryWindowMs(attempt: number): number {
  const a = Math.max(0, Math.min(MAX_ATTEMPT, Math.floor(attempt) || 0));
  return Math.min(RETRY_CAP_MS, RETRY_FIRST_MAX_MS * 2 ** a);
}

/**
 * Full jitter: anywhere between RETRY_MIN_MS and the attempt's window, to the millisecond, so that
 * clients refused at the same moment do not come back at the same moment (and those refused again
 * spread over a window twice as wide). The page waits exactly this long; Retry-After rounds it up.
 */
export function jitteredRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  const max = retryWindowMs(attempt);
  return Math.min(max, RETRY_MIN_MS + Math.floor(random() * (max - RETRY_MIN_MS + 1)));
}

function passMac(key: Buffer, exp: string, nonce: string, target: string): string {
  return createHmac("sha256", key)
    .update(`${PASS_LABEL}\0${exp}\0${nonce}\0${target}`)
    .digest()
    .subarray(0, 16)
    .toString("base64url");
}

/**
 * A pass for one request to `target` (a path as `routePath` gives it) until `expiresAt` (ms since the
 * epoch): `<expiry base 36>.<96-bit nonce>.<128-bit HMAC-SHA-256>`, under the deployment's key.
 */
export function signPass(
  key: Buffer,
  target: string,
  expiresAt: number,
  nonce: string = randomToken(12, "base64url"),
): string {
  const exp = Math.floor(expiresAt).toString(36);
  return `${exp}.${nonce}.${passMac(key, exp, nonce, target)}`;
}

/** The pass's nonce and expiry when it was signed with `key` for `target` and has not expired; null otherwise. */
export function verifyPass(
  key: Buffer,
  value: string,
  target: string,
  now: number,
): { nonce: string; expiresAt: number } | null {
  const m = /^([0-9a-z]{1,11})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})$/.exec(value);
  if (!m) return null;
  const [, exp, nonce, mac] = m;
  const expiresAt = parseInt(exp, 36);
  if (!(expiresAt > now)) return null;
  const want = Buffer.from(passMac(key, exp, nonce, target), "base64url");
  const got = Buffer.from(mac, "base64url");
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
  return { nonce, expiresAt };
}

/**
 * Nonces of the passes used in this process, until they expire: a pass lets one request through.
 * (With several processes a copied pass could be shown to each of them once within its 30 s: see 0048.)
 */
class UsedPasses {
  private readonly used = new Map<string, number>();
  constructor(private readonly max: number) {}

  /** True the first time; false when the nonce was used already (or the table is full). */
  use(nonce: string, expiresAt: number, now: number): boolean {
    // Passes are made with the same lifetime, so they expire roughly in the order they were used.
    for (const [n, exp] of this.used) {
      if (exp > now) break;
      this.used.delete(n);
    }
    if (this.used.has(nonce) || this.used.size >= this.max) return false;
    this.used.set(nonce, expiresAt);
    return true;
  }
}

/** The limiter's own cookies in a Cookie header, read by hand: this runs for every registration request. */
export function rushCookies(header: string | undefined): { pass: string | null; attempt: number } {
  let pass: string | null = null;
  let attempt = 0;
  if (!header || (!header.includes(PASS_COOKIE) && !header.includes(ATTEMPT_COOKIE))) return { pass, attempt };
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === PASS_COOKIE && value) pass = value;
    else if (name === ATTEMPT_COOKIE && /^\d{1,3}$/.test(value)) attempt = Math.min(MAX_ATTEMPT, Number(value));
  }
  return { pass, attempt };
}

function cookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

/**
 * Where a response sends the browser next, when it does: a 3xx with Location, or a single-fetch
 * redirect (202 with Location and X-Remix-Response, decoded by Remix's client); same host only.
 */
function redirectTarget(res: Response, status: number, host: string | undefined): string | null {
  const isRedirect = REDIRECT_STATUS.has(status) || (status === 202 && res.hasHeader("x-remix-response"));
  if (!isRedirect) return null;
  const location = res.getHeader("location");
  if (typeof location !== "string" || !location) return null;
  try {
    const base = `http://${host || "localhost"}`;
    const u = new URL(location, base);
    if (u.origin !== new URL(base).origin && (u.host !== host || u.protocol !== "https:")) return null;
    return u.pathname;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The refusal

export type RushLocale = "zh-CN" | "en";

/**
 * The `kaowu_locale` cookie (app/utils/i18n.server.ts) as Remix writes it: base64 of the JSON
 * string, URI-encoded. Parsed by hand because this runs before Remix, for every refused request.
 */
export function localeFromCookieHeader(header: string | undefined): RushLocale {
  if (!header) return "zh-CN";
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== "kaowu_locale") continue;
    let raw = part.slice(eq + 1).trim();
    try {
      raw = decodeURIComponent(raw);
    } catch {
      continue;
    }
    if (raw === "en" || raw === "zh-CN") return raw;
    try {
      const value: unknown = JSON.parse(Buffer.from(raw, "base64").toString("utf8"));
      if (value === "en" || value === "zh-CN") return value;
    } catch {
      // not ours
    }
  }
  return "zh-CN";
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'\r\n]/g, (c) => HTML_ESCAPES[c] ?? c);
}
// Newlines as character references: the HTML parser would turn a raw CR LF into LF.
const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "\r": "&#13;",
  "\n": "&#10;",
};

/** The words of a "try again" page; the busy page's are below, the database outage's in db-health.server.ts. */
export interface RetryText {
  title: string;
  retrying: (n: string) => string;
  kept: string;
  retryNow: string;
  notKept: string;
  goBack: string;
  data: string;
}

// The page is written before Remix (and its dictionaries) are involved, so its few strings live here.
const TEXT: Record<RushLocale, RetryText> = {
  "zh-CN": {
    title: "系统繁忙",
    retrying: (n: string) => `系统繁忙，正在自动重试…（${n} 秒）`,
    kept: "您填写的内容已保留，将自动重新提交，无需重新填写。",
    retryNow: "立即重试",
    notKept: "系统繁忙，您的提交尚未处理。请稍候几秒，返回并重新提交。",
    goBack: "返回并重新提交",
    data: "系统繁忙，请稍后重试。",
  },
  en: {
    title: "System busy",
    retrying: (n: string) => `The system is busy; retrying automatically… (${n} s)`,
    kept: "What you entered is kept and will be submitted again by itself; there is no need to retype it.",
    retryNow: "Retry now",
    notKept:
      "The system is busy and your submission has not been processed. Please wait a few seconds, go back and submit again.",
    goBack: "Go back and submit again",
    data: "The system is busy; please retry shortly.",
  },
};

export type BusyPage =
  { kind: "reload" } | { kind: "resubmit"; fields: [string, string][] } | { kind: "back"; backHref: string };

/**
 * The self-contained busy page: inline style and script, no external assets. The script retries
 * after `delayMs` (to the millisecond: jitter, decision 0048) while counting down whole seconds from
 * `seconds`; without JavaScript the meta refresh, whole seconds only, comes one second later.
 */
export function renderBusyPage(
  locale: RushLocale,
  seconds: number,
  url: string,
  page: BusyPage,
  t: RetryText = TEXT[locale],
  delayMs: number = seconds * 1000,
): string {
  const n = `<span id="n">${seconds}</span>`;
  const action = escapeHtml(url);
  let body: string;
  let head = "";
  let script = "";
  if (page.kind === "reload") {
    // The meta refresh is the fallback without JavaScript; one second later than the script's reload.
    head = `<meta http-equiv="refresh" content="${seconds + 1}">`;
    body = `<p>${t.retrying(n)}</p><p><a href="${action}">${t.retryNow}</a></p>`;
    script = countdown(delayMs, "location.reload()");
  } else if (page.kind === "resubmit") {
    // No meta refresh here: it would retry as a GET and drop what the candidate entered.
    const inputs = page.fields
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join("");
    body =
      `<p>${t.retrying(n)}</p><p>${t.kept}</p>` +
      `<form id="f" method="post" action="${action}" accept-charset="utf-8" autocomplete="off">${inputs}<button type="submit">${t.retryNow}</button></form>`;
    // Through the prototype: a posted field named "submit" would shadow form.submit.
    script = countdown(delayMs, "HTMLFormElement.prototype.submit.call(document.getElementById('f'))");
  } else {
    body = `<p>${t.notKept}</p><p><a href="${escapeHtml(page.backHref)}" onclick="history.back();return false">${t.goBack}</a></p>`;
  }
  return (
    `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">${head}` +
    `<title>${t.title}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;line-height:1.6;color:#222}` +
    `a,button{font:inherit;color:#0a58ca}button{padding:.3rem .9rem;cursor:pointer}</style></head>` +
    `<body>${body}${script ? `<script>${script}</script>` : ""}</body></html>`
  );
}

/** Shows the whole seconds left and runs `then` after `delayMs`: each tick waits for the next whole second of what is left. */
function countdown(delayMs: number, then: string): string {
  const ms = Math.max(0, Math.round(delayMs));
  return `(function(){var e=document.getElementById('n'),end=Date.now()+${ms};(function t(){var r=end-Date.now();if(r<=0){${then};}else{e.textContent=Math.ceil(r/1000);setTimeout(t,(r-1)%1000+1);}})();})();`;
}

export interface RushMiddlewareOptions {
  /** Which paths are limited; defaults to `isRushPath`. */
  isLimited?: (pathname: string) => boolean;
  /**
   * Milliseconds until a refused client retries, given how many times in a row it was refused
   * before (0 the first time); defaults to `jitteredRetryDelayMs`. Retry-After is this rounded up.
   */
  retryDelayMs?: (attempt: number) => number;
  /** Largest form body carried over into the retry page (bytes). */
  formBodyLimit?: number;
  /** Told at most every 10 s while requests are being refused, and when the pass key cannot be had. */
  log?: (message: string) => void;
  /**
   * The secret follow-up passes are signed with (decision 0048); null: no passes. Defaults to the
   * deployment's kept secret `rush_pass` (table app_secret, made once, the same for every process).
   */
  passSecret?: (() => Promise<string>) | null;
  /** Cookies with the Secure attribute; defaults to what the session cookie does (COOKIE_SECURE, else production). */
  secureCookies?: boolean;
  /** The clock, for tests. */
  now?: () => number;
}

export const FORM_BODY_LIMIT = 64 * 1024;

const defaultPassSecret = () => import("./app-secret.server").then((m) => m.keptSecret("rush_pass"));

/**
 * The pass key, fetched once: synchronously available after the first success; after a failure (the
 * database away) requests go on without passes and it is tried again 5 s later. A request waits at
 * most 2 s for it (the first ones after start, normally a few milliseconds).
 */
function passKeys(source: (() => Promise<string>) | null, log?: (message: string) => void) {
  let key: Buffer | null = null;
  let loading: Promise<Buffer | null> | null = null;
  let failedAt = -Infinity;
  return (): Buffer | null | Promise<Buffer | null> => {
    if (key || !source) return key;
    if (Date.now() - failedAt < 5_000) return null;
    loading ??= source().then(
      (secret) => {
        loading = null;
        return (key = Buffer.from(secret, "utf8"));
      },
      (e: unknown) => {
        loading = null;
        failedAt = Date.now();
        log?.(`[kaowu] rush: no follow-up passes for now (${e instanceof Error ? e.message : String(e)})`);
        return null;
      },
    );
    return Promise.race([loading, new Promise<null>((resolve) => setTimeout(resolve, 2_000, null).unref())]);
  };
}

export function rushMiddleware(limiter: RushLimiter, opts: RushMiddlewareOptions = {}): RequestHandler {
  const isLimited = opts.isLimited ?? isRushPath;
  const retryDelay = opts.retryDelayMs ?? ((attempt: number) => jitteredRetryDelayMs(attempt));
  const formBodyLimit = opts.formBodyLimit ?? FORM_BODY_LIMIT;
  const now = opts.now ?? Date.now;
  const secure =
    opts.secureCookies ??
    (process.env.COOKIE_SECURE ? process.env.COOKIE_SECURE === "true" : process.env.NODE_ENV === "production");
  const passKey = passKeys(opts.passSecret === undefined ? defaultPassSecret : opts.passSecret, opts.log);
  const used = new UsedPasses(200_000);
  let lastLog = 0;
  let refusedAtLastLog = 0;

  /** Decision 0048: a redirect answering an admitted submission carries a pass for the page it leads to. */
  function passOnRedirect(req: Request, res: Response, key: Buffer) {
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      res.writeHead = writeHead;
      const status = typeof args[0] === "number" ? args[0] : res.statusCode;
      const to = redirectTarget(res, status, req.headers.host);
      if (to !== null && isLimited(to))
        res.append(
          "Set-Cookie",
          cookie(PASS_COOKIE, signPass(key, routePath(to), now() + PASS_TTL_MS), PASS_TTL_MS / 1000, secure),
        );
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as typeof res.writeHead;
  }

  return (req, res, next) => {
    if (!isLimited(req.path)) return next();
    const method = req.method.toUpperCase();
    const read = method === "GET" || method === "HEAD";
    const mine = rushCookies(req.headers.cookie);
    const waiting = new AbortController();
    let release: RushRelease | null = null;
    let done = false;
    // 'finish' when the response has been handed over, 'close' when the client went away first:
    // whichever comes first frees the place (or the place in the queue), exactly once.
    const onDone = () => {
      if (done) return;
      done = true;
      if (release) {
        const r = release;
        release = null;
        r();
      } else {
        waiting.abort();
      }
    };
    res.once("finish", onDone);
    res.once("close", onDone);

    // Only a submission (which may earn a pass) or a read showing one needs the key.
    const key = read && mine.pass === null ? null : passKey();
    if (key instanceof Promise) key.then((k) => done || admit(k), next);
    else admit(key);

    function admit(key: Buffer | null) {
      let followUp = false;
      if (read && mine.pass !== null && key) {
        const t = now();
        const ok = verifyPass(key, mine.pass, routePath(req.path), t);
        followUp = ok !== null && used.use(ok.nonce, ok.expiresAt, t);
      }
      (followUp ? limiter.enterFollowUp(waiting.signal) : limiter.tryEnter(waiting.signal)).then(
        (r) => {
          if (r) {
            if (done) return r(); // admitted just as the client left
            release = r;
            if (followUp) res.append("Set-Cookie", cookie(PASS_COOKIE, "", 0, secure));
            if (mine.attempt > 0) res.append("Set-Cookie", cookie(ATTEMPT_COOKIE, "", 0, secure));
            // A submission's redirect earns a pass, and so does a follow-up's own redirect (one for one).
            if ((!read || followUp) && key) passOnRedirect(req, res, key);
            return next();
          }
          if (done) return; // the client left while waiting
          if (opts.log) {
            const t = Date.now();
            if (t - lastLog >= 10_000) {
              const s = limiter.stats();
              opts.log(
                `[kaowu] rush: refusing registration requests (${s.refused - refusedAtLastLog} since last notice; active ${s.active}, queued ${s.queued})`,
              );
              lastLog = t;
              refusedAtLastLog = s.refused;
            }
          }
          const delayMs = Math.max(1, Math.round(retryDelay(mine.attempt)));
          const seconds = Math.ceil(delayMs / 1000);
          // The next refusal in a row waits within a wider window; forgotten a minute after the retry.
          res.append("Set-Cookie", cookie(ATTEMPT_COOKIE, String(mine.attempt + 1), seconds + 60, secure));
          sendRetryPage(req, res, seconds, { formBodyLimit, delayMs }).catch((e: unknown) => {
            if (res.headersSent) res.destroy();
            else next(e);
          });
        },
        (e: unknown) => next(e),
      );
    }
  };
}

function isDataRequest(req: Request): boolean {
  if (req.path.endsWith(".data") || "_data" in req.query) return true;
  // An image, script or fetch() (a photo preview, say) cannot show a page: a plain 503 for those too.
  const dest = req.headers["sec-fetch-dest"];
  if (typeof dest === "string" && dest !== "" && !["document", "iframe", "frame"].includes(dest)) return true;
  const accept = req.headers.accept ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

/**
 * A 503 with Retry-After in the user's language: a plain line for data requests, otherwise a page that
 * reloads a GET, re-submits a small urlencoded form after the countdown, or asks to go back and submit again.
 */
export async function sendRetryPage(
  req: Request,
  res: Response,
  seconds: number,
  opts: { formBodyLimit?: number; text?: Record<RushLocale, RetryText>; delayMs?: number } = {},
): Promise<void> {
  const formBodyLimit = opts.formBodyLimit ?? FORM_BODY_LIMIT;
  const locale = localeFromCookieHeader(req.headers.cookie);
  const text = (opts.text ?? TEXT)[locale];
  const url = req.originalUrl;
  res.status(503);
  res.setHeader("Retry-After", String(seconds));
  res.setHeader("Cache-Control", "no-store");

  if (isDataRequest(req)) {
    res.type("text/plain; charset=utf-8").send(text.data);
    return;
  }
  const html = (page: BusyPage) => {
    if (!res.headersSent && !res.destroyed)
      res.type("text/html; charset=utf-8").send(renderBusyPage(locale, seconds, url, page, text, opts.delayMs));
  };
  const method = req.method.toUpperCase();
  if (method === "GET" || method === "HEAD") return html({ kind: "reload" });

  const back = { kind: "back", backHref: sameOriginReferer(req) ?? url } as const;
  if (method === "POST" && req.is("application/x-www-form-urlencoded")) {
    const body = await readCapped(req, formBodyLimit);
    if (body === null) return html(back);
    return html({ kind: "resubmit", fields: [...new URLSearchParams(body.toString("utf8"))] });
  }
  // Multipart (uploads) and anything else: the body is not read; Node discards it after the reply.
  return html(back);
}

/** The request body if it is at most `limit` bytes; null (and the rest discarded) otherwise. */
function readCapped(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(null);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (value: Buffer | null) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish(null);
        req.resume(); // drain the rest without keeping it
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks));
    const onError = () => finish(null);
    const onClose = () => finish(null);
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

function sameOriginReferer(req: Request): string | null {
  const ref = req.headers.referer;
  if (!ref) return null;
  try {
    const u = new URL(ref);
    if (u.host !== req.headers.host) return null;
    // "http://host//evil" has the path "//evil": as a link it would leave the site.
    return safeRedirect(u.pathname + u.search, "") || null;
  } catch {
    return null;
  }
}
