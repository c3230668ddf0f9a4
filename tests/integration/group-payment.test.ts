import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as groupPayRoute from "../../app/routes/admin.group.payment";
import * as entriesRoute from "../../app/routes/candidate.entries";
import * as payRoute from "../../app/routes/candidate.pay";
import * as notifyRoute from "../../app/routes/payments.notify.$provider";
import { settleSimulatedTxn, setSimDelivery, simNotificationBody } from "../../app/payments/simulated.server";
import { releaseExpiredHolds } from "../../app/services/release-expired-holds.server";
import { getDb } from "../../db/client";
import { act, auditCount, load, newCandidate, orgId, residentId, run, sessionCookie } from "../factories";
import { guardSeats, takeSeatsForEntries } from "../factories/seats";

// CAN-4/CAN-8: seat counters equal rows after every test (tests/setup/per-file-db.ts).
guardSeats();

const PAGE = "/admin/group/payment";
let site1: number, site2: number, site3: number, sittingId: number;
let admin1: string, admin2: string, admin3: string, finance1: string;
const FEE = { person: 1000, "14": 11000, "15": 11000 } as const;

const post = (body: URLSearchParams) =>
  notifyRoute.action({
    request: new Request("http://localhost:3000/payments/notify/simulated", { method: "POST", body }),
    params: { provider: "simulated" },
    context: {},
  });

async function setSite(id: number, values: { group_payment?: boolean }) {
  await getDb()
    .updateTable("site_setting")
    .set(values)
    .where("org_id", "=", id)
    .where("sitting_id", "=", sittingId)
    .execute();
}

beforeAll(async () => {
  [site1, site2, site3] = await Promise.all(["990101", "990102", "990201"].map(orgId));
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  [admin1, admin2, admin3, finance1] = await Promise.all(
    ["site990101@example.com", "site990102@example.com", "site990201@example.com", "finance990101@example.com"].map(
      sessionCookie,
    ),
  );
  // Notifications go straight to the route module, as the gateway would post them.
  setSimDelivery(async (_url, body) => {
    const r = await post(body);
    return { status: r.status, body: await r.text() };
  });
  await setSite(site1, { group_payment: true });
  const fees = await getDb()
    .selectFrom("site_fee")
    .select(["subject_code", "fee_fen"])
    .where("org_id", "=", site1)
    .where("sitting_id", "=", sittingId)
    .where("subject_code", "in", ["14", "15"])
    .execute();
  expect(Object.fromEntries(fees.map((f) => [f.subject_code, f.fee_fen]))).toEqual({
    "14": FEE["14"],
    "15": FEE["15"],
  });
});

afterAll(() => setSimDelivery(undefined));

// No test leaves an open payment batch behind for the next: each starts from a site without one.
beforeEach(async () => {
  const open = await getDb().selectFrom("payment_batch").select("id").where("status", "=", "open").execute();
  for (const b of open) {
    await getDb().updateTable("entry").set({ payment_batch_id: null }).where("payment_batch_id", "=", b.id).execute();
    await getDb()
      .updateTable("payment_batch")
      .set({ status: "deleted", delete_reason: "test cleanup" })
      .where("id", "=", b.id)
      .execute();
  }
});

let seq = 0;
interface RegOpts {
  siteId?: number;
  channel?: "online" | "group";
  photo?: boolean;
  review?: "none" | "pending" | "passed" | "failed";
  personFeePaid?: boolean;
  className?: string;
  subjects?: string[];
  accountId?: string | null;
  hold?: Date | null;
}

/** A registration with its entries, made directly in the database, with its seats counted. */
async function makeReg(o: RegOpts = {}) {
  const db = getDb();
  const siteId = o.siteId ?? site1;
  const n = ++seq;
  const idNumber = residentId("2003-04-05", 300 + n);
  // CAN-8: an unpaid online registration always has a hold (the seat check after each test says so).
  const hold = o.hold !== undefined ? o.hold : o.channel === "online" ? new Date(Date.now() + 2 * 3600_000) : null;
  let photoId: number | null = null;
  if (o.photo ?? true) {
    const fileId = randomUUID();
    await db
      .insertInto("stored_file")
      .values({
        id: fileId,
        kind: "photo",
        name: `${idNumber}.jpg`,
        path: `photos/${fileId}.jpg`,
        size: 1000,
        content_type: "image/jpeg",
        org_id: siteId,
        sitting_id: sittingId,
      })
      .execute();
    photoId = (
      await db
        .insertInto("photo")
        .values({
          sitting_id: sittingId,
          org_id: siteId,
          id_number: idNumber,
          file_id: fileId,
          width: 360,
          height: 480,
          bytes: 1000,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  }
  const reg = await db
    .insertInto("registration")
    .values({
      sitting_id: sittingId,
      org_id: siteId,
      account_id: o.accountId ?? null,
      channel: o.channel ?? "group",
      id_type: "1",
      id_number: idNumber,
      name: `考生${n}`,
      gender: "1",
      birth_date: "2003-04-05",
      ethnicity: "01",
      education: "20",
      class_name: o.className ?? "",
      photo_id: photoId,
      review_status: o.review ?? "none",
      person_fee_paid: o.personFeePaid ?? false,
      hold_until: hold,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const subjects = o.subjects ?? ["14"];
  const entries =
    subjects.length === 0
      ? []
      : await db
          .insertInto("entry")
          .values(
            subjects.map((code) => ({
              registration_id: reg.id,
              sitting_id: sittingId,
              org_id: siteId,
              subject_code: code,
              hold_until: hold,
            })),
          )
          .returning(["id", "subject_code"])
          .execute();
  await takeSeatsForEntries(sittingId, siteId, subjects);
  return { reg, entries };
}

/** An online candidate with a session and a registration at 990101. */
async function onlineCandidate(o: RegOpts = {}) {
  const c = await newCandidate();
  const made = await makeReg({ ...o, channel: "online", accountId: c.id });
  return { ...c, ...made };
}

function uniqueClass() {
  return `班${++seq}`;
}

async function lock(cookie: string, filter: Record<string, string> = {}) {
  return act(groupPayRoute, PAGE, cookie, { intent: "lock", channel: "", subject: "", className: "", ...filter });
}

async function paymentBatchOf(entryId: number) {
  return (
    await getDb().selectFrom("entry").select("payment_batch_id").where("id", "=", entryId).executeTakeFirstOrThrow()
  ).payment_batch_id;
}

async function paymentBatchRow(id: number) {
  return getDb().selectFrom("payment_batch").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function lockClass(className: string) {
  const r = await lock(admin1, { className });
  expect(r.status, JSON.stringify(r.data)).toBe(200);
  expect(r.data.message).toBe("grouppay.locked");
  return Number(r.data.params.id);
}

async function payPaymentBatch(id: number) {
  const r = await act(groupPayRoute, PAGE, admin1, { intent: "pay", paymentBatchId: id });
  expect(r.status, JSON.stringify(r.data)).toBe(200);
  expect(r.data.payUrl).toMatch(/^\/pay\/sim\/SIM/);
  return { txn: (r.data.payUrl as string).split("/").pop()!, payUrl: r.data.payUrl as string };
}

/** Paid at the gateway, its notification lost: only reconciliation can find out. */
async function paidAtGatewayOnly(txn: string) {
  await getDb()
    .updateTable("sim_gateway_txn")
    .set({ status: "paid", settled_at: new Date() })
    .where("id", "=", txn)
    .execute();
}

async function counters(code: string) {
  const s = await getDb()
    .selectFrom("site_subject")
    .select("taken")
    .where("org_id", "=", site1)
    .where("sitting_id", "=", sittingId)
    .where("subject_code", "=", code)
    .executeTakeFirstOrThrow();
  const t = await getDb()
    .selectFrom("site_setting")
    .select("total_taken")
    .where("org_id", "=", site1)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirstOrThrow();
  return { subject: s.taken, total: t.total_taken };
}

describe("locking a payment batch (GRP-6)", () => {
  it("GRP-6: a payment batch takes every payable entry of the site matching the filter and records candidates, entries and fees", async () => {
    const cls = uniqueClass();
    const a = await makeReg({ className: cls, subjects: ["14", "15"] });
    const b = await makeReg({ className: cls, channel: "online", personFeePaid: true, subjects: ["15"] });
    const noPhoto = await makeReg({ className: cls, photo: false });
    const other = await makeReg({ className: cls, siteId: site3, review: "passed" });
    const elsewhere = await makeReg({ className: uniqueClass() });

    const page = await load(groupPayRoute, `${PAGE}?className=${encodeURIComponent(cls)}`, admin1);
    expect(page.status).toBe(200);
    expect(page.data.enabled).toBe(true);
    expect(page.data.payable.summary).toMatchObject({
      candidate_count: 2,
      entry_count: 3,
      per_person_count: 1,
      amount_fen: FEE.person + 3 * FEE["14"],
    });
    expect(page.data.payable.gaps).toEqual({ photo_missing: 1 });

    const before = await auditCount("group_payment.lock");
    const id = await lockClass(cls);
    expect(await paymentBatchRow(id)).toMatchObject({
      status: "open",
      org_id: site1,
      candidate_count: 2,
      entry_count: 3,
      per_person_count: 1,
      per_person_fen: FEE.person,
      subject_fen: FEE["14"] + 2 * FEE["15"],
      amount_fen: FEE.person + FEE["14"] + 2 * FEE["15"],
      subject_codes: ["14", "15"],
    });
    for (const e of [...a.entries, ...b.entries]) expect(await paymentBatchOf(e.id)).toBe(id);
    for (const e of [...noPhoto.entries, ...other.entries, ...elsewhere.entries])
      expect(await paymentBatchOf(e.id)).toBeNull();
    // The fee each entry will be paid at is the one the amount counted.
    const fees = await getDb().selectFrom("entry").select("fee_fen").where("payment_batch_id", "=", id).execute();
    expect(fees.map((f) => f.fee_fen).sort()).toEqual([FEE["14"], FEE["15"], FEE["15"]]);
    expect(await auditCount("group_payment.lock")).toBe(before + 1);

    // Listed with its figures; the payable count is now empty for that class.
    const after = await load(groupPayRoute, `${PAGE}?className=${encodeURIComponent(cls)}`, admin1);
    expect(after.data.paymentBatches.find((x: { id: number }) => x.id === id)).toMatchObject({
      status: "open",
      candidates: 2,
      entries: 3,
      perPersonCount: 1,
      subjects: "14,15",
    });
    expect(after.data.payable.summary.entry_count).toBe(0);
    expect(after.data.openExists).toBe(true);
  });

  it("GRP-6: review, photo and a pending individual payment decide what is payable; the filter narrows by channel and subject", async () => {
    await getDb()
      .updateTable("site_setting")
      .set({ review_required: true })
      .where("org_id", "=", site1)
      .where("sitting_id", "=", sittingId)
      .execute();
    try {
      const cls = uniqueClass();
      const passed = await makeReg({ className: cls, review: "passed", subjects: ["14", "15"] });
      await makeReg({ className: cls, review: "pending" });
      await makeReg({ className: cls, review: "none" });
      const online = await makeReg({ className: cls, channel: "online", review: "passed", subjects: ["14"] });
      // A candidate at the gateway right now is left out whole (its per-person fee is in that payment).
      const paying = await makeReg({ className: cls, channel: "online", review: "passed", subjects: ["14", "15"] });
      await getDb()
        .insertInto("payment")
        .values({
          id: `PTEST${seq}`,
          sitting_id: sittingId,
          org_id: site1,
          registration_id: paying.reg.id,
          provider: "simulated",
          amount_fen: FEE.person + FEE["14"],
          per_person_fen: FEE.person,
          entry_ids: [paying.entries[0].id],
          subject_codes: ["14"],
          expires_at: new Date(Date.now() + 600_000),
        })
        .execute();

      const all = await load(groupPayRoute, `${PAGE}?className=${encodeURIComponent(cls)}`, admin1);
      expect(all.data.payable.summary).toMatchObject({ candidate_count: 2, entry_count: 3 });
      expect(all.data.payable.gaps).toEqual({ review_pending: 1, review_needed: 1, paying: 2 });
      const groupOnly = await load(groupPayRoute, `${PAGE}?className=${encodeURIComponent(cls)}&channel=group`, admin1);
      expect(groupOnly.data.payable.summary).toMatchObject({ candidate_count: 1, entry_count: 2 });

      const id = await lockClass(cls); // every channel
      await getDb().updateTable("payment_batch").set({ status: "deleted" }).where("id", "=", id).execute();
      await getDb().updateTable("entry").set({ payment_batch_id: null }).where("payment_batch_id", "=", id).execute();

      const r = await lock(admin1, { className: cls, subject: "15" });
      const only15 = Number(r.data.params.id);
      expect(await paymentBatchRow(only15)).toMatchObject({
        candidate_count: 1,
        entry_count: 1,
        subject_codes: ["15"],
      });
      expect(await paymentBatchOf(passed.entries.find((e) => e.subject_code === "15")!.id)).toBe(only15);
      expect(await paymentBatchOf(online.entries[0].id)).toBeNull();
    } finally {
      await getDb()
        .updateTable("site_setting")
        .set({ review_required: false })
        .where("org_id", "=", site1)
        .where("sitting_id", "=", sittingId)
        .execute();
    }
  });

  it("GRP-6: one open payment batch per site at a time, even when two locks race", async () => {
    const cls = uniqueClass();
    await makeReg({ className: cls });
    await makeReg({ className: uniqueClass() });
    const [x, y] = await Promise.all([lock(admin1, { className: cls }), lock(admin1)]);
    const ok = [x, y].filter((r) => r.status === 200);
    const refused = [x, y].filter((r) => r.status !== 200);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].status).toBe(409);
    expect(refused[0].data.error).toContain("只能锁定一个集体缴费批次");
    const open = await getDb()
      .selectFrom("payment_batch")
      .select("id")
      .where("org_id", "=", site1)
      .where("status", "=", "open")
      .execute();
    expect(open).toHaveLength(1);
    // Still one at a time afterwards.
    expect((await lock(admin1)).status).toBe(409);
  });

  it("GRP-6: an entry is in only one payment batch: a deleted payment batch's entries may be taken again, a paid one's never", async () => {
    const cls = uniqueClass();
    const a = await makeReg({ className: cls, subjects: ["14", "15"] });
    const first = await lockClass(cls);
    const del = await act(groupPayRoute, PAGE, admin1, { intent: "delete", paymentBatchId: first, reason: "重新锁定" });
    expect(del.data.message).toBe("grouppay.deleted");
    const second = await lockClass(cls);
    for (const e of a.entries) expect(await paymentBatchOf(e.id)).toBe(second);
    expect((await paymentBatchRow(first)).status).toBe("deleted");
    const { txn } = await payPaymentBatch(second);
    await (
      await settleSimulatedTxn(txn, "success", { backoffMs: 1 })
    ).delivered;
    expect((await paymentBatchRow(second)).status).toBe("paid");
    expect((await lock(admin1, { className: cls })).data.error).toContain("没有满足支付条件");
    for (const e of a.entries) expect(await paymentBatchOf(e.id)).toBe(second);
  });
});

describe("what a payment batch holds stays put (GRP-6, CAN-7, CAN-8)", () => {
  it("GRP-6: locked entries cannot be changed by the candidate nor paid individually", async () => {
    const cls = uniqueClass();
    const c = await onlineCandidate({ className: cls, subjects: ["14"], hold: new Date(Date.now() + 3600_000) });
    await lockClass(cls);
    const drop = await run(() =>
      entriesRoute.action({
        request: new Request("http://localhost:3000/candidate/entries", {
          method: "POST",
          body: new URLSearchParams([["subject", "15"]]),
          headers: { Cookie: c.cookie, "Content-Type": "application/x-www-form-urlencoded" },
        }),
        params: {},
        context: {},
      }),
    );
    expect(drop.status).toBe(409);
    expect(drop.data.error).toContain("集体缴费批次锁定");
    expect(
      await getDb().selectFrom("entry").select("subject_code").where("registration_id", "=", c.reg.id).execute(),
    ).toEqual([{ subject_code: "14" }]);
    const page = await load(entriesRoute, "/candidate/entries", c.cookie);
    expect(page.data.entries[0]).toMatchObject({ code: "14", inPaymentBatch: true });
    expect(page.data.perPersonFen).toBe(0);

    const pay = await load(payRoute, "/candidate/pay", c.cookie);
    expect(pay.data.refusal).toBe("pay.in_payment_batch");
    expect(pay.data.due.lines).toEqual([]);
    expect(pay.data.paymentBatch).toEqual([{ code: "14", name: expect.any(String) }]);
    const start = await act(payRoute, "/candidate/pay", c.cookie, { intent: "pay" });
    expect(start.status).toBe(409);
    expect(start.data.error).toContain("由考点统一缴费");
    expect(await getDb().selectFrom("payment").select("id").where("registration_id", "=", c.reg.id).execute()).toEqual(
      [],
    );
  });

  it("GRP-6: a candidate's lapsed payment confirmed after the payment batch took its entries pays nothing twice: a refund is due", async () => {
    const cls = uniqueClass();
    const c = await onlineCandidate({ className: cls, subjects: ["14"], hold: new Date(Date.now() + 3600_000) });
    const start = await act(payRoute, "/candidate/pay", c.cookie, { intent: "pay" });
    expect(start.status).toBe(302);
    const txn = start.location!.split("/").pop()!;
    await getDb().updateTable("payment").set({ status: "expired" }).where("registration_id", "=", c.reg.id).execute();
    const id = await lockClass(cls);
    expect(await paymentBatchOf(c.entries[0].id)).toBe(id);
    await (
      await settleSimulatedTxn(txn, "success", { backoffMs: 1 })
    ).delivered;
    const p = await getDb()
      .selectFrom("payment")
      .select(["status", "note"])
      .where("registration_id", "=", c.reg.id)
      .executeTakeFirstOrThrow();
    expect(p).toEqual({ status: "refund_due", note: "entries_in_payment_batch" });
    expect(
      await getDb()
        .selectFrom("entry")
        .select(["paid", "payment_batch_id"])
        .where("id", "=", c.entries[0].id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ paid: false, payment_batch_id: id });
  });

  it("CAN-7: the candidate pay page excludes payment batch entries, and the per-person fee the payment batch includes is not asked again", async () => {
    const cls = uniqueClass();
    const c = await onlineCandidate({ className: cls, subjects: ["14", "15"], hold: new Date(Date.now() + 3600_000) });
    const r = await lock(admin1, { className: cls, subject: "14" });
    const id = Number(r.data.params.id);
    expect(await paymentBatchRow(id)).toMatchObject({
      entry_count: 1,
      per_person_count: 1,
      amount_fen: FEE.person + FEE["14"],
    });
    const pay = await load(payRoute, "/candidate/pay", c.cookie);
    expect(pay.data.refusal).toBeNull();
    expect(pay.data.due).toMatchObject({
      perPerson: 0,
      total: FEE["15"],
      lines: [{ code: "15", name: expect.any(String), fee: FEE["15"] }],
    });
    expect(pay.data.paymentBatch.map((b: { code: string }) => b.code)).toEqual(["14"]);
    const start = await act(payRoute, "/candidate/pay", c.cookie, { intent: "pay" });
    expect(start.status).toBe(302);
    const p = await getDb()
      .selectFrom("payment")
      .selectAll()
      .where("registration_id", "=", c.reg.id)
      .executeTakeFirstOrThrow();
    expect(p).toMatchObject({
      amount_fen: FEE["15"],
      per_person_fen: 0,
      subject_codes: ["15"],
      payment_batch_id: null,
    });
    expect(p.entry_ids).toEqual([c.entries.find((e) => e.subject_code === "15")!.id]);
  });

  it("CAN-8: an open payment batch's entries and registrations are never released by the hold sweep; deleting the payment batch restarts their hold", async () => {
    const cls = uniqueClass();
    const past = new Date(Date.now() - 3600_000);
    const c = await onlineCandidate({ className: cls, subjects: ["14", "15"], hold: past });
    const id = await lockClass(cls);
    const before = await counters("14");
    const now = new Date();
    await releaseExpiredHolds(now);
    expect(
      await getDb().selectFrom("entry").select("id").where("registration_id", "=", c.reg.id).execute(),
    ).toHaveLength(2);
    expect(
      await getDb().selectFrom("registration").select("id").where("id", "=", c.reg.id).executeTakeFirst(),
    ).toBeDefined();
    expect(await counters("14")).toEqual(before);

    expect(
      (await act(groupPayRoute, PAGE, admin1, { intent: "delete", paymentBatchId: id, reason: "考生自行缴费" })).data
        .message,
    ).toBe("grouppay.deleted");
    const held = await getDb()
      .selectFrom("entry")
      .select(["hold_until", "payment_batch_id"])
      .where("registration_id", "=", c.reg.id)
      .execute();
    expect(held.every((e) => e.payment_batch_id === null && e.hold_until !== null && e.hold_until > now)).toBe(true);
    await releaseExpiredHolds(new Date());
    expect(
      await getDb().selectFrom("entry").select("id").where("registration_id", "=", c.reg.id).execute(),
    ).toHaveLength(2);
    // Once the restarted hold runs out, the ordinary rule applies again (and gives the seats back).
    const total = (await counters("14")).total;
    const swept = await releaseExpiredHolds(new Date(Date.now() + 24 * 3600_000));
    expect(
      await getDb().selectFrom("entry").select("id").where("registration_id", "=", c.reg.id).execute(),
    ).toHaveLength(0);
    expect(
      await getDb().selectFrom("registration").select("id").where("id", "=", c.reg.id).executeTakeFirst(),
    ).toBeUndefined();
    expect((await counters("14")).total).toBe(total - swept.entriesReleased);
  });
});

describe("paying, refreshing and deleting a payment batch (GRP-6)", () => {
  it("GRP-6: paying the payment batch marks all its entries paid with the right fees, the per-person fee once per candidate; a replayed notification changes nothing", async () => {
    const cls = uniqueClass();
    const a = await makeReg({ className: cls, subjects: ["14", "15"] });
    const b = await onlineCandidate({ className: cls, subjects: ["15"], personFeePaid: true });
    const id = await lockClass(cls);
    const audits = await auditCount("group_payment.pay");
    const { txn } = await payPaymentBatch(id);
    expect(await auditCount("group_payment.pay")).toBe(audits + 1);
    const payment = await getDb()
      .selectFrom("payment")
      .selectAll()
      .where("payment_batch_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(payment).toMatchObject({
      registration_id: null,
      status: "pending",
      amount_fen: FEE.person + FEE["14"] + 2 * FEE["15"],
      per_person_fen: FEE.person,
    });
    expect([...payment.entry_ids].sort()).toEqual([...a.entries, ...b.entries].map((e) => e.id).sort());
    // A second click reuses the order still open at the gateway.
    expect((await payPaymentBatch(id)).txn).toBe(txn);
    expect(await getDb().selectFrom("payment").select("id").where("payment_batch_id", "=", id).execute()).toHaveLength(
      1,
    );

    const settled = await settleSimulatedTxn(txn, "success", { backoffMs: 1 });
    expect(await settled.delivered).toMatchObject({ acknowledged: true });
    expect(await paymentBatchRow(id)).toMatchObject({ status: "paid" });
    const entries = await getDb()
      .selectFrom("entry")
      .select(["id", "subject_code", "paid", "fee_fen", "payment_id", "paid_at", "hold_until"])
      .where("payment_batch_id", "=", id)
      .execute();
    expect(entries).toHaveLength(3);
    for (const e of entries)
      expect(e).toMatchObject({
        paid: true,
        fee_fen: FEE[e.subject_code as "14" | "15"],
        payment_id: payment.id,
        hold_until: null,
      });
    const regs = await getDb()
      .selectFrom("registration")
      .select(["person_fee_paid", "locked"])
      .where("id", "in", [a.reg.id, b.reg.id])
      .execute();
    expect(regs.every((r) => r.person_fee_paid && r.locked)).toBe(true);
    expect(
      (await getDb().selectFrom("payment").select("status").where("id", "=", payment.id).executeTakeFirstOrThrow())
        .status,
    ).toBe("paid");
    expect(await auditCount("group_payment.paid")).toBeGreaterThan(0);

    // The replay: recorded as a duplicate, nothing changes.
    const paidAudits = await auditCount("group_payment.paid");
    const replay = simNotificationBody({
      order_id: payment.id,
      txn_id: txn,
      status: "paid",
      amount_fen: String(payment.amount_fen),
      ts: String(Math.floor(Date.now() / 1000)),
    });
    expect((await post(replay)).headers.get("X-Kaowu-Outcome")).toBe("duplicate");
    expect(await auditCount("group_payment.paid")).toBe(paidAudits);
    const again = await getDb()
      .selectFrom("entry")
      .select(["id", "paid_at"])
      .where("payment_batch_id", "=", id)
      .execute();
    expect(again.map((e) => e.paid_at?.getTime()).sort()).toEqual(entries.map((e) => e.paid_at?.getTime()).sort());

    // The candidate now sees them paid; the payment batch is done and cannot be paid or deleted.
    const pay = await load(payRoute, "/candidate/pay", b.cookie);
    expect(pay.data.paid.map((p: { code: string }) => p.code)).toEqual(["15"]);
    expect((await act(groupPayRoute, PAGE, admin1, { intent: "pay", paymentBatchId: id })).data.error).toBe(
      "该缴费批次已支付。",
    );
    expect(
      (await act(groupPayRoute, PAGE, admin1, { intent: "delete", paymentBatchId: id, reason: "x" })).data.error,
    ).toBe("该缴费批次已支付。");
    // Listed only with "include paid".
    expect((await load(groupPayRoute, PAGE, admin1)).data.paymentBatches.some((x: { id: number }) => x.id === id)).toBe(
      false,
    );
    expect(
      (await load(groupPayRoute, `${PAGE}?paid=1`, admin1)).data.paymentBatches.find((x: { id: number }) => x.id === id)
        .status,
    ).toBe("paid");
  });

  it("GRP-6: an amount that differs from the payment batch's is refused and changes nothing", async () => {
    const cls = uniqueClass();
    await makeReg({ className: cls });
    const id = await lockClass(cls);
    const { txn } = await payPaymentBatch(id);
    const payment = await getDb()
      .selectFrom("payment")
      .selectAll()
      .where("payment_batch_id", "=", id)
      .executeTakeFirstOrThrow();
    const forged = simNotificationBody({
      order_id: payment.id,
      txn_id: txn,
      status: "paid",
      amount_fen: "1",
      ts: String(Math.floor(Date.now() / 1000)),
    });
    expect((await post(forged)).headers.get("X-Kaowu-Outcome")).toBe("amount_mismatch");
    expect((await paymentBatchRow(id)).status).toBe("open");
    expect(
      await getDb()
        .selectFrom("entry")
        .select("id")
        .where("payment_batch_id", "=", id)
        .where("paid", "=", true)
        .execute(),
    ).toEqual([]);
  });

  it("GRP-6: refresh reconciles a payment whose notification was lost", async () => {
    const cls = uniqueClass();
    await makeReg({ className: cls });
    const id = await lockClass(cls);
    const { txn } = await payPaymentBatch(id);
    expect((await act(groupPayRoute, PAGE, admin1, { intent: "refresh", paymentBatchId: id })).data.message).toBe(
      "grouppay.refreshed_open",
    );
    await paidAtGatewayOnly(txn);
    const before = await auditCount("group_payment.refresh");
    expect((await act(groupPayRoute, PAGE, admin1, { intent: "refresh", paymentBatchId: id })).data.message).toBe(
      "grouppay.refreshed_paid",
    );
    expect(await auditCount("group_payment.refresh")).toBe(before + 1);
    expect((await paymentBatchRow(id)).status).toBe("paid");
  });

  it("GRP-6: coming back from the gateway reconciles the payment batch's payment at once and shows the payment batch paid", async () => {
    const cls = uniqueClass();
    await makeReg({ className: cls });
    const id = await lockClass(cls);
    const { txn } = await payPaymentBatch(id);
    const payment = await getDb()
      .selectFrom("payment")
      .select("id")
      .where("payment_batch_id", "=", id)
      .executeTakeFirstOrThrow();
    await paidAtGatewayOnly(txn);
    const back = await load(groupPayRoute, `${PAGE}?order=${payment.id}`, admin1);
    expect(back.data.returned).toBe("paid");
    expect(back.data.paymentBatches.find((x: { id: number }) => x.id === id)).toMatchObject({ status: "paid" });
    // Another site's admin cannot make it reconcile someone else's order.
    await setSite(site3, { group_payment: true });
    try {
      expect((await load(groupPayRoute, `${PAGE}?order=${payment.id}`, admin3)).data.returned).toBeNull();
    } finally {
      await setSite(site3, { group_payment: false });
    }
  });

  it("GRP-6: delete needs a reason and refreshes first: a payment batch found paid is not deleted", async () => {
    const cls = uniqueClass();
    await makeReg({ className: cls });
    const id = await lockClass(cls);
    const { txn } = await payPaymentBatch(id);
    const noReason = await act(groupPayRoute, PAGE, admin1, { intent: "delete", paymentBatchId: id, reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.data.error).toBe("删除缴费批次要填写删除原因。");
    await paidAtGatewayOnly(txn);
    const del = await act(groupPayRoute, PAGE, admin1, { intent: "delete", paymentBatchId: id, reason: "付款失败" });
    expect(del.data.message).toBe("grouppay.delete_paid");
    expect(await paymentBatchRow(id)).toMatchObject({ status: "paid", delete_reason: "" });
  });

  it("GRP-6: deleting releases the entries and closes the pending payment; a deleted payment batch can never be paid or refreshed", async () => {
    const cls = uniqueClass();
    const a = await makeReg({ className: cls, subjects: ["14", "15"] });
    const id = await lockClass(cls);
    const { txn } = await payPaymentBatch(id);
    const audits = await auditCount("group_payment.delete");
    const del = await act(groupPayRoute, PAGE, admin1, {
      intent: "delete",
      paymentBatchId: id,
      reason: "人数有误，重新锁定",
    });
    expect(del.data.message).toBe("grouppay.deleted");
    expect(await auditCount("group_payment.delete")).toBe(audits + 1);
    expect(await paymentBatchRow(id)).toMatchObject({ status: "deleted", delete_reason: "人数有误，重新锁定" });
    for (const e of a.entries) expect(await paymentBatchOf(e.id)).toBeNull();
    expect(
      await getDb()
        .selectFrom("payment")
        .select(["status", "note"])
        .where("payment_batch_id", "=", id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: "failed", note: "payment_batch_deleted" });

    expect((await act(groupPayRoute, PAGE, admin1, { intent: "pay", paymentBatchId: id })).data.error).toBe(
      "缴费批次已删除，不能再支付或更新。",
    );
    expect((await act(groupPayRoute, PAGE, admin1, { intent: "refresh", paymentBatchId: id })).data.error).toBe(
      "缴费批次已删除，不能再支付或更新。",
    );
    expect(
      (await act(groupPayRoute, PAGE, admin1, { intent: "delete", paymentBatchId: id, reason: "再删" })).status,
    ).toBe(409);
    // Paid at the gateway after all: the entries stay unpaid and a refund is due.
    await (
      await settleSimulatedTxn(txn, "success", { backoffMs: 1 })
    ).delivered;
    expect(
      (
        await getDb()
          .selectFrom("payment")
          .select("status")
          .where("payment_batch_id", "=", id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe("refund_due");
    expect((await paymentBatchRow(id)).status).toBe("deleted");
    expect(
      await getDb()
        .selectFrom("entry")
        .select("id")
        .where("registration_id", "=", a.reg.id)
        .where("paid", "=", true)
        .execute(),
    ).toEqual([]);
    // Listed only with "include deleted", with its reason.
    expect(
      (await load(groupPayRoute, `${PAGE}?deleted=1`, admin1)).data.paymentBatches.find(
        (x: { id: number }) => x.id === id,
      ),
    ).toMatchObject({ status: "deleted", reason: "人数有误，重新锁定" });
  });
});

describe("who may, where and when (GRP-6, ORG-11, ORG-2, WIN-3)", () => {
  it("GRP-6: finance staff and another site's admin are refused", async () => {
    const cls = uniqueClass();
    await makeReg({ className: cls });
    const fin = await lock(finance1, { className: cls });
    expect(fin.status).toBe(403);
    expect(fin.data.error).toContain("财务人员");
    const id = await lockClass(cls);
    expect((await act(groupPayRoute, PAGE, finance1, { intent: "pay", paymentBatchId: id })).status).toBe(403);
    expect(
      (await act(groupPayRoute, PAGE, finance1, { intent: "delete", paymentBatchId: id, reason: "x" })).status,
    ).toBe(403);

    await setSite(site3, { group_payment: true });
    try {
      for (const intent of ["pay", "refresh", "delete"]) {
        const r = await act(groupPayRoute, PAGE, admin3, { intent, paymentBatchId: id, reason: "不是我的" });
        expect(r.status, intent).toBe(404);
        expect(r.data.error).toBe("集体缴费批次不存在。");
      }
      expect(
        (await load(groupPayRoute, `${PAGE}?deleted=1&paid=1`, admin3)).data.paymentBatches.some(
          (b: { id: number }) => b.id === id,
        ),
      ).toBe(false);
    } finally {
      await setSite(site3, { group_payment: false });
    }
    expect((await paymentBatchRow(id)).status).toBe("open");
    // Not a site: the page is for sites only.
    const city = await load(groupPayRoute, PAGE, await sessionCookie("city9901@example.com"));
    expect(city.status).toBe(403);
  });

  it("GRP-6: outside the registration-management window every change is refused (990102)", async () => {
    await setSite(site2, { group_payment: true });
    try {
      await makeReg({ siteId: site2, subjects: ["14"] });
      const r = await lock(admin2);
      expect(r.status).toBe(403);
      expect(r.data.error).toContain("报名管理时间");
      expect(
        await getDb()
          .selectFrom("payment_batch")
          .select("id")
          .where("org_id", "=", site2)
          .where("sitting_id", "=", sittingId)
          .execute(),
      ).toEqual([]);
      const page = await load(groupPayRoute, PAGE, admin2);
      expect(page.status).toBe(200);
      expect(page.data.writable).toBe(false);
    } finally {
      await setSite(site2, { group_payment: false });
    }
  });

  it("GRP-6: with group payment off, no payment batch can be locked or paid", async () => {
    const cls = uniqueClass();
    await makeReg({ className: cls });
    const id = await lockClass(cls);
    await setSite(site1, { group_payment: false });
    try {
      const r = await lock(admin1, { className: cls });
      expect(r.status).toBe(403);
      expect(r.data.error).toBe("本考点未开通集体缴费。");
      expect((await act(groupPayRoute, PAGE, admin1, { intent: "pay", paymentBatchId: id })).data.error).toBe(
        "本考点未开通集体缴费。",
      );
      const page = await load(groupPayRoute, PAGE, admin1);
      expect(page.data.enabled).toBe(false);
      expect(page.data.payable).toBeNull();
      // A payment batch left open can still be deleted, so its entries are never stuck.
      expect(
        (await act(groupPayRoute, PAGE, admin1, { intent: "delete", paymentBatchId: id, reason: "关闭集体缴费" })).data
          .message,
      ).toBe("grouppay.deleted");
    } finally {
      await setSite(site1, { group_payment: true });
    }
  });
});
