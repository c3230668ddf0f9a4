import type { ServerBuild } from "@remix-run/node";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";

/**
 * Decision 0063: a resource route's action called by express without Remix's request handler.
 *
 * For the hottest post only (the entries form's script save, X-7): Remix's handler matches every
 * route, runs its data strategy and turns the Node request body into a web stream and back, about
 * a fifth of the web process's CPU for one saved entry. Here the one route is called as Remix calls a
 * resource route, with the same arguments, and its answer sent as Remix sends it: a returned or thrown
 * Response as it is (a thrown one marked `X-Remix-Catch` as Remix does), anything else through the
 * build's `handleError` as Remix's "Unexpected Server Error". Every check (session, role, scope,
 * windows) stays in the action: nothing here decides who may post.
 *
 * Only a POST to exactly `path` with no query string is taken (a `?_data=` or `?index` request, and
 * every other method, goes on to Remix). Only a route without a page (no default export, no error
 * boundary) with an action qualifies, so that its answers cannot differ from Remix's own.
 */
export function directAction(opts: {
  build: ServerBuild;
  routeId: string;
  path: string;
  /** Bodies above this many bytes are refused with 413 before the action runs. */
  maxBodyBytes: number;
  getLoadContext?: (req: ExpressRequest, res: ExpressResponse) => Record<string, unknown>;
}): RequestHandler {
  const route = opts.build.routes[opts.routeId];
  const mod = route?.module;
  if (!mod?.action || mod.default || mod.ErrorBoundary)
    throw new Error(`directAction: ${opts.routeId} is not a resource route with an action`);
  const action = mod.action;
  const handleError = opts.build.entry.module.handleError;

  return (req, res, next) => {
    if (!isDirectPost(req, opts.path)) return next();
    const declared = Number(req.headers["content-length"]);
    if (declared > opts.maxBodyBytes) return void tooLarge(res);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > opts.maxBodyBytes) {
        req.removeAllListeners("data");
        req.resume();
        if (!res.headersSent) tooLarge(res);
        return;
      }
      chunks.push(c);
    });
    req.on("error", next);
    req.on("end", () => {
      if (size > opts.maxBodyBytes) return;
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const request = requestOf(req, body);
      const context = opts.getLoadContext?.(req, res) ?? {};
      const params = {};
      answer(request, context, params).then(
        (response) => send(res, response).catch(next),
        (e: unknown) => next(e),
      );
    });
  };

  async function answer(request: Request, context: Record<string, unknown>, params: Record<string, string>) {
    try {
      const result: unknown = await action({ request, context, params });
      if (result instanceof Response) return result;
      throw new Error(`directAction: ${opts.routeId}'s action must answer with a Response`);
    } catch (e) {
      if (e instanceof Response) {
        e.headers.set("X-Remix-Catch", "yes");
        return e;
      }
      handleError?.(e, { request, context, params });
      return new Response("Unexpected Server Error", { status: 500, headers: { "Content-Type": "text/plain" } });
    }
  }
}

/** The requests a direct action at `path` takes: a POST to exactly that path, with no query string. */
export function isDirectPost(req: ExpressRequest, path: string): boolean {
  return req.method === "POST" && req.originalUrl === path;
}

/**
 * The web Request the action gets. A form sent urlencoded (what the entries form's script sends) is
 * parsed here and the Request carries no body stream: its `formData()` answers that form. A web
 * stream, its transfer marks and undici's body reader cost a sixth of the web process's allocations
 * for one saved entry (decision 0066). Its `text()` answers the text; `body` is null. Any other body
 * is the Request's own, as Remix gives it.
 */
function requestOf(req: ExpressRequest, body: Buffer): Request {
  const headers = requestHeaders(req);
  if (!isUrlencoded(headers.get("content-type"))) {
    // A Buffer is a Uint8Array; TypeScript's DOM types only want one over a plain ArrayBuffer.
    return new Request(requestUrl(req), { method: "POST", headers, body: body as Uint8Array as BodyInit });
  }
  const request = new Request(requestUrl(req), { method: "POST", headers });
  const text = body.toString("utf8");
  let read = false;
  // A body is read once (the Fetch standard): a second read is refused, as undici refuses it.
  const readOnce = () => {
    if (read) throw new TypeError("Body is unusable: Body has already been read");
    read = true;
    return text;
  };
  request.formData = async () => {
    const form = new FormData();
    for (const [name, value] of new URLSearchParams(readOnce())) form.append(name, value);
    return form;
  };
  // As undici: text() drops a leading byte order mark (the Fetch standard's UTF-8 decode); the form
  // parser, which reads bytes, keeps it in the first name.
  request.text = async () => readOnce().replace(/^\uFEFF/, "");
  return request;
}

/** `application/x-www-form-urlencoded`, with or without parameters (the Fetch standard's test). */
function isUrlencoded(contentType: string | null): boolean {
  return contentType?.split(";", 1)[0].trim().toLowerCase() === "application/x-www-form-urlencoded";
}

function tooLarge(res: ExpressResponse) {
  res.status(413).type("text/plain; charset=utf-8").send("请求过大 / Request too large");
}

/** As @remix-run/express builds it: the host from the request (trust proxy respected), the original path. */
function requestUrl(req: ExpressRequest): string {
  const port = (h: string | undefined) => Number.parseInt(h?.split(":")[1] ?? "", 10);
  const p = Number.isSafeInteger(port(req.get("X-Forwarded-Host")))
    ? port(req.get("X-Forwarded-Host"))
    : port(req.get("host"));
  return `${req.protocol}://${req.hostname}${Number.isSafeInteger(p) ? `:${p}` : ""}${req.originalUrl}`;
}

// `createRemixHeaders` and `sendRemixResponse` of @remix-run/express do this work (the latter streams
// the body; these answers are a redirect or a line of JSON), but the package exports neither.
function requestHeaders(req: ExpressRequest): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value) headers.set(key, value);
  }
  return headers;
}

async function send(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.body) res.end(Buffer.from(await response.arrayBuffer()));
  else res.end();
}
