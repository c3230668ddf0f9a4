import { expect } from "vitest";
import * as detailsRoute from "../../app/routes/candidate.details";
import * as photoRoute from "../../app/routes/candidate.photo";
import * as entriesRoute from "../../app/routes/candidate.entries";
import * as payRoute from "../../app/routes/candidate.pay";
import * as notifyRoute from "../../app/routes/payments.notify.$provider";
import { getDb } from "../../db/client";
import { settleSimulatedTxn, setSimDelivery } from "../../app/payments/simulated.server";
import { act, newCandidate, residentId, run } from "./index";
import { compliantPhoto } from "../fixtures/photos";

// An online candidate taken through the real pages: details, photo, entries, payment at the simulated gateway.

/** The gateway's notifications go straight to the notify route (no HTTP server in integration tests). */
export function deliverNotificationsInProcess() {
  setSimDelivery(async (_url, body) => {
    const r = await notifyRoute.action({
      request: new Request("http://localhost:3000/payments/notify/simulated", { method: "POST", body }),
      params: { provider: "simulated" },
      context: {},
    });
    return { status: r.status, body: await r.text() };
  });
}

let seq = 500;
/** A candidate registered at `site` with details and a photo, ready to choose subjects. */
export async function readyCandidate(site: number, first = 500) {
  seq = Math.max(seq, first);
  const c = await newCandidate();
  const fields = {
    name: "王小明",
    gender: "1",
    birth_date: "2004-05-06",
    id_type: "1",
    id_number: residentId("2004-05-06", ++seq),
    ethnicity: "01",
    education: "20",
    occupation: "",
    department: "计算机学院",
    major: "软件工程",
    class_name: "计科2401",
    student_no: "2024001",
    phone: "13800001111",
    address: "北京市海淀区",
    postcode: "100080",
    email: "",
  };
  expect((await act(detailsRoute, "/candidate/details", c.cookie, { site, ...fields })).location).toBe(
    "/candidate/photo?new=1",
  );
  const form = new FormData();
  form.set("photo", new Blob([new Uint8Array(await compliantPhoto())], { type: "image/jpeg" }), "me.jpg");
  const request = new Request("http://localhost:3000/candidate/photo", {
    method: "POST",
    body: form,
    headers: { Cookie: c.cookie, "x-kaowu-client-ip": "127.0.0.1" },
  });
  expect((await run(() => photoRoute.action({ request, params: {}, context: {} }))).location).toBe(
    "/candidate/photo?saved=1",
  );
  return c;
}

export async function chooseEntries(cookie: string, subjects: string[]) {
  const body = new URLSearchParams(subjects.map((s) => ["subject", s]));
  const request = new Request("http://localhost:3000/candidate/entries", {
    method: "POST",
    body,
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
  const r = await run(() => entriesRoute.action({ request, params: {}, context: {} }));
  expect(r.location).toBe("/candidate/entries?saved=1");
}

/** Starts paying; the simulated gateway's txn id. */
export async function startPay(cookie: string) {
  const start = await act(payRoute, "/candidate/pay", cookie, { intent: "pay" });
  expect(start.status).toBe(302);
  return start.location!.split("/").pop()!;
}

export async function abandonPay(cookie: string) {
  await act(payRoute, "/candidate/pay", cookie, { intent: "abandon" });
}

export async function settle(txn: string, outcome: "success" | "fail") {
  await (
    await settleSimulatedTxn(txn, outcome, { delayMs: 1, backoffMs: 1 })
  ).delivered;
}

/** Our payment behind a gateway txn. */
export async function paymentOfTxn(txn: string) {
  const t = await getDb()
    .selectFrom("sim_gateway_txn")
    .select("merchant_order_id")
    .where("id", "=", txn)
    .executeTakeFirstOrThrow();
  return getDb().selectFrom("payment").selectAll().where("id", "=", t.merchant_order_id).executeTakeFirstOrThrow();
}
