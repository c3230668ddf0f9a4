import type { IncomingMessage } from "node:http";
import type { Request, RequestHandler, Response } from "express";
import { safeRedirect } from "./safe-redirect";

/**
 * X-7: admission control for the registration pages on opening day.
 *
 * At most `maxActive` registration requests run at once, so the database pool (and PGlite's single
 * connection) is never asked for more than it can serve; up to `maxQueue` more wait, first come
 * first served, for at most `queueTimeoutMs`; everyone else gets a small "busy, retrying" page at
 * once instead of a time-out. See docs/decisions/0013-rush-limiter.md.
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
}

export interface RushLimiter {
  /**
   * Resolves to a release function once admitted, or to null when refused (queue full, waited too
   * long) or when `signal` aborts while waiting. The release function may be called more than once;
   * only the first call frees the place.
   */
  tryEnter(signal?: AbortSignal): Promise<RushRelease | null>;
  stats(): RushStats;
  readonly options: Readonly<RushLimiterOptions>;
}

interface Waiter {
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
      // Hand the place straight to the longest waiter, so a newcomer can never overtake the queue.
      const next = queue[0];
      if (next) {
        leaveQueue(next);
        admitted++;
        next.resolve(makeRelease());
      } else {
        active--;
      }
    };
  }

  return {
    options: Object.freeze({ maxActive, maxQueue, queueTimeoutMs }),
    tryEnter(signal) {
      if (signal?.aborted) {
        abandoned++;
        return Promise.resolve(null);
      }
      if (active < maxActive) {
        active++;
        admitted++;
        return Promise.resolve(makeRelease());
      }
      if (queue.length >= maxQueue || queueTimeoutMs === 0) {
        refused++;
        return Promise.resolve(null);
      }
      return new Promise<RushRelease | null>((resolve) => {
        const w: Waiter = { resolve, timer: undefined, detach: () => {} };
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
        queue.push(w);
      });
    },
    stats: () => ({ active, queued: queue.length, admitted, refused, abandoned }),
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
  let p = pathname;
  try {
    p = decodeURI(p);
  } catch {
    // keep it as sent; Remix will answer 400/404 itself
  }
  // Remix matches routes case-insensitively; so do we, lest /LOGIN slip past.
  p = p.toLowerCase().replace(/\/{2,}/g, "/");
  if (p.endsWith(".data")) p = p.slice(0, -".data".length);
  if (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
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

/** The self-contained busy page: inline style and script, no external assets. */
export function renderBusyPage(
  locale: RushLocale,
  seconds: number,
  url: string,
  page: BusyPage,
  t: RetryText = TEXT[locale],
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
    script = countdown(seconds, "location.reload()");
  } else if (page.kind === "resubmit") {
    // No meta refresh here: it would retry as a GET and drop what the candidate entered.
    const inputs = page.fields
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join("");
    body =
      `<p>${t.retrying(n)}</p><p>${t.kept}</p>` +
      `<form id="f" method="post" action="${action}" accept-charset="utf-8" autocomplete="off">${inputs}<button type="submit">${t.retryNow}</button></form>`;
    // Through the prototype: a posted field named "submit" would shadow form.submit.
    script = countdown(seconds, "HTMLFormElement.prototype.submit.call(document.getElementById('f'))");
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

function countdown(seconds: number, then: string): string {
  return `(function(){var n=${seconds},e=document.getElementById('n');var t=setInterval(function(){n--;if(n<=0){clearInterval(t);${then};}else{e.textContent=n;}},1000);})();`;
}

export interface RushMiddlewareOptions {
  /** Which paths are limited; defaults to `isRushPath`. */
  isLimited?: (pathname: string) => boolean;
  /** Seconds for Retry-After and the countdown; defaults to a random 2–5 so refused clients don't return in step. */
  retryAfterSeconds?: () => number;
  /** Largest form body carried over into the retry page (bytes). */
  formBodyLimit?: number;
  /** Told at most every 10 s while requests are being refused. */
  log?: (message: string) => void;
}

export const FORM_BODY_LIMIT = 64 * 1024;

export function rushMiddleware(limiter: RushLimiter, opts: RushMiddlewareOptions = {}): RequestHandler {
  const isLimited = opts.isLimited ?? isRushPath;
  const retryAfter = opts.retryAfterSeconds ?? (() => 2 + Math.floor(Math.random() * 4));
  const formBodyLimit = opts.formBodyLimit ?? FORM_BODY_LIMIT;
  let lastLog = 0;
  let refusedAtLastLog = 0;

  return (req, res, next) => {
    if (!isLimited(req.path)) return next();
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

    limiter.tryEnter(waiting.signal).then(
      (r) => {
        if (r) {
          if (done) return r(); // admitted just as the client left
          release = r;
          return next();
        }
        if (done) return; // the client left while waiting
        if (opts.log) {
          const now = Date.now();
          if (now - lastLog >= 10_000) {
            const s = limiter.stats();
            opts.log(
              `[kaowu] rush: refusing registration requests (${s.refused - refusedAtLastLog} since last notice; active ${s.active}, queued ${s.queued})`,
            );
            lastLog = now;
            refusedAtLastLog = s.refused;
          }
        }
        sendRetryPage(req, res, retryAfter(), { formBodyLimit }).catch((e: unknown) => {
          if (res.headersSent) res.destroy();
          else next(e);
        });
      },
      (e: unknown) => next(e),
    );
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
  opts: { formBodyLimit?: number; text?: Record<RushLocale, RetryText> } = {},
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
      res.type("text/html; charset=utf-8").send(renderBusyPage(locale, seconds, url, page, text));
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
