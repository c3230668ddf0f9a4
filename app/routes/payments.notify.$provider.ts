import type { ActionFunctionArgs } from "@remix-run/node";
import { getPaymentProvider } from "~/payments/index.server";
import { applyPaymentNotice } from "~/services/apply-payment-notice.server";

/**
 * CAN-7: the provider's asynchronous notification. Verified by the provider module (signature),
 * applied once (replays change nothing), acknowledged so the provider stops retrying. Exempt from
 * the rush limiter and from the cross-origin check (it is a server-to-server post without Origin).
 * Only authentic notifications are recorded (`payment_notification`): anyone can post here, so a
 * forged or malformed body writes nothing, and the console says so at most once a minute.
 */
const MAX_BODY_BYTES = 8 * 1024;
const refused = { count: 0, since: 0 };

function noteRefused(provider: string) {
  refused.count++;
  const now = Date.now();
  if (now - refused.since >= 60_000) {
    console.warn(
      `[payments] ${refused.count} unverifiable notification(s) to ${provider} refused since the last report`,
    );
    refused.count = 0;
    refused.since = now;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  let provider;
  try {
    provider = getPaymentProvider(params.provider ?? "");
  } catch {
    return new Response("unknown provider", { status: 404 });
  }
  const text = await request.text();
  const notice = text.length <= MAX_BODY_BYTES ? await provider.verifyNotification(new URLSearchParams(text)) : null;
  if (!notice) {
    noteRefused(provider.name);
    return new Response("invalid notification", { status: 400 });
  }
  const outcome = await applyPaymentNotice(provider.name, notice);
  // Refused ones (unknown order, wrong amount) are on record; acknowledging stops pointless retries.
  const ack = provider.acknowledgement();
  return new Response(ack.body, {
    status: 200,
    headers: { "Content-Type": ack.contentType, "X-Kaowu-Outcome": outcome },
  });
}

export function loader() {
  return new Response("method not allowed", { status: 405 });
}
