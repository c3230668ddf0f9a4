import { randomToken } from "./random-token.server";
import type { RequestHandler, Response } from "express";
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet, { type HelmetOptions } from "helmet";
import { allowedHosts, isAllowedHost } from "./origin";

/**
 * The HTTP-level guards server.ts puts in front of Remix (issue 12, items 7 and 11). Kept here, apart
 * from server.ts, so that a test can mount them on a bare express app.
 */

/** Paths whose pages and data carry personal data: never stored by a browser or a proxy (shared test-site computers). */
const PERSONAL = /^\/(admin|candidate|files|jobs|change-password)(?=$|[/.])/;

export function isPersonalPath(pathname: string): boolean {
  return PERSONAL.test(pathname);
}

/**
 * Requests for another Host than the portal's own are refused before the app runs (nothing is built
 * from a Host a client chose). /healthz answers any Host, for load balancers and container probes.
 * A page opened under another accepted name (127.0.0.1 for localhost) is sent to the public address:
 * cookies, payment return URLs and the CSP's form-action all name that one.
 */
export function hostCheck(opts: { publicUrl: string | undefined; port: number }): RequestHandler {
  const allowed = allowedHosts(opts.publicUrl, opts.port);
  const origin = opts.publicUrl ? new URL(opts.publicUrl).origin : `http://localhost:${opts.port}`;
  const canonical = new URL(origin).host;
  return (req, res, next) => {
    if (req.path === "/healthz") {
      next();
      return;
    }
    if (!isAllowedHost(req.headers.host, allowed)) {
      res
        .status(421)
        .type("text/plain; charset=utf-8")
        .send("未知的主机名 / Unknown host: set PUBLIC_URL to the portal's public address");
      return;
    }
    if ((req.method === "GET" || req.method === "HEAD") && req.headers.host!.trim().toLowerCase() !== canonical) {
      res.redirect(302, `${origin}${req.originalUrl}`);
      return;
    }
    next();
  };
}

/** A fresh nonce per request for the Content-Security-Policy; Remix gets it through the load context. */
export const cspNonce: RequestHandler = (_req, res, next) => {
  res.locals.cspNonce = randomToken(16, "base64");
  next();
};

export function nonceOf(res: Response): string {
  return String(res.locals.cspNonce ?? "");
}

/**
 * Security headers from helmet. The CSP allows scripts from this origin and inline scripts carrying this
 * request's nonce (Remix's hydration scripts); styles may be inline (React style attributes, Vite's dev
 * CSS). HSTS and upgrade-insecure-requests only in production with an https PUBLIC_URL,
 * so trying the portal over plain http on a LAN address keeps working.
 */
export function securityHeaders(opts: { production: boolean; https: boolean; dev: boolean }): RequestHandler {
  const strictTransport = opts.production && opts.https;
  const csp = cspTemplate({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", (_req, res) => `'nonce-${nonceOf(res as Response)}'`],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      // data: for small inline images, blob: for the photo picker's preview of a chosen file.
      imgSrc: ["'self'", "data:", "blob:"],
      fontSrc: ["'self'", "data:"],
      // Vite's hot-reload socket in development.
      connectSrc: opts.dev ? ["'self'", "ws:", "wss:"] : ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      // Forms post here only. A real payment provider whose cashier is reached by a form post (or a
      // redirect after one) must have its origin added here.
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      ...(strictTransport ? { upgradeInsecureRequests: [] } : {}),
    },
  });
  const others = helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: strictTransport ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
    // same-origin, not helmet's no-referrer: with no-referrer a browser sends "Origin: null" on form posts,
    // which the cross-origin check (origin.ts) refuses.
    referrerPolicy: { policy: "same-origin" },
    xFrameOptions: { action: "deny" },
    crossOriginEmbedderPolicy: false,
  });
  return (req, res, next) => {
    res.setHeader("Content-Security-Policy", csp(nonceOf(res)));
    others(req, res, next);
  };
}

/**
 * Helmet's CSP header for these directives, built (and validated) once by helmet itself around a
 * placeholder nonce; each request then only puts its own nonce in. Helmet builds and validates every
 * directive on every request when one of them is a function (decision 0066).
 */
function cspTemplate(options: Exclude<NonNullable<HelmetOptions["contentSecurityPolicy"]>, boolean>) {
  const placeholder = `kaowu-nonce-${randomToken(16, "base64url")}`;
  let header: string | undefined;
  const res = {
    locals: { cspNonce: placeholder },
    setHeader: (name: string, value: string) => {
      if (name === "Content-Security-Policy") header = value;
    },
  };
  helmet.contentSecurityPolicy(options)({} as IncomingMessage, res as unknown as ServerResponse, (e?: unknown) => {
    if (e) throw e instanceof Error ? e : new Error(String(e));
  });
  const parts = header?.split(placeholder);
  if (parts?.length !== 2) throw new Error("securityHeaders: the CSP must name the request's nonce exactly once");
  const [before, after] = parts;
  return (nonce: string) => before + nonce + after;
}

/** `Cache-Control: no-store` on every response under a personal path, whatever the route set. */
export const noStoreForPersonalPaths: RequestHandler = (req, res, next) => {
  if (isPersonalPath(req.path)) {
    const writeHead = res.writeHead;
    // Set last, just before the status line goes out: routes (photos, files) may have set their own.
    res.writeHead = function (this: Response, ...args: Parameters<typeof writeHead>) {
      this.setHeader("Cache-Control", "no-store");
      return writeHead.apply(this, args);
    } as typeof writeHead;
  }
  next();
};
