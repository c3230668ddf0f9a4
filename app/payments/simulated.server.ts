import type { Selectable } from "kysely";
import type { SimGatewayTxnTable } from "~db/schema";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { getEnv } from "~/utils/env.server";
import type {
  CreatePaymentInput,
  LedgerRecord,
  PaymentNotice,
  PaymentProvider,
  ProviderOrderState,
  RefundAnswer,
  RefundInput,
} from "./provider";

/**
 * CAN-7: the built-in simulated gateway, for development and demos. It behaves like a third-party
 * cashier: it keeps its own ledger (`sim_gateway_txn`), shows the payer a page (`/pay/sim/<txn>`),
 * and tells the merchant the outcome by a signed, form-encoded POST to the notify URL, retried until
 * acknowledged. Nothing here knows about registrations or entries: applying a notification (and doing
 * so only once, since notifications may repeat) is the portal's job.
 */

/** The signed fields, in the order the signature covers them. */
export const SIM_SIGNED_FIELDS = ["order_id", "txn_id", "status", "amount_fen", "ts"] as const;
export type SimNotificationFields = Record<(typeof SIM_SIGNED_FIELDS)[number], string>;

export type SimOutcome = "success" | "fail" | "timeout" | "delayed";
export const SIM_OUTCOMES: readonly SimOutcome[] = ["success", "fail", "timeout", "delayed"];

const ACK = "success";
const DEFAULT_BACKOFF_MS = 1_000;
/** Retries after the first attempt when the receiver does not acknowledge. */
const MAX_RETRIES = 3;

// A random secret per process when none is configured; kept on globalThis so that dev-server reloads
// of this module do not invalidate notifications signed a moment earlier.
const g = globalThis as typeof globalThis & { __kaowuSimSecret?: string };

function secret(): string {
  const configured = getEnv().PAYMENT_SIM_SECRET;
  if (configured) return configured;
  g.__kaowuSimSecret ??= randomBytes(32).toString("hex");
  return g.__kaowuSimSecret;
}

/** HMAC-SHA256 (hex) over `order_id=…&txn_id=…&status=…&amount_fen=…&ts=…`, in that order. */
export function signSimNotification(fields: SimNotificationFields): string {
  const text = SIM_SIGNED_FIELDS.map((k) => `${k}=${fields[k]}`).join("&");
  return createHmac("sha256", secret()).update(text, "utf8").digest("hex");
}

/** The body the gateway POSTs: the fields plus their signature. */
export function simNotificationBody(fields: SimNotificationFields): URLSearchParams {
  const body = new URLSearchParams();
  for (const k of SIM_SIGNED_FIELDS) body.set(k, fields[k]);
  body.set("sign", signSimNotification(fields));
  return body;
}

// ---- delivery --------------------------------------------------------------------------------

/** One delivery attempt: POST the body, report what came back. Tests replace it with `setSimDelivery`. */
export type SimDeliver = (notifyUrl: string, body: URLSearchParams) => Promise<{ status: number; body: string }>;

const fetchDelivery: SimDeliver = async (notifyUrl, body) => {
  const res = await fetch(notifyUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: body.toString(),
    redirect: "manual",
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.text() };
};

let deliver: SimDeliver = fetchDelivery;

/** Replaces the transport (tests); `undefined` restores the real `fetch`. */
export function setSimDelivery(fn: SimDeliver | undefined) {
  deliver = fn ?? fetchDelivery;
}

export interface SimDeliveryReport {
  attempts: number;
  acknowledged: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Never rejects: a notification that nobody acknowledges is lost, and reconciliation finds the state. */
async function deliverWithRetries(
  notifyUrl: string,
  body: URLSearchParams,
  backoffMs: number,
): Promise<SimDeliveryReport> {
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      const r = await deliver(notifyUrl, body);
      if (r.status >= 200 && r.status < 300 && r.body.trim() === ACK) return { attempts, acknowledged: true };
    } catch {
      // A network error counts as "not acknowledged".
    }
    if (attempts > MAX_RETRIES) break;
    await sleep(backoffMs * 2 ** (attempts - 1));
  }
  console.warn(
    `[sim-gateway] notification for order ${body.get("order_id")} not acknowledged after ${attempts} attempts`,
  );
  return { attempts, acknowledged: false };
}

/** How late a "delayed" notification comes: `SIM_NOTIFY_DELAY_MS`, 15 s by default. */
export function simNotifyDelayMs(): number {
  return getEnv().SIM_NOTIFY_DELAY_MS;
}

// ---- the ledger ------------------------------------------------------------------------------

export interface SimTxnView {
  id: string;
  orderId: string;
  amountFen: number;
  description: string;
  status: "open" | "paid" | "failed";
  returnUrl: string;
  settledAt: Date | null;
}

export async function findSimTxn(txnId: string): Promise<SimTxnView | undefined> {
  const row = await getDb().selectFrom("sim_gateway_txn").selectAll().where("id", "=", txnId).executeTakeFirst();
  return row ? toView(row) : undefined;
}

function toView(row: Selectable<SimGatewayTxnTable>): SimTxnView {
  return {
    id: row.id,
    orderId: row.merchant_order_id,
    amountFen: row.amount_fen,
    description: row.description,
    status: row.status,
    returnUrl: row.return_url,
    settledAt: row.settled_at,
  };
}

/** Where the payer's browser goes back to: the merchant's return URL with `?order=<orderId>`. */
export function simReturnUrl(returnUrl: string, orderId: string): string {
  const u = new URL(returnUrl);
  u.searchParams.set("order", orderId);
  return u.toString();
}

export interface SimSettlement {
  txn: SimTxnView;
  /** Resolves once delivery has ended (acknowledged or given up); null when nothing is delivered. */
  delivered: Promise<SimDeliveryReport> | null;
}

export interface SimSettleOptions {
  /** For "delayed": how long to wait before notifying (default `SIM_NOTIFY_DELAY_MS`, else 15 s). */
  delayMs?: number;
  /** First retry waits this long, then doubling (default 1 s). */
  backoffMs?: number;
}

/**
 * What the payer chose on the gateway page. success/fail settle the txn and notify now; delayed
 * settles it as paid and notifies later (so a reconciliation query sees "paid" first); timeout
 * records nothing (the payer gave up, the order stays open). Only an open txn can be settled.
 */
export async function settleSimulatedTxn(
  txnId: string,
  outcome: SimOutcome,
  opts: SimSettleOptions = {},
): Promise<SimSettlement> {
  if (!SIM_OUTCOMES.includes(outcome)) throw new Error(`unknown outcome ${String(outcome)}`);
  const db = getDb();
  if (outcome === "timeout") {
    const txn = await findSimTxn(txnId);
    if (!txn) throw new AppError("sim.not_found", {}, 404);
    if (txn.status !== "open") throw new AppError("sim.already_settled", {}, 409);
    return { txn, delivered: null };
  }
  const status = outcome === "fail" ? "failed" : "paid";
  // Guarded update: two clicks (or two tabs) cannot both settle the same txn.
  const row = await db
    .updateTable("sim_gateway_txn")
    .set({ status, settled_at: new Date() })
    .where("id", "=", txnId)
    .where("status", "=", "open")
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    const exists = await findSimTxn(txnId);
    throw exists ? new AppError("sim.already_settled", {}, 409) : new AppError("sim.not_found", {}, 404);
  }
  const txn = toView(row);
  const body = simNotificationBody({
    order_id: row.merchant_order_id,
    txn_id: row.id,
    status,
    amount_fen: String(row.amount_fen),
    ts: String(Math.floor(Date.now() / 1000)),
  });
  const backoffMs = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
  if (outcome === "delayed") {
    const delayMs = opts.delayMs ?? simNotifyDelayMs();
    const delivered = new Promise<SimDeliveryReport>((resolve) => {
      const timer = setTimeout(() => void deliverWithRetries(row.notify_url, body, backoffMs).then(resolve), delayMs);
      // A pending late notification must not keep a test run or a shutting-down server alive.
      timer.unref?.();
    });
    return { txn, delivered };
  }
  return { txn, delivered: deliverWithRetries(row.notify_url, body, backoffMs) };
}

// ---- the provider ----------------------------------------------------------------------------

function absoluteHttpUrl(url: string, base?: string): string {
  const u = new URL(url, base);
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error(`not an http(s) URL: ${url}`);
  return u.toString();
}

export class SimulatedGateway implements PaymentProvider {
  readonly name = "simulated";

  async createPayment(input: CreatePaymentInput): Promise<{ redirectUrl: string }> {
    if (!input.orderId) throw new Error("orderId is required");
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
      throw new Error(`bad amount ${input.amountFen}`);
    const returnUrl = absoluteHttpUrl(input.returnUrl);
    // The notify URL is stored absolute: the gateway calls it from "outside", with no page to resolve it against.
    const notifyUrl = absoluteHttpUrl(input.notifyUrl, returnUrl);
    const db = getDb();
    const existing = await db
      .selectFrom("sim_gateway_txn")
      .selectAll()
      .where("merchant_order_id", "=", input.orderId)
      .executeTakeFirst();
    if (existing) {
      // A repeated create for the same open order (a double click) gets the same cashier page back.
      if (existing.status === "open" && existing.amount_fen === input.amountFen)
        return { redirectUrl: `/pay/sim/${existing.id}` };
      throw new Error(`order ${input.orderId} already exists at the gateway`);
    }
    const id = `SIM${randomBytes(10).toString("hex").toUpperCase()}`;
    await db
      .insertInto("sim_gateway_txn")
      .values({
        id,
        merchant_order_id: input.orderId,
        amount_fen: input.amountFen,
        description: input.description.slice(0, 200),
        notify_url: notifyUrl,
        return_url: returnUrl,
      })
      .execute();
    return { redirectUrl: `/pay/sim/${id}` };
  }

  async verifyNotification(body: URLSearchParams): Promise<PaymentNotice | null> {
    const f = {} as SimNotificationFields;
    for (const k of SIM_SIGNED_FIELDS) {
      const v = body.get(k);
      if (!v) return null;
      f[k] = v;
    }
    const sign = body.get("sign") ?? "";
    if (!/^[0-9a-f]{64}$/i.test(sign)) return null;
    const expected = Buffer.from(signSimNotification(f), "hex");
    if (!timingSafeEqual(expected, Buffer.from(sign, "hex"))) return null;
    if (f.status !== "paid" && f.status !== "failed") return null;
    if (!/^\d{1,12}$/.test(f.amount_fen) || !/^\d{1,13}$/.test(f.ts)) return null;
    return { orderId: f.order_id, providerTxnId: f.txn_id, status: f.status, amountFen: Number(f.amount_fen) };
  }

  acknowledgement(): { body: string; contentType: string } {
    return { body: ACK, contentType: "text/plain; charset=utf-8" };
  }

  async queryPayment(orderId: string): Promise<ProviderOrderState> {
    const row = await getDb()
      .selectFrom("sim_gateway_txn")
      .select(["id", "status", "amount_fen"])
      .where("merchant_order_id", "=", orderId)
      .executeTakeFirst();
    if (!row) return { status: "unknown" };
    if (row.status === "open") return { status: "open" };
    return { status: row.status, providerTxnId: row.id, amountFen: row.amount_fen };
  }

  async *ledger(from: Date, to: Date): AsyncIterable<LedgerRecord[]> {
    const db = getDb();
    // Keyset pages, so a ledger of any size streams in bounded memory.
    let after = "";
    for (;;) {
      const rows = await db
        .selectFrom("sim_gateway_txn as t")
        .select([
          "t.id",
          "t.merchant_order_id",
          "t.amount_fen",
          "t.settled_at",
          (eb) =>
            eb
              .selectFrom("sim_gateway_refund as r")
              .select((e) => e.fn.coalesce(e.fn.sum<number>("r.amount_fen"), e.lit(0)).as("n"))
              .whereRef("r.merchant_order_id", "=", "t.merchant_order_id")
              .as("refunded"),
        ])
        .where("t.status", "=", "paid")
        .where("t.settled_at", ">=", from)
        .where("t.settled_at", "<", to)
        .where("t.id", ">", after)
        .orderBy("t.id")
        .limit(20_000)
        .execute();
      if (rows.length === 0) return;
      yield rows.map((r) => ({
        orderId: r.merchant_order_id,
        providerTxnId: r.id,
        amountFen: r.amount_fen,
        refundedFen: Number(r.refunded ?? 0),
        paidAt: r.settled_at!,
      }));
      after = rows[rows.length - 1].id;
    }
  }

  async refund(input: RefundInput): Promise<RefundAnswer> {
    const db = getDb();
    return db.transaction().execute(async (trx) => {
      // The order's row locked: two refunds of one order cannot both pass the balance check.
      const txn = await trx
        .selectFrom("sim_gateway_txn")
        .select(["id", "status", "amount_fen"])
        .where("merchant_order_id", "=", input.orderId)
        .forUpdate()
        .executeTakeFirst();
      const done = await trx
        .selectFrom("sim_gateway_refund")
        .select(["id", "amount_fen"])
        .where("merchant_refund_id", "=", input.refundId)
        .executeTakeFirst();
      if (done) return { status: "refunded" as const, providerRefundId: done.id };
      if (!txn || txn.status !== "paid")
        return { status: "failed" as const, message: "ORDER_NOT_PAID: the order was not paid at the gateway" };
      const refunded = await trx
        .selectFrom("sim_gateway_refund")
        .select((e) => e.fn.coalesce(e.fn.sum<number>("amount_fen"), e.lit(0)).as("n"))
        .where("merchant_order_id", "=", input.orderId)
        .executeTakeFirstOrThrow();
      if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
        return { status: "failed" as const, message: "INVALID_AMOUNT" };
      if (Number(refunded.n) + input.amountFen > txn.amount_fen)
        return {
          status: "failed" as const,
          message: `REFUND_EXCEEDS_PAID: ${Number(refunded.n) + input.amountFen} > ${txn.amount_fen}`,
        };
      const id = `SIMR${randomBytes(8).toString("hex").toUpperCase()}`;
      await trx
        .insertInto("sim_gateway_refund")
        .values({
          id,
          merchant_refund_id: input.refundId,
          merchant_order_id: input.orderId,
          amount_fen: input.amountFen,
        })
        .execute();
      return { status: "refunded" as const, providerRefundId: id };
    });
  }

  async queryRefund(refundId: string): Promise<RefundAnswer | { status: "unknown" }> {
    const row = await getDb()
      .selectFrom("sim_gateway_refund")
      .select("id")
      .where("merchant_refund_id", "=", refundId)
      .executeTakeFirst();
    return row ? { status: "refunded", providerRefundId: row.id } : { status: "unknown" };
  }
}
