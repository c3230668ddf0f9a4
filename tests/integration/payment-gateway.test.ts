import { resetEnvCache } from "../../app/utils/env.server";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as payRoute from "../../app/routes/pay.sim.$txn";
import { getPaymentProvider, setPaymentProvider } from "../../app/payments/index.server";
import type { PaymentProvider } from "../../app/payments/provider";
import {
  SimulatedGateway,
  setSimDelivery,
  settleSimulatedTxn,
  signSimNotification,
  simNotificationBody,
  type SimNotificationFields,
} from "../../app/payments/simulated.server";
import { getDb } from "../../db/client";
import { act, load } from "../factories";
import { guardSeats } from "../factories/seats";

// CAN-4/CAN-8: seat counters equal rows after every test (tests/setup/per-file-db.ts).
guardSeats();

const gateway = new SimulatedGateway();
const NOTIFY = "http://localhost:3000/payments/notify/simulated";
const RETURN = "http://localhost:3000/candidate/pay/return";

interface Delivered {
  url: string;
  body: URLSearchParams;
}
let delivered: Delivered[];
/** What the fake merchant answers to each delivery, in turn; the last one repeats. */
let answers: Array<string | Error>;

beforeEach(() => {
  delivered = [];
  answers = ["success"];
  setSimDelivery(async (url, body) => {
    delivered.push({ url, body: new URLSearchParams(body) });
    const a = answers.length > 1 ? answers.shift()! : answers[0];
    if (a instanceof Error) throw a;
    return { status: 200, body: a };
  });
});

afterEach(() => {
  setSimDelivery(undefined);
  setPaymentProvider(undefined);
});

async function newPayment(amountFen = 12_345) {
  const orderId = `P${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const { redirectUrl } = await gateway.createPayment({
    orderId,
    amountFen,
    description: "2026 下半年 · 报名费",
    notifyUrl: NOTIFY,
    returnUrl: RETURN,
  });
  const txnId = redirectUrl.split("/").pop()!;
  return { orderId, txnId, redirectUrl, amountFen };
}

const txnRow = (id: string) =>
  getDb().selectFrom("sim_gateway_txn").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

function validFields(over: Partial<SimNotificationFields> = {}): SimNotificationFields {
  return { order_id: "P1", txn_id: "SIMABC", status: "paid", amount_fen: "5000", ts: "1790000000", ...over };
}

describe("the simulated payment gateway", () => {
  it("CAN-7: createPayment stores an open txn in the gateway's ledger and returns its cashier page", async () => {
    const { orderId, txnId, redirectUrl } = await newPayment();
    expect(redirectUrl).toMatch(/^\/pay\/sim\/SIM[0-9A-F]{20}$/);
    const row = await txnRow(txnId);
    expect(row).toMatchObject({
      merchant_order_id: orderId,
      amount_fen: 12_345,
      status: "open",
      notify_url: NOTIFY,
      return_url: RETURN,
      settled_at: null,
    });
    expect(await gateway.queryPayment(orderId)).toEqual({ status: "open" });
    expect(await gateway.queryPayment("no-such-order")).toEqual({ status: "unknown" });
    // A repeated create for the same open order gets the same page; a different amount is refused.
    expect(
      (
        await gateway.createPayment({
          orderId,
          amountFen: 12_345,
          description: "",
          notifyUrl: NOTIFY,
          returnUrl: RETURN,
        })
      ).redirectUrl,
    ).toBe(redirectUrl);
    await expect(
      gateway.createPayment({ orderId, amountFen: 1, description: "", notifyUrl: NOTIFY, returnUrl: RETURN }),
    ).rejects.toThrow();
    await expect(
      gateway.createPayment({
        orderId: "bad-amount",
        amountFen: 0,
        description: "",
        notifyUrl: NOTIFY,
        returnUrl: RETURN,
      }),
    ).rejects.toThrow();
  });

  it("CAN-7: the stored notify URL is absolute even when given relative to the return URL", async () => {
    const { redirectUrl } = await gateway.createPayment({
      orderId: "REL-1",
      amountFen: 100,
      description: "",
      notifyUrl: "/payments/notify/simulated",
      returnUrl: RETURN,
    });
    expect((await txnRow(redirectUrl.split("/").pop()!)).notify_url).toBe(NOTIFY);
  });

  it("CAN-7: success marks the txn paid and delivers exactly one signed notification with the right amount", async () => {
    const { orderId, txnId } = await newPayment(26_000);
    const s = await settleSimulatedTxn(txnId, "success");
    expect(await s.delivered).toEqual({ attempts: 1, acknowledged: true });
    expect(delivered).toHaveLength(1);
    expect(delivered[0].url).toBe(NOTIFY);
    expect(await gateway.verifyNotification(delivered[0].body)).toEqual({
      orderId,
      providerTxnId: txnId,
      status: "paid",
      amountFen: 26_000,
    });
    expect(await gateway.queryPayment(orderId)).toEqual({ status: "paid", providerTxnId: txnId, amountFen: 26_000 });
    expect((await txnRow(txnId)).settled_at).toBeInstanceOf(Date);
    expect(gateway.acknowledgement().body).toBe("success");
  });

  it("CAN-7: fail marks the txn failed and delivers a failed notification", async () => {
    const { orderId, txnId } = await newPayment(5_000);
    await (
      await settleSimulatedTxn(txnId, "fail")
    ).delivered;
    expect(delivered).toHaveLength(1);
    expect(await gateway.verifyNotification(delivered[0].body)).toEqual({
      orderId,
      providerTxnId: txnId,
      status: "failed",
      amountFen: 5_000,
    });
    expect(await gateway.queryPayment(orderId)).toEqual({ status: "failed", providerTxnId: txnId, amountFen: 5_000 });
  });

  it("CAN-7: timeout records and delivers nothing; the order stays open", async () => {
    const { orderId, txnId } = await newPayment();
    const s = await settleSimulatedTxn(txnId, "timeout");
    expect(s.delivered).toBeNull();
    expect(delivered).toHaveLength(0);
    expect(await gateway.queryPayment(orderId)).toEqual({ status: "open" });
    expect((await txnRow(txnId)).status).toBe("open");
  });

  it("CAN-7: delayed: a reconciliation query finds the order paid before the notification arrives", async () => {
    const { orderId, txnId } = await newPayment(8_800);
    const s = await settleSimulatedTxn(txnId, "delayed", { delayMs: 150 });
    expect(await gateway.queryPayment(orderId)).toEqual({ status: "paid", providerTxnId: txnId, amountFen: 8_800 });
    expect(delivered).toHaveLength(0);
    expect(await s.delivered).toEqual({ attempts: 1, acknowledged: true });
    expect(delivered).toHaveLength(1);
    expect((await gateway.verifyNotification(delivered[0].body))?.status).toBe("paid");
  });

  it("CAN-7: delayed uses SIM_NOTIFY_DELAY_MS when no delay is given", async () => {
    const { txnId } = await newPayment();
    process.env.SIM_NOTIFY_DELAY_MS = "30";
    resetEnvCache();
    try {
      const s = await settleSimulatedTxn(txnId, "delayed");
      expect(delivered).toHaveLength(0);
      await s.delivered;
      expect(delivered).toHaveLength(1);
    } finally {
      delete process.env.SIM_NOTIFY_DELAY_MS;
      resetEnvCache();
    }
  });

  it("CAN-7: a changed amount, a wrong signature, missing fields or an unknown status are not authentic", async () => {
    const good = simNotificationBody(validFields());
    expect(await gateway.verifyNotification(good)).toEqual({
      orderId: "P1",
      providerTxnId: "SIMABC",
      status: "paid",
      amountFen: 5000,
    });

    const changedAmount = new URLSearchParams(good);
    changedAmount.set("amount_fen", "1");
    expect(await gateway.verifyNotification(changedAmount)).toBeNull();

    const changedOrder = new URLSearchParams(good);
    changedOrder.set("order_id", "P2");
    expect(await gateway.verifyNotification(changedOrder)).toBeNull();

    const wrongSign = new URLSearchParams(good);
    wrongSign.set("sign", "0".repeat(64));
    expect(await gateway.verifyNotification(wrongSign)).toBeNull();
    wrongSign.set("sign", "not-hex");
    expect(await gateway.verifyNotification(wrongSign)).toBeNull();

    for (const field of ["order_id", "txn_id", "status", "amount_fen", "ts", "sign"]) {
      const missing = new URLSearchParams(good);
      missing.delete(field);
      expect(await gateway.verifyNotification(missing), field).toBeNull();
    }
    expect(await gateway.verifyNotification(new URLSearchParams())).toBeNull();

    // Signed correctly but not the shape the gateway sends.
    expect(await gateway.verifyNotification(simNotificationBody(validFields({ status: "refunded" })))).toBeNull();
    expect(await gateway.verifyNotification(simNotificationBody(validFields({ amount_fen: "-5" })))).toBeNull();
    expect(await gateway.verifyNotification(simNotificationBody(validFields({ amount_fen: "12.5" })))).toBeNull();
  });

  it("CAN-7: a notification signed with another secret is not authentic (PAYMENT_SIM_SECRET)", async () => {
    const before = process.env.PAYMENT_SIM_SECRET;
    try {
      process.env.PAYMENT_SIM_SECRET = "secret-a";
      resetEnvCache();
      const fields = validFields();
      const body = simNotificationBody(fields);
      expect(body.get("sign")).toBe(signSimNotification(fields));
      expect(await gateway.verifyNotification(body)).not.toBeNull();
      process.env.PAYMENT_SIM_SECRET = "secret-b";
      resetEnvCache();
      expect(await gateway.verifyNotification(body)).toBeNull();
    } finally {
      if (before === undefined) delete process.env.PAYMENT_SIM_SECRET;
      else process.env.PAYMENT_SIM_SECRET = before;
      resetEnvCache();
    }
  });

  it("CAN-7: a settled txn cannot be settled again, and an unknown one not at all", async () => {
    const { txnId } = await newPayment();
    await (
      await settleSimulatedTxn(txnId, "success")
    ).delivered;
    for (const outcome of ["success", "fail", "timeout", "delayed"] as const) {
      await expect(settleSimulatedTxn(txnId, outcome)).rejects.toMatchObject({
        key: "sim.already_settled",
        status: 409,
      });
    }
    await expect(settleSimulatedTxn("SIMNOPE", "success")).rejects.toMatchObject({ key: "sim.not_found", status: 404 });
    expect(delivered).toHaveLength(1);
    expect((await txnRow(txnId)).status).toBe("paid");
  });

  it("CAN-7: delivery is retried with backoff until the receiver acknowledges", async () => {
    const { orderId, txnId } = await newPayment();
    answers = ["fail", new Error("ECONNREFUSED"), "success"];
    const s = await settleSimulatedTxn(txnId, "success", { backoffMs: 5 });
    expect(await s.delivered).toEqual({ attempts: 3, acknowledged: true });
    expect(delivered).toHaveLength(3);
    // Every attempt carries the same signed notification: the receiver must apply it once (idempotency is its job).
    expect(new Set(delivered.map((d) => d.body.toString())).size).toBe(1);
    expect((await gateway.verifyNotification(delivered[2].body))?.orderId).toBe(orderId);
  });

  it("CAN-7: delivery gives up after three retries; the order is still found paid by a query", async () => {
    const { orderId, txnId } = await newPayment();
    answers = ["<html>500</html>"];
    const s = await settleSimulatedTxn(txnId, "success", { backoffMs: 1 });
    expect(await s.delivered).toEqual({ attempts: 4, acknowledged: false });
    expect(delivered).toHaveLength(4);
    expect((await gateway.queryPayment(orderId)).status).toBe("paid");
  });
});

describe("the provider registry", () => {
  it("CAN-7: the simulated gateway is the default provider; unknown names are refused; tests can stand in", async () => {
    expect(getPaymentProvider().name).toBe("simulated");
    expect(getPaymentProvider("simulated")).toBe(getPaymentProvider());
    expect(() => getPaymentProvider("no-such-bank")).toThrow(/no-such-bank/);
    const fake: PaymentProvider = {
      name: "fake",
      createPayment: async () => ({ redirectUrl: "/x" }),
      verifyNotification: async () => null,
      acknowledgement: () => ({ body: "OK", contentType: "text/plain" }),
      queryPayment: async () => ({ status: "unknown" }),
      ledger: async function* () {},
      refund: async () => ({ status: "failed", message: "no" }),
      queryRefund: async () => ({ status: "unknown" }),
    };
    setPaymentProvider(fake);
    expect(getPaymentProvider()).toBe(fake);
    expect(getPaymentProvider("fake")).toBe(fake);
    expect(getPaymentProvider("simulated").name).toBe("simulated");
    setPaymentProvider(undefined);
    expect(getPaymentProvider().name).toBe("simulated");
  });
});

describe("the gateway's cashier page /pay/sim/$txn", () => {
  const path = (txnId: string) => `/pay/sim/${txnId}`;

  it("CAN-7: shows an open txn without a login, and an unknown txn is a 404 with a message", async () => {
    const { orderId, txnId } = await newPayment(12_345);
    const page = await load(payRoute, path(txnId), undefined, { txn: txnId });
    expect(page.status).toBe(200);
    expect(page.data.txn).toMatchObject({
      id: txnId,
      orderId,
      amountFen: 12_345,
      status: "open",
      description: "2026 下半年 · 报名费",
    });
    expect(page.data.backUrl).toBe(`${RETURN}?order=${orderId}`);
    const missing = await load(payRoute, path("SIMNOPE"), undefined, { txn: "SIMNOPE" });
    expect(missing.status).toBe(404);
    expect(missing.data.message).toBe("交易不存在或已失效。");
  });

  it("CAN-7: paying settles the txn, notifies the merchant and sends the browser back with ?order=", async () => {
    const { orderId, txnId } = await newPayment(9_900);
    const r = await act(payRoute, path(txnId), undefined, { outcome: "success" }, { txn: txnId });
    expect(r.status).toBe(302);
    expect(r.location).toBe(`${RETURN}?order=${orderId}`);
    expect(delivered).toHaveLength(1);
    expect(await gateway.verifyNotification(delivered[0].body)).toMatchObject({
      orderId,
      status: "paid",
      amountFen: 9_900,
    });
    // Settled: the page shows the state (no buttons); a second submission is refused.
    const page = await load(payRoute, path(txnId), undefined, { txn: txnId });
    expect(page.data.txn.status).toBe("paid");
    const again = await act(payRoute, path(txnId), undefined, { outcome: "fail" }, { txn: txnId });
    expect(again.status).toBe(409);
    expect(again.data.error).toBe("该交易已经支付或失败，不能再次处理。");
    expect(delivered).toHaveLength(1);
  });

  it("CAN-7: fail, give up and delayed from the page", async () => {
    const failed = await newPayment();
    expect(
      (await act(payRoute, path(failed.txnId), undefined, { outcome: "fail" }, { txn: failed.txnId })).location,
    ).toBe(`${RETURN}?order=${failed.orderId}`);
    expect((await gateway.queryPayment(failed.orderId)).status).toBe("failed");

    const gaveUp = await newPayment();
    expect(
      (await act(payRoute, path(gaveUp.txnId), undefined, { outcome: "timeout" }, { txn: gaveUp.txnId })).location,
    ).toBe(`${RETURN}?order=${gaveUp.orderId}`);
    expect(await gateway.queryPayment(gaveUp.orderId)).toEqual({ status: "open" });
    expect((await load(payRoute, path(gaveUp.txnId), undefined, { txn: gaveUp.txnId })).data.txn.status).toBe("open");

    const late = await newPayment();
    process.env.SIM_NOTIFY_DELAY_MS = "400";
    resetEnvCache();
    try {
      const r = await act(payRoute, path(late.txnId), undefined, { outcome: "delayed" }, { txn: late.txnId });
      expect(r.location).toBe(`${RETURN}?order=${late.orderId}`);
    } finally {
      delete process.env.SIM_NOTIFY_DELAY_MS;
      resetEnvCache();
    }
    expect((await gateway.queryPayment(late.orderId)).status).toBe("paid");
    // Only the failed payment has been notified so far; the late one is still waiting.
    expect(delivered.map((d) => d.body.get("order_id"))).toEqual([failed.orderId]);
    await vi.waitFor(
      () => expect(delivered.map((d) => d.body.get("order_id"))).toEqual([failed.orderId, late.orderId]),
      { timeout: 5_000 },
    );
  });

  it("CAN-7: an unknown outcome or an unknown txn is refused by the action", async () => {
    const { txnId } = await newPayment();
    const bad = await act(payRoute, path(txnId), undefined, { outcome: "free" }, { txn: txnId });
    expect(bad.status).toBe(400);
    expect(bad.data.error).toBe("请选择一个支付结果。");
    expect((await txnRow(txnId)).status).toBe("open");
    const missing = await act(payRoute, path("SIMNOPE"), undefined, { outcome: "success" }, { txn: "SIMNOPE" });
    expect(missing.status).toBe(404);
  });
});
