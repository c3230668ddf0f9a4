import type { RequestHandler, Response as ExpressResponse } from "express";
import { getDbHandle, onConnectionError } from "~db/client";
import { isDatabaseUnavailable } from "~db/errors";
import { localeFromCookieHeader, renderBusyPage, sendRetryPage, type RetryText, type RushLocale } from "./rush.server";

/**
 * Issue 13 item 1: the web process outlives its database (docs/decisions/0025-surviving-outages.md).
 *
 * - A lost connection, or a request that failed because the database is away, makes the tracker
 *   probe it on a connection of its own; if that fails the database is "down" and is probed every
 *   second until it answers again.
 * - While it is down every page answers 503 with Retry-After at once (a page that retries by itself,
 *   like the rush's busy page), without touching the database; /healthz says so.
 * - A request whose own query failed that way answers 503 with the same page, not a 500.
 *
 * PGlite lives inside the process: it cannot go away, and is never probed.
 */

interface HealthState {
  down: boolean;
  since: number | null;
  lastError: string | null;
  probing: Promise<boolean> | null;
  timer: NodeJS.Timeout | undefined;
  probeEveryMs: number;
  log: (m: string) => void;
  /** When a probe last succeeded (ms since epoch). */
  lastOkAt: number;
}

const KEY = Symbol.for("kaowu.dbHealth");
type G = typeof globalThis & { [KEY]?: HealthState };

interface RequestFlags {
  databaseUnavailable: boolean;
}

/**
 * A request's outage flag travels in Remix's load context (`outageContext`), not in an
 * AsyncLocalStorage: on Node 20 an active AsyncLocalStorage runs a hook on every promise the process
 * makes, which cost the entries save about a tenth of its CPU (decision 0065).
 */
export interface OutageContext {
  outage?: RequestFlags;
}

function state(): HealthState {
  const g = globalThis as G;
  g[KEY] ??= {
    down: false,
    since: null,
    lastError: null,
    probing: null,
    timer: undefined,
    probeEveryMs: 1_000,
    log: (m) => console.warn(m),
    lastOkAt: 0,
  };
  return g[KEY]!;
}

export interface DatabaseHealth {
  ok: boolean;
  /** When the database was found away (ms since epoch), while it is. */
  since: number | null;
  error: string | null;
}

export function databaseHealth(): DatabaseHealth {
  const s = state();
  return { ok: !s.down, since: s.since, error: s.down ? s.lastError : null };
}

/** True while the database is known to be away. */
export function databaseDown(): boolean {
  return state().down;
}

/** Probes now (one probe at a time); resolves true when the database answered. */
export function probeDatabase(): Promise<boolean> {
  const s = state();
  if (s.probing) return s.probing;
  const probe = getDbHandle().probe;
  if (!probe) return Promise.resolve(true);
  s.probing = probe()
    .then(
      () => {
        if (s.down)
          s.log(
            `[kaowu] database: reachable again after ${Math.round((Date.now() - (s.since ?? Date.now())) / 1000)} s`,
          );
        s.down = false;
        s.since = null;
        s.lastError = null;
        s.lastOkAt = Date.now();
        return true;
      },
      (e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        if (!s.down)
          s.log(`[kaowu] database: unreachable (${message}); answering 503 and probing every ${s.probeEveryMs} ms`);
        s.down = true;
        s.since ??= Date.now();
        s.lastError = message;
        return false;
      },
    )
    .finally(() => {
      s.probing = null;
      if (s.down) scheduleProbe();
    });
  return s.probing;
}

function scheduleProbe() {
  const s = state();
  if (s.timer) return;
  s.timer = setTimeout(() => {
    s.timer = undefined;
    void probeDatabase();
  }, s.probeEveryMs);
  s.timer.unref();
}

/**
 * For /healthz: whether the database answers, probing at most every `maxAgeMs` (a load balancer that
 * asks every second does not open a connection every second).
 */
export async function databaseReachable(maxAgeMs = 2_000): Promise<boolean> {
  const s = state();
  if (s.down) return false;
  if (Date.now() - s.lastOkAt < maxAgeMs) return true;
  return probeDatabase();
}

/** A lost connection or a failed query: probe, unless a probe is already running or scheduled. */
export function suspectDatabase() {
  const s = state();
  if (s.down || s.probing) return;
  void probeDatabase();
}

/**
 * Remix's handleError (app/entry.server.tsx): an error of the database being away marks the request,
 * so its answer becomes a 503 with a retry, and starts a probe.
 */
export function noteRequestError(e: unknown, context: object | undefined) {
  if (!isDatabaseUnavailable(e)) return;
  const flags = flagsOf(context);
  if (flags) flags.databaseUnavailable = true;
  suspectDatabase();
}

/** True when this request failed because the database was away (`context`: the request's load context). */
export function requestHitOutage(context: object | undefined): boolean {
  return flagsOf(context)?.databaseUnavailable === true;
}

function flagsOf(context: object | undefined): RequestFlags | undefined {
  return (context as OutageContext | undefined)?.outage;
}

const FLAGS = "kaowuOutage";

/** For `getLoadContext`: the request's outage flag, set by `databaseOutageMiddleware`. */
export function outageContext(res: ExpressResponse): OutageContext {
  return { outage: res.locals[FLAGS] as RequestFlags | undefined };
}

/** Start-up: connection errors of the pool go to the tracker. */
export function watchDatabase(opts: { probeEveryMs?: number; log?: (m: string) => void } = {}) {
  const s = state();
  if (opts.probeEveryMs) s.probeEveryMs = opts.probeEveryMs;
  if (opts.log) s.log = opts.log;
  onConnectionError((e) => {
    s.log(`[kaowu] database: connection lost (${e instanceof Error ? e.message : String(e)})`);
    suspectDatabase();
  });
}

/** Tests: forget what was seen. */
export function resetDatabaseHealth() {
  const s = state();
  clearTimeout(s.timer);
  Object.assign(s, { down: false, since: null, lastError: null, probing: null, timer: undefined, lastOkAt: 0 });
}

export const UNAVAILABLE_TEXT: Record<RushLocale, RetryText> = {
  "zh-CN": {
    title: "暂时无法连接数据库",
    retrying: (n) => `系统暂时无法连接数据库，正在自动重试…（${n} 秒）`,
    kept: "您填写的内容已保留，将自动重新提交，无需重新填写。",
    retryNow: "立即重试",
    notKept: "系统暂时无法连接数据库，您的提交没有完成。请稍候片刻，返回并重新提交。",
    goBack: "返回并重新提交",
    data: "系统暂时无法连接数据库，请稍后重试。",
  },
  en: {
    title: "Database unavailable",
    retrying: (n) => `The portal cannot reach its database at the moment; retrying automatically… (${n} s)`,
    kept: "What you entered is kept and will be submitted again by itself; there is no need to retype it.",
    retryNow: "Retry now",
    notKept:
      "The portal cannot reach its database at the moment and your submission was not completed. Please wait a little, go back and submit again.",
    goBack: "Go back and submit again",
    data: "The portal cannot reach its database at the moment; please retry shortly.",
  },
};

export const OUTAGE_RETRY_SECONDS = 5;

/**
 * Ahead of Remix: each request gets its outage flag, and while the database is known to be away the
 * request is answered at once with the retry page (never /healthz, which says why itself). A request
 * that meets the outage itself has its 5xx turned into a 503 with Retry-After.
 */
export function databaseOutageMiddleware(opts: { passThrough?: (path: string) => boolean } = {}): RequestHandler {
  const passThrough = opts.passThrough ?? ((p: string) => p === "/healthz");
  return (req, res, next) => {
    if (databaseDown() && !passThrough(req.path)) {
      sendRetryPage(req, res, OUTAGE_RETRY_SECONDS, { text: UNAVAILABLE_TEXT }).catch((e: unknown) => next(e));
      return;
    }
    const flags: RequestFlags = { databaseUnavailable: false };
    const status = res.status.bind(res);
    res.status = (code: number) => {
      if (code >= 500 && flags.databaseUnavailable && !res.headersSent) {
        res.setHeader("Retry-After", String(OUTAGE_RETRY_SECONDS));
        res.setHeader("Cache-Control", "no-store");
        return status(503);
      }
      return status(code);
    };
    res.locals[FLAGS] = flags;
    next();
  };
}

/** For Remix's document render: the retry page instead of the error page when the request met the outage. */
export function outageDocument(request: Request): Response {
  const locale = localeFromCookieHeader(request.headers.get("cookie") ?? undefined);
  const url = new URL(request.url);
  const here = url.pathname + url.search;
  // A failed GET is tried again by itself; a submission is not (it may have been half-way), the user sends it again.
  const page =
    request.method === "GET" || request.method === "HEAD"
      ? ({ kind: "reload" } as const)
      : ({ kind: "back", backHref: here } as const);
  return new Response(renderBusyPage(locale, OUTAGE_RETRY_SECONDS, here, page, UNAVAILABLE_TEXT[locale]), {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Retry-After": String(OUTAGE_RETRY_SECONDS),
      "Cache-Control": "no-store",
    },
  });
}
