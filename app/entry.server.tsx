import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { isbot } from "isbot";
// The web-streams build of React's renderer, not the Node one (`renderToPipeableStream`): React 18.3.1's Node
// build encodes text straight into 2 KB views and sends a view whole when a multi-byte character does not fit
// its last bytes, so pages with Chinese text carried NUL bytes (react #31134; no 18.x release fixes it).
// This build encodes each string first and copies bytes, so it cannot pad. See docs/decisions/0026-clean-html.md.
import { renderToReadableStream } from "react-dom/server.browser";
import { NonceContext } from "~/utils/nonce";
import { noteRequestError, outageDocument, requestHitOutage } from "~/utils/db-health.server";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

/** Remix calls this with every loader, action and render error: an outage of the database is noted (issue 13 item 1). */
export function handleError(error: unknown, { request, context }: { request: Request; context?: AppLoadContext }) {
  // As Remix's own default: an internal error response carries the original error.
  const original =
    isRouteErrorResponse(error) && (error as { error?: unknown }).error ? (error as { error?: unknown }).error : error;
  noteRequestError(original, context);
  if (!request.signal.aborted) console.error(original);
}

export default async function handleRequest(
  request: Request,
  status: number,
  headers: Headers,
  context: EntryContext,
  loadContext: AppLoadContext,
) {
  // A loader or action that met the database away: the retry page, 503 with Retry-After, not the error page.
  if (status >= 500 && requestHitOutage(loadContext)) return outageDocument(request);
  const bot = isbot(request.headers.get("user-agent") || "");
  // server.ts: one CSP nonce per request (security-headers.server.ts); tests calling Remix directly have none.
  const nonce = typeof loadContext?.cspNonce === "string" ? loadContext.cspNonce : "";
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ABORT_DELAY);
  let shellRendered = false;
  // Rejects on a shell error (Remix then renders its error page), as onShellError did.
  const body = await renderToReadableStream(
    <NonceContext.Provider value={nonce}>
      <RemixServer context={context} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce || undefined} />
    </NonceContext.Provider>,
    {
      nonce: nonce || undefined,
      signal: controller.signal,
      onError(error: unknown) {
        status = 500;
        if (shellRendered) console.error(error);
      },
    },
  ).catch((error: unknown) => {
    clearTimeout(timer);
    throw error;
  });
  shellRendered = true;
  body.allReady.then(
    () => clearTimeout(timer),
    () => clearTimeout(timer),
  );
  if (bot) await body.allReady;
  headers.set("Content-Type", "text/html; charset=utf-8");
  // X-Frame-Options, Referrer-Policy and the CSP come from helmet in server.ts.
  return new Response(body, { headers, status });
}
