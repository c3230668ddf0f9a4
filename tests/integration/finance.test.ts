import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import * as refundsRoute from "../../app/routes/admin.finance.refunds";
import * as paymentsRoute from "../../app/routes/admin.finance.payments";
import * as paymentsExport from "../../app/routes/admin.finance.payments.export";
import * as candidateRoute from "../../app/routes/admin.candidates.$id._index";
import * as statusRoute from "../../app/routes/candidate._index";
import * as homeRoute from "../../app/routes/admin._index";
import { getDb } from "../../db/client";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, auditCount, load, makeRequest, orgId, sessionCookie } from "../factories";
import { guardSeats } from "../factories/seats";
import {
  abandonPay,
  chooseEntries,
  deliverNotificationsInProcess,
  paymentOfTxn,
  readyCandidate,
  settle,
  startPay,
} from "../factories/online-candidate";
import ExcelJS from "exceljs";

// Issue 20 items 2, 3 and 5 (FIN-2, refunds, the finance home page) on the real pages.
guardSeats();

let site: number, otherSite: number, sittingId: number;
let finance: string, siteAdmin: string, otherAdmin: string, province: string, centre: string, city2: string;

beforeAll(async () => {
  site = await orgId("990101");
  otherSite = await orgId("990201");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  deliverNotificationsInProcess();
  finance = await sessionCookie("finance990101@example.com");
  siteAdmin = await sessionCookie("site990101@example.com");
  otherAdmin = await sessionCookie("site990201@example.com");
  province = await sessionCookie("province99@example.com");
  centre = await sessionCookie("centre@example.com");
  city2 = await sessionCookie("city9902@example.com");
});

/**
 * A payment that goes through after its registration moved on: the candidate gives up at the gateway,
 * drops 66 and pays for 14 with a new payment; then the old one goes through after all.
 */
async function latePayment() {
  const c = await readyCandidate(site);
  await chooseEntries(c.cookie, ["14", "66"]);
  const old = await startPay(c.cookie);
  await abandonPay(c.cookie);
  await chooseEntries(c.cookie, ["14"]);
  await settle(await startPay(c.cookie), "success");
  await settle(old, "success");
  return { c, payment: await paymentOfTxn(old) };
}

const refundsOf = (paymentId: string) =>
  getDb().selectFrom("refund").selectAll().where("payment_id", "=", paymentId).execute();

describe("refunds (issue 20 item 3)", () => {
  it("FIN-2: a payment completed after the registration moved on is owed back; finance refunds it once through the gateway; the candidate sees it", async () => {
    const { c, payment } = await latePayment();
    expect(payment.status).toBe("refund_due");
    const [due] = await refundsOf(payment.id);
    expect(due).toMatchObject({ reason: "late_payment", state: "due", amount_fen: payment.amount_fen, org_id: site });

    // Finance staff see it, amounts and order numbers only (ORG-11: no candidate's name).
    const page = await load(refundsRoute, "/admin/finance/refunds", finance);
    expect(page.status).toBe(200);
    const row = page.data.rows.find((r: { id: number }) => r.id === due.id);
    expect(row).toMatchObject({ payment_id: payment.id, state: "due", name: null });
    expect(JSON.stringify(page.data)).not.toContain("王小明");
    expect(page.data.editable).toBe(true);

    const before = await auditCount("refund.refunded");
    const done = await act(refundsRoute, "/admin/finance/refunds", finance, { intent: "refund", id: due.id });
    expect(done.data).toMatchObject({ ok: true, state: "refunded", refusal: null });
    const [after] = await refundsOf(payment.id);
    expect(after.state).toBe("refunded");
    expect(after.provider_refund_id).toMatch(/^SIMR/);
    expect(await auditCount("refund.refunded")).toBe(before + 1);
    const atGateway = () =>
      getDb().selectFrom("sim_gateway_refund").selectAll().where("merchant_order_id", "=", payment.id).execute();
    expect(await atGateway()).toHaveLength(1);

    // Idempotent: asked again, nothing more is paid back.
    const again = await act(refundsRoute, "/admin/finance/refunds", finance, { intent: "refund", id: due.id });
    expect(again.data).toMatchObject({ ok: true, state: "refunded", refusal: "finance.refund_already" });
    expect(await atGateway()).toHaveLength(1);

    // The candidate's status page says so.
    const status = await load(statusRoute, "/candidate", c.cookie);
    expect(status.data.refunds).toEqual([
      expect.objectContaining({ reason: "late_payment", state: "refunded", amount_fen: payment.amount_fen }),
    ]);
  });

  it("ORG-2/ORG-11: another site's administrator, a superior and a candidate cannot refund; a forged id changes nothing", async () => {
    const { c, payment } = await latePayment();
    const [due] = await refundsOf(payment.id);

    const forged = await act(refundsRoute, "/admin/finance/refunds", otherAdmin, { intent: "refund", id: due.id });
    expect(forged.status).toBe(404);
    expect((await act(refundsRoute, "/admin/finance/refunds", province, { intent: "refund", id: due.id })).status).toBe(
      403,
    );
    const cand = await act(refundsRoute, "/admin/finance/refunds", c.cookie, { intent: "refund", id: due.id });
    expect([302, 401, 403]).toContain(cand.status);
    expect((await refundsOf(due.payment_id))[0].state).toBe("due");
    // The other site's page does not list it; the province reads the site's (and cannot press the button).
    const other = await load(refundsRoute, "/admin/finance/refunds", otherAdmin);
    expect(other.data.rows.map((r: { id: number }) => r.id)).not.toContain(due.id);
    const prov = await load(refundsRoute, `/admin/finance/refunds?site=${site}`, province);
    expect(prov.data.rows.map((r: { id: number }) => r.id)).toContain(due.id);
    expect(prov.data.editable).toBe(false);
    // A bad id is refused as a form error.
    expect((await act(refundsRoute, "/admin/finance/refunds", finance, { intent: "refund", id: "x" })).status).toBe(
      400,
    );

    // The site administrator may refund too (ORG-11: finance's own work is also the site's).
    const ok = await act(refundsRoute, "/admin/finance/refunds", siteAdmin, { intent: "refund", id: due.id });
    expect(ok.data).toMatchObject({ state: "refunded" });
  });

  it("FIN-2: a refund the gateway refuses is failed with its message and can be asked again", async () => {
    const { payment } = await latePayment();
    const [due] = await refundsOf(payment.id);
    // Someone refunded part of the order at the gateway's own console: the whole amount no longer fits.
    await getDb()
      .insertInto("sim_gateway_refund")
      .values({ id: "SIMRX1", merchant_refund_id: "console-1", merchant_order_id: payment.id, amount_fen: 1 })
      .execute();
    const r = await act(refundsRoute, "/admin/finance/refunds", finance, { intent: "refund", id: due.id });
    expect(r.data).toMatchObject({ state: "failed" });
    const [failed] = await refundsOf(payment.id);
    expect(failed.state).toBe("failed");
    expect(failed.provider_message).toMatch(/REFUND_EXCEEDS_PAID/);
    await getDb().deleteFrom("sim_gateway_refund").where("id", "=", "SIMRX1").execute();
    const retry = await act(refundsRoute, "/admin/finance/refunds", finance, { intent: "refund", id: due.id });
    expect(retry.data).toMatchObject({ state: "refunded" });
  });

  it("MGT-2: cancelling a paid registration owes back what was paid", async () => {
    const c = await readyCandidate(site);
    await chooseEntries(c.cookie, ["14"]);
    const txn = await startPay(c.cookie);
    await settle(txn, "success");
    const payment = await paymentOfTxn(txn);
    expect(payment.status).toBe("paid");
    const r = await act(
      candidateRoute,
      `/admin/candidates/${payment.registration_id}`,
      siteAdmin,
      {
        intent: "cancel",
        reason: "考生申请取消",
      },
      { id: String(payment.registration_id) },
    );
    expect(r.location).toBe("/admin/cancellations");
    const [owed] = await refundsOf(payment.id);
    expect(owed).toMatchObject({ reason: "cancelled", amount_fen: payment.amount_fen, state: "due" });
    // The candidate sees it among their refunds.
    const status = await load(statusRoute, "/candidate", c.cookie);
    expect(status.data.refunds).toEqual([expect.objectContaining({ reason: "cancelled", state: "due" })]);
  });
});

async function orderAt(o: {
  org: number;
  ours?: { status: "paid" | "pending"; fen: number };
  gateway?: { fen: number };
  orderId?: string;
}) {
  const id = o.orderId ?? `T${randomUUID().replace(/-/g, "").slice(0, 20)}`;
  const db = getDb();
  if (o.ours)
    await db
      .insertInto("payment")
      .values({
        id,
        sitting_id: sittingId,
        org_id: o.org,
        provider: "simulated",
        amount_fen: o.ours.fen,
        per_person_fen: 0,
        entry_ids: [],
        subject_codes: [],
        status: o.ours.status,
        expires_at: new Date(Date.now() + 3_600_000),
        finished_at: o.ours.status === "paid" ? new Date(Date.now() - 60_000) : null,
        created_at: new Date(Date.now() - 120_000),
      })
      .execute();
  if (o.gateway)
    await db
      .insertInto("sim_gateway_txn")
      .values({
        id: `SIM${randomUUID().replace(/-/g, "").slice(0, 20).toUpperCase()}`,
        merchant_order_id: id,
        amount_fen: o.gateway.fen,
        status: "paid",
        notify_url: "http://localhost/n",
        return_url: "http://localhost/r",
        settled_at: new Date(Date.now() - 60_000),
      })
      .execute();
  return id;
}

describe("reconciliation (FIN-2)", () => {
  it("FIN-2: every kind of difference is listed, each viewer within its scope; the export holds them", async () => {
    const matched = await orderAt({ org: site, ours: { status: "paid", fen: 5000 }, gateway: { fen: 5000 } });
    const lost = await orderAt({ org: site, ours: { status: "pending", fen: 5000 }, gateway: { fen: 5000 } });
    const ours = await orderAt({ org: site, ours: { status: "paid", fen: 6000 } });
    const amount = await orderAt({ org: site, ours: { status: "paid", fen: 5000 }, gateway: { fen: 4000 } });
    const elsewhere = await orderAt({ org: otherSite, ours: { status: "paid", fen: 7000 } });
    const unknown = await orderAt({ org: site, gateway: { fen: 3000 } });

    const before = await auditCount("payment.reconcile");
    const r = await act(paymentsRoute, "/admin/finance/payments", finance, { intent: "refresh" });
    expect(r.data).toMatchObject({ ok: true });
    await waitForInlineIdle();
    expect(await auditCount("payment.reconcile")).toBe(before + 1);

    const kinds = (rows: Array<{ order_id: string; kind: string }>) =>
      Object.fromEntries(rows.map((x) => [x.order_id, x.kind]));
    const mine = await load(paymentsRoute, "/admin/finance/payments", finance);
    expect(mine.status).toBe(200);
    // ORG-11: amounts and order numbers, no candidate (no ID number, name or phone).
    expect(JSON.stringify(mine.data)).not.toMatch(/\d{17}[\dX]|王小明|138\d{8}/);
    const k = kinds(mine.data.diffs.rows);
    expect(k[lost]).toBe("gateway_only");
    expect(k[ours]).toBe("ours_only");
    expect(k[amount]).toBe("amount_mismatch");
    expect(k[matched]).toBeUndefined();
    // Another site's difference and an order nobody here knows are not the site's.
    expect(k[elsewhere]).toBeUndefined();
    expect(k[unknown]).toBeUndefined();
    expect(mine.data.diffs.rows.find((x: { order_id: string }) => x.order_id === lost)).toMatchObject({
      our_status: "pending",
      our_fen: 5000,
      gateway_fen: 5000,
    });

    // The other city sees its own site's difference only; the centre sees every one and the unknown order.
    const c2 = kinds((await load(paymentsRoute, "/admin/finance/payments", city2)).data.diffs.rows);
    expect(c2[elsewhere]).toBe("ours_only");
    expect(c2[lost]).toBeUndefined();
    const all = kinds((await load(paymentsRoute, "/admin/finance/payments", centre)).data.diffs.rows);
    expect(all[unknown]).toBe("gateway_only");
    expect(all[elsewhere]).toBe("ours_only");
    expect(all[amount]).toBe("amount_mismatch");

    // The site's .xlsx: payments, batches and the differences sheet.
    const res = (await paymentsExport.loader({
      request: makeRequest("/admin/finance/payments/export", { cookie: finance }),
      params: {},
      context: {},
    })) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as never);
    const sheet = wb.worksheets[wb.worksheets.length - 1];
    const orders = sheet.getColumn(2).values.filter((v) => typeof v === "string");
    expect(orders).toEqual(expect.arrayContaining([lost, ours, amount]));
    expect(orders).not.toContain(elsewhere);
  });

  it("FIN-2 (ORG-11): a candidate is refused; a past fetch's differences are replaced by the next", async () => {
    const c = await readyCandidate(site);
    const refused = await load(paymentsRoute, "/admin/finance/payments", c.cookie);
    expect([302, 401, 403]).toContain(refused.status);
    // A difference resolved (the lost notification reconciled) disappears at the next fetch.
    const lost = await orderAt({ org: site, ours: { status: "pending", fen: 5000 }, gateway: { fen: 5000 } });
    await act(paymentsRoute, "/admin/finance/payments", finance, { intent: "refresh" });
    await waitForInlineIdle();
    let rows = (await load(paymentsRoute, "/admin/finance/payments", finance)).data.diffs.rows;
    expect(rows.map((x: { order_id: string }) => x.order_id)).toContain(lost);
    await getDb()
      .updateTable("payment")
      .set({ status: "paid", finished_at: new Date(Date.now() - 1000) })
      .where("id", "=", lost)
      .execute();
    await act(paymentsRoute, "/admin/finance/payments", finance, { intent: "refresh" });
    await waitForInlineIdle();
    rows = (await load(paymentsRoute, "/admin/finance/payments", finance)).data.diffs.rows;
    expect(rows.map((x: { order_id: string }) => x.order_id)).not.toContain(lost);
  });
});

describe("the finance home page (issue 20 item 5)", () => {
  it("FIN-1/FIN-2: finance staff open to today's payments, differences and refunds due of their site", async () => {
    const home = await load(homeRoute, "/admin", finance);
    expect(home.status).toBe(200);
    expect(home.data.finance).toMatchObject({ site: true });
    expect(home.data.finance.today.count).toBeGreaterThan(0);
    expect(home.data.finance.refunds.count).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(home.data.finance)).not.toMatch(/\d{17}[\dX]/);
    // Administrators keep their own home page.
    expect((await load(homeRoute, "/admin", siteAdmin)).data.finance).toBeNull();
  });
});
