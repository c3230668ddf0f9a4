import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { getDb, getDbHandle } from "../../db/client";
import { getCurrentSitting } from "../../db/queries/sittings";
import { setEntries } from "../../app/services/set-entries.server";
import { isAppError } from "../../app/domain/errors";
import type { CandidateContext } from "../../app/utils/auth.server";
import { orgId, residentId } from "../factories";

// CAN-4 / X-7 under real concurrency: PGlite has one connection, so this runs on PostgreSQL only
// (npm run test:pg, and in CI).
const ATTEMPTS = 500;
const SEATS = 10;
const ROUNDS = 20;

describe.runIf(!!process.env.DATABASE_URL)("no oversell under concurrent registration (CAN-4, X-7)", () => {
  it(`CAN-4: ${ATTEMPTS} concurrent attempts at the last ${SEATS} seats of a subject take exactly ${SEATS}, ${ROUNDS} times over`, async () => {
    expect(getDbHandle().kind).toBe("postgres");
    const db = getDb();
    const sitting = await getCurrentSitting(db);
    const site = await orgId("990101");
    // Candidates and their registrations, made once in bulk.
    const accounts = Array.from({ length: ATTEMPTS }, (_, i) => ({
      id: `oversell-${i}`,
      email: `oversell-${i}@example.com`,
      name: `并发${i}`,
      password_hash: "x",
      role: "candidate" as const,
    }));
    await db.insertInto("account").values(accounts).execute();
    const regs = await db
      .insertInto("registration")
      .values(
        accounts.map((a, i) => ({
          sitting_id: sitting.id,
          org_id: site,
          account_id: a.id,
          channel: "online" as const,
          id_type: "1",
          id_number: residentId(`1999-09-${String(1 + Math.floor(i / 400)).padStart(2, "0")}`, i % 400),
          name: a.name,
          gender: "1",
          birth_date: "1999-09-09",
          ethnicity: "01",
          education: "20",
        })),
      )
      .returning(["id", "account_id"])
      .execute();
    expect(regs).toHaveLength(ATTEMPTS);
    const contexts: CandidateContext[] = accounts.map((a) => ({
      accountId: a.id,
      name: a.name,
      email: a.email,
      mobile: null,
      locale: "zh-CN",
      sitting,
      actor: { accountId: a.id, name: a.name, orgId: null, sittingId: sitting.id, ip: null },
    }));
    await db
      .updateTable("site_setting")
      .set({ total_capacity: 99999 })
      .where("org_id", "=", site)
      .where("sitting_id", "=", sitting.id)
      .execute();

    for (let round = 0; round < ROUNDS; round++) {
      // Start every round with the subject ten seats short of full and nobody holding it.
      await db.deleteFrom("entry").where("org_id", "=", site).where("subject_code", "=", "66").execute();
      await db
        .updateTable("site_subject")
        .set({ taken: 150, capacity: 150 + SEATS })
        .where("org_id", "=", site)
        .where("subject_code", "=", "66")
        .where("sitting_id", "=", sitting.id)
        .execute();
      const totalBefore = (
        await db
          .selectFrom("site_setting")
          .select("total_taken")
          .where("org_id", "=", site)
          .where("sitting_id", "=", sitting.id)
          .executeTakeFirstOrThrow()
      ).total_taken;

      const results = await Promise.allSettled(contexts.map((c) => setEntries(c, { subjects: ["66"] })));
      const ok = results.filter((r) => r.status === "fulfilled").length;
      const refused = results.filter(
        (r) => r.status === "rejected" && isAppError(r.reason) && r.reason.key === "entries.subject_full",
      ).length;
      const other = results.filter(
        (r) => r.status === "rejected" && !(isAppError(r.reason) && r.reason.key === "entries.subject_full"),
      );
      expect(other.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      expect(ok).toBe(SEATS);
      expect(refused).toBe(ATTEMPTS - SEATS);

      const entries = await db
        .selectFrom("entry")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("org_id", "=", site)
        .where("subject_code", "=", "66")
        .executeTakeFirstOrThrow();
      const subject = await db
        .selectFrom("site_subject")
        .select(["taken", "capacity"])
        .where("org_id", "=", site)
        .where("subject_code", "=", "66")
        .where("sitting_id", "=", sitting.id)
        .executeTakeFirstOrThrow();
      const total = (
        await db
          .selectFrom("site_setting")
          .select("total_taken")
          .where("org_id", "=", site)
          .where("sitting_id", "=", sitting.id)
          .executeTakeFirstOrThrow()
      ).total_taken;
      expect(Number(entries.n)).toBe(SEATS);
      expect(subject.taken).toBe(subject.capacity);
      // The failed attempts gave back the total seat they took before the subject said no.
      expect(total).toBe(totalBefore + SEATS);
      // Those who got a seat drop it again for the next round (setEntries gives the seat back).
      await Promise.all(
        contexts.map(async (c) => {
          const reg = regs.find((r) => r.account_id === c.accountId)!;
          const has = await db
            .selectFrom("entry")
            .select("id")
            .where("registration_id", "=", reg.id)
            .executeTakeFirst();
          if (has) await setEntries(c, { subjects: [] });
        }),
      );
    }
  }, 300_000);
});
