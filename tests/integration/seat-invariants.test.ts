import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import * as payRoute from "../../app/routes/candidate.pay";
import { getDb } from "../../db/client";
import { findSeatDrift } from "../../db/queries/invariants";
import { insertEntriesOfNewRegistrations } from "../../db/queries/entries";
import { releaseExpiredHolds } from "../../app/services/release-expired-holds.server";
import { act, orgId } from "../factories";
import { guardSeats, setSeatsTaken } from "../factories/seats";
import {
  chooseEntries,
  deliverNotificationsInProcess,
  paymentOfTxn,
  readyCandidate as readyOnline,
  settle,
  startPay,
} from "../factories/online-candidate";

// Every test here also ends with the seat check of tests/setup/per-file-db.ts.
guardSeats();

let site: number, sittingId: number;
const HOURS = 60 * 60_000;

beforeAll(async () => {
  site = await orgId("990101");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  deliverNotificationsInProcess();
});

const readyCandidate = () => readyOnline(site);
const entries = chooseEntries;

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
  const p = await paymentOfTxn(txn);
  return { status: p.status, note: p.note };
}

describe("counters always equal rows (CAN-4, CAN-7, CAN-8)", () => {
  it("MGT-1: entries added and removed several to a statement keep each registration's entry and paid counts, and a count set wrong is reported", async () => {
    const a = await readyCandidate();
    const b = await readyCandidate();
    await entries(a.cookie, ["14", "65"]);
    await entries(b.cookie, ["14"]);
    const ids = [await regId(a.cookie), await regId(b.cookie)];
    // One statement inserting for two registrations, one deleting for both (the hold release's shape).
    await sql`insert into entry (registration_id, sitting_id, org_id, subject_code, hold_until)
      select r.id, r.sitting_id, r.org_id, '24', now() + interval '1 hour' from registration r where r.id = any(${ids}::int[])`.execute(
      getDb(),
    );
    const counts = async () =>
      (
        await getDb()
          .selectFrom("registration")
          .select(["id", "entry_count"])
          .where("id", "in", ids)
          .orderBy("id")
          .execute()
      ).map((r) => r.entry_count);
    expect(await counts()).toEqual([3, 2]);
    await sql`delete from entry where subject_code = '24' and registration_id = any(${ids}::int[])`.execute(getDb());
    expect(await counts()).toEqual([2, 1]);
    // (The seat counters were bypassed on purpose and are even again after the delete.)
    expect((await findSeatDrift(getDb())).filter((d) => d.kind === "entry_count")).toEqual([]);
    await getDb().updateTable("registration").set({ entry_count: 9 }).where("id", "=", ids[0]).execute();
    expect((await findSeatDrift(getDb())).filter((d) => d.kind === "entry_count")).toEqual([
      { kind: "entry_count", key: `registration ${ids[0]}`, counter: 9, rows: 2 },
    ]);
    await getDb().updateTable("registration").set({ entry_count: 2 }).where("id", "=", ids[0]).execute();
  });

  it("MGT-1: entries inserted for registrations whose counts are already set are not counted twice, and only those (decision 0057)", async () => {
    const a = await readyCandidate();
    const id = await regId(a.cookie);
    await getDb()
      .transaction()
      .execute(async (trx) => {
        // As a group import does: the registration's count first, then its entries, uncounted.
        await trx.updateTable("registration").set({ entry_count: 2 }).where("id", "=", id).execute();
        const row = (code: string) => ({
          registration_id: id,
          sitting_id: sittingId,
          org_id: site,
          subject_code: code,
          hold_until: new Date(Date.now() + HOURS),
        });
        await insertEntriesOfNewRegistrations(trx, [row("14"), row("65")]);
        const counted = await trx
          .selectFrom("registration")
          .select("entry_count")
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        expect(counted.entry_count).toBe(2);
        // The setting ends with the call: the next insert in the same transaction is counted again.
        await trx.insertInto("entry").values(row("24")).execute();
        expect(
          (await trx.selectFrom("registration").select("entry_count").where("id", "=", id).executeTakeFirstOrThrow())
            .entry_count,
        ).toBe(3);
        // A delete is always counted.
        await trx.deleteFrom("entry").where("registration_id", "=", id).execute();
        await expect(insertEntriesOfNewRegistrations(trx, [{ ...row("14"), paid: true }])).rejects.toThrow(/unpaid/);
        await trx.updateTable("registration").set({ entry_count: 0 }).where("id", "=", id).execute();
      });
    expect((await findSeatDrift(getDb())).filter((d) => d.kind === "entry_count")).toEqual([]);
  });

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
      if (full.taken < full.capacity!) await setSeatsTaken(sittingId, site, "65", full.capacity!);
      await settle(txn, "success");
      expect(await paymentOf(txn)).toEqual({ status: "refund_due", note: "entries_gone" });
      if (full.taken < full.capacity!) await setSeatsTaken(sittingId, site, "65", full.taken);
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
