import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
// The web-streams build of React's renderer, not the Node one (`renderToPipeableStream`): React 18.3.1's Node
// build encodes text straight into 2 KB views and sends a view whole when a multi-byte character does not fit
// its last bytes, so pages with Chinese text carried NUL bytes (react #31134; no 18.x release fixes it).
// This build encodes each string first and copies bytes, so it cannot pad. See docs/decisions/0026-clean-html.md.
import { renderToReadableStream } from "react-dom/server.browser";
import { NonceContext } from "~/utils/nonce";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

export default async function handleRequest(request: Request, status: number, headers: Headers, context: EntryContext, loadContext: AppLoadContext) {
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
