import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { setRunnerMode } from "../../jobs/runner";
import { startScheduler, stopScheduler } from "../../jobs/scheduler";
import { newCandidate, orgId, residentId } from "../factories";
import { addSeatsTaken, guardSeats, SITE_TOTAL } from "../factories/seats";

// CAN-4/CAN-8: seat counters equal rows after every test (tests/setup/per-file-db.ts).
guardSeats();

let site1: number, sittingId: number;

beforeAll(async () => {
  site1 = await orgId("990101");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
});

afterEach(async () => {
  await stopScheduler();
  setRunnerMode("inline");
});

/** An online registration with one unpaid entry whose hold ran out a minute ago. */
async function expiredRegistration(seq: number) {
  const c = await newCandidate();
  const id = residentId("2002-02-02", seq);
  const reg = await getDb()
    .insertInto("registration")
    .values({
      sitting_id: sittingId,
      org_id: site1,
      account_id: c.id,
      channel: "online",
      id_type: "1",
      id_number: id,
      name: "过期",
      gender: "1",
      birth_date: "2002-02-02",
      ethnicity: "01",
      education: "20",
      hold_until: new Date(Date.now() - 60_000),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await addSeatsTaken(sittingId, site1, "15", 1);
  await addSeatsTaken(sittingId, site1, SITE_TOTAL, 1);
  await getDb()
    .insertInto("entry")
    .values({
      registration_id: reg.id,
      sitting_id: sittingId,
      org_id: site1,
      subject_code: "15",
      hold_until: new Date(Date.now() - 60_000),
    })
    .execute();
  return reg.id;
}

async function gone(id: number, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!(await getDb().selectFrom("registration").select("id").where("id", "=", id).executeTakeFirst())) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe("the scheduled release of unpaid holds (CAN-8)", () => {
  it("CAN-8: without Redis an in-process timer releases expired holds", async () => {
    const id = await expiredRegistration(1);
    const taken = await getDb()
      .selectFrom("site_subject")
      .select("taken")
      .where("org_id", "=", site1)
      .where("subject_code", "=", "15")
      .where("sitting_id", "=", sittingId)
      .executeTakeFirstOrThrow();
    expect(
      await startScheduler([
        {
          name: "release-expired-holds",
          everyMs: () => 100,
          run: async () => (await import("../../app/services/release-expired-holds.server")).releaseExpiredHolds(),
        },
      ]),
    ).toBe("inline");
    expect(await gone(id, 10_000)).toBe(true);
    const after = await getDb()
      .selectFrom("site_subject")
      .select("taken")
      .where("org_id", "=", site1)
      .where("subject_code", "=", "15")
      .where("sitting_id", "=", sittingId)
      .executeTakeFirstOrThrow();
    expect(after.taken).toBe(taken.taken - 1);
  });

  it.runIf(!!process.env.REDIS_URL)("CAN-8: with REDIS_URL the same task runs as a Bull repeatable job", async () => {
    setRunnerMode("bull");
    const id = await expiredRegistration(2);
    const mode = await startScheduler([
      {
        name: `release-expired-holds-test-${Date.now()}`,
        everyMs: () => 300,
        run: async () => (await import("../../app/services/release-expired-holds.server")).releaseExpiredHolds(),
      },
    ]);
    expect(mode).toBe("bull");
    expect(await gone(id, 20_000)).toBe(true);
  });
});
