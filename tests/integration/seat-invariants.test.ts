import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import * as detailsRoute from "../../app/routes/candidate.details";
import * as photoRoute from "../../app/routes/candidate.photo";
import * as entriesRoute from "../../app/routes/candidate.entries";
import * as payRoute from "../../app/routes/candidate.pay";
import * as notifyRoute from "../../app/routes/payments.notify.$provider";
import { getDb } from "../../db/client";
import { findSeatDrift } from "../../db/queries/invariants";
import { settleSimulatedTxn, setSimDelivery } from "../../app/payments/simulated.server";
import { releaseExpiredHolds } from "../../app/services/release-expired-holds.server";
import { act, newCandidate, orgId, residentId, run } from "../factories";
import { guardSeats } from "../factories/seats";
import { compliantPhoto } from "../fixtures/photos";

// Every test here also ends with the seat check of tests/setup/per-file-db.ts.
guardSeats();

let site: number, sittingId: number;
const HOURS = 60 * 60_000;

beforeAll(async () => {
  site = await orgId("990101");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  setSimDelivery(async (_url, body) => {
    const r = await notifyRoute.action({
      request: new Request("http://localhost:3000/payments/notify/simulated", { method: "POST", body }),
      params: { provider: "simulated" },
      context: {},
    });
    return { status: r.status, body: await r.text() };
  });
});

let seq = 500;
async function readyCandidate() {
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

async function entries(cookie: string, subjects: string[]) {
  const body = new URLSearchParams(subjects.map((s) => ["subject", s]));
  const request = new Request("http://localhost:3000/candidate/entries", {
    method: "POST",
    body,
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
  const r = await run(() => entriesRoute.action({ request, params: {}, context: {} }));
  expect(r.location).toBe("/candidate/entries?saved=1");
}

async function startPay(cookie: string) {
  const start = await act(payRoute, "/candidate/pay", cookie, { intent: "pay" });
  expect(start.status).toBe(302);
  return start.location!.split("/").pop()!;
}

async function settle(txn: string, outcome: "success" | "fail") {
  await (
    await settleSimulatedTxn(txn, outcome, { delayMs: 1, backoffMs: 1 })
  ).delivered;
}

async function regId(cookie: string) {
  const sid = cookie.split("=")[1];
  const s = await getDb().selectFrom("session").select("account_id").where("id", "=", sid).executeTakeFirstOrThrow();
  return (
    await getDb()
      .selectFrom("registration")
      .select("id")
      .where("account_id", "=", s.account_id)
      .executeTakeFirstOrThrow()
  ).id;
}

async function paymentOf(txn: string) {
  const t = await getDb()
    .selectFrom("sim_gateway_txn")
    .select("merchant_order_id")
    .where("id", "=", txn)
    .executeTakeFirstOrThrow();
  return getDb()
    .selectFrom("payment")
    .select(["status", "note"])
    .where("id", "=", t.merchant_order_id)
    .executeTakeFirstOrThrow();
}

describe("counters always equal rows (CAN-4, CAN-7, CAN-8)", () => {
  it("CAN-4/CAN-7: a late payment refunded because its subject filled up keeps no seat, six times over", async () => {
    for (let i = 0; i < 6; i++) {
      const c = await readyCandidate();
      await entries(c.cookie, ["65"]);
      const txn = await startPay(c.cookie);
      // The registration stays (its own hold is long); its entry's hold and the payment run out.
      await getDb()
        .updateTable("registration")
        .set({ hold_until: new Date(Date.now() + 48 * HOURS) })
        .where("id", "=", await regId(c.cookie))
        .execute();
      await releaseExpiredHolds(new Date(Date.now() + 5 * HOURS));
      expect(
        await getDb()
          .selectFrom("entry")
          .select("id")
          .where("registration_id", "=", await regId(c.cookie))
          .execute(),
      ).toHaveLength(0);
      // Meanwhile subject 65 filled up (the site total has room): the late confirmation cannot restore it.
      await getDb()
        .updateTable("site_subject")
        .set({ capacity: sql`greatest(taken, 1)` })
        .where("sitting_id", "=", sittingId)
        .where("org_id", "=", site)
        .where("subject_code", "=", "65")
        .execute();
      const full = await getDb()
        .selectFrom("site_subject")
        .select(["taken", "capacity"])
        .where("org_id", "=", site)
        .where("sitting_id", "=", sittingId)
        .where("subject_code", "=", "65")
        .executeTakeFirstOrThrow();
      if (full.taken < full.capacity!)
        await getDb()
          .updateTable("site_subject")
          .set({ taken: full.capacity! })
          .where("org_id", "=", site)
          .where("sitting_id", "=", sittingId)
          .where("subject_code", "=", "65")
          .execute();
      await settle(txn, "success");
      expect(await paymentOf(txn)).toEqual({ status: "refund_due", note: "entries_gone" });
      if (full.taken < full.capacity!)
        await getDb()
          .updateTable("site_subject")
          .set({ taken: full.taken })
          .where("org_id", "=", site)
          .where("sitting_id", "=", sittingId)
          .where("subject_code", "=", "65")
          .execute();
      await getDb()
        .updateTable("site_subject")
        .set({ capacity: 160 })
        .where("sitting_id", "=", sittingId)
        .where("org_id", "=", site)
        .where("subject_code", "=", "65")
        .execute();
    }
    expect(await findSeatDrift(getDb())).toEqual([]);
  });

  it("CAN-7/CAN-8: an old payment completed after a newer one re-creates nothing, so no unpaid entry is left that never expires", async () => {
    const c = await readyCandidate();
    await entries(c.cookie, ["14", "66"]);
    const old = await startPay(c.cookie);
    // The candidate gives up at the gateway, drops 66 and pays for 14 with a new payment.
    await act(payRoute, "/candidate/pay", c.cookie, { intent: "abandon" });
    await entries(c.cookie, ["14"]);
    await settle(await startPay(c.cookie), "success");
    // The old payment is completed after all.
    await settle(old, "success");
    expect(await paymentOf(old)).toEqual({ status: "refund_due", note: "entries_gone" });
    const reg = await regId(c.cookie);
    expect(
      await getDb()
        .selectFrom("entry")
        .select(["subject_code", "paid"])
        .where("registration_id", "=", reg)
        .orderBy("subject_code")
        .execute(),
    ).toEqual([{ subject_code: "14", paid: true }]);
    expect(await findSeatDrift(getDb())).toEqual([]);
    await releaseExpiredHolds(new Date(Date.now() + 72 * HOURS));
    expect(
      await getDb()
        .selectFrom("entry")
        .select("id")
        .where("registration_id", "=", reg)
        .where("paid", "=", false)
        .execute(),
    ).toHaveLength(0);
  });

  it("CAN-7: a late payment whose seats are still there restores its entry, paid, and the counters follow", async () => {
    const c = await readyCandidate();
    await entries(c.cookie, ["15"]);
    const txn = await startPay(c.cookie);
    await getDb()
      .updateTable("registration")
      .set({ hold_until: new Date(Date.now() + 48 * HOURS) })
      .where("id", "=", await regId(c.cookie))
      .execute();
    await releaseExpiredHolds(new Date(Date.now() + 5 * HOURS));
    await settle(txn, "success");
    expect((await paymentOf(txn)).status).toBe("paid");
    expect(
      await getDb()
        .selectFrom("entry")
        .select(["subject_code", "paid"])
        .where("registration_id", "=", await regId(c.cookie))
        .execute(),
    ).toEqual([{ subject_code: "15", paid: true }]);
    expect(await findSeatDrift(getDb())).toEqual([]);
  });
});
