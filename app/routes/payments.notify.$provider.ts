import type { ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client";
import { getPaymentProvider } from "~/payments/index.server";
import { applyPaymentNotice } from "~/services/pay-registration.server";

/**
 * CAN-7: the provider's asynchronous notification. Verified by the provider module (signature),
 * applied once (replays change nothing), acknowledged so the provider stops retrying. Exempt from
 * the rush limiter and from the cross-origin check (it is a server-to-server post without Origin).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  let provider;
  try {
    provider = getPaymentProvider(params.provider ?? "");
  } catch {
    return new Response("unknown provider", { status: 404 });
  }
  const body = new URLSearchParams(await request.text());
  const notice = await provider.verifyNotification(body);
  if (!notice) {
    await getDb().insertInto("payment_notification").values({
      provider: provider.name, payment_id: body.get("order_id"), provider_txn_id: body.get("txn_id"), status: body.get("status") ?? "", amount_fen: null, outcome: "bad_signature",
    }).execute();
    return new Response("invalid notification", { status: 400 });
  }
  const outcome = await applyPaymentNotice(provider.name, notice);
  // Refused ones (unknown order, wrong amount) are on record; acknowledging stops pointless retries.
  const ack = provider.acknowledgement();
  return new Response(ack.body, { status: 200, headers: { "Content-Type": ack.contentType, "X-Kaowu-Outcome": outcome } });
}

export function loader() {
  return new Response("method not allowed", { status: 405 });
}
