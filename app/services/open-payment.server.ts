import { randomBytes } from "node:crypto";
import { compactStamp } from "~/domain/windows";
import { getEnv } from "~/utils/env.server";
import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { getPaymentProvider } from "~/payments/index.server";
import { publicUrl } from "~/utils/env.server";

// CAN-7, GRP-6: a new payment order at the provider, for a candidate or a group payment batch.

export function newPaymentId(now: Date) {
  // The order number the payer and the bank see starts with the local time of the order (WIN-7).
  const stamp = compactStamp(now, getEnv().timeZone);
  return `P${stamp}${randomBytes(4).toString("hex").toUpperCase()}`;
}

/**
 * Registers a payment just committed with the provider and keeps where to send the payer; if the
 * provider cannot be reached the payment is closed as failed, so nothing stays locked by it. The
 * notify and return URLs come from PUBLIC_URL, never from the request's Host header: a client must
 * not choose where the provider sends signed notifications.
 */
export async function openAtProvider(paymentId: string, amountFen: number, description: string, returnPath: string) {
  const db = getDb();
  const provider = getPaymentProvider();
  try {
    const { redirectUrl } = await provider.createPayment({
      orderId: paymentId,
      amountFen,
      description: description.slice(0, 120),
      notifyUrl: publicUrl(`/payments/notify/${provider.name}`),
      returnUrl: publicUrl(returnPath),
    });
    await db.updateTable("payment").set({ redirect_url: redirectUrl }).where("id", "=", paymentId).execute();
    return { paymentId, redirectUrl };
  } catch (e) {
    await db
      .updateTable("payment")
      .set({ status: "failed", note: "provider_unavailable", finished_at: new Date() })
      .where("id", "=", paymentId)
      .where("status", "=", "pending")
      .execute();
    if (e instanceof AppError) throw e;
    console.error("payment provider", e);
    throw new AppError("pay.provider_down", {}, 502);
  }
}
