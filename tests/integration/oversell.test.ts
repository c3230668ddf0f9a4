import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { getDb, getDbHandle } from "../../db/client";
import { getCurrentSitting } from "../../db/queries/sittings";
import { setEntries } from "../../app/services/set-entries.server";
import { isAppError } from "../../app/domain/errors";
import type { CandidateContext } from "../../app/utils/auth.server";
import { orgId, residentId } from "../factories";
import { setSeatsTaken, SITE_TOTAL } from "../factories/seats";

// CAN-4 / X-7 under real concurrency: PGlite has one connection, so this runs on PostgreSQL only
// (npm run test:pg, and in CI).
const ATTEMPTS = 500;
const SEATS = 10;
const ROUNDS = 20;

/** ATTEMPTS candidates at 990101, each with an online registration and no entries, made in bulk. */
async function candidates(tag: "subject" | "total") {
  expect(getDbHandle().kind).toBe("postgres");
  const db = getDb();
  const sitting = await getCurrentSitting(db);
  const site = await orgId("990101");
  const accounts = Array.from({ length: ATTEMPTS }, (_, i) => ({
    id: `oversell-${tag}-${i}`,
    email: `oversell-${tag}-${i}@example.com`,
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
        id_number: residentId(
          `${tag === "subject" ? 1999 : 1998}-09-${String(1 + Math.floor(i / 400)).padStart(2, "0")}`,
          i % 400,
        ),
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
  return { db, sitting, site, regs, contexts };
}

describe.runIf(!!process.env.DATABASE_URL)("no oversell under concurrent registration (CAN-4, X-7)", () => {
  it(`CAN-4: ${ATTEMPTS} concurrent attempts at the last ${SEATS} seats of a subject take exactly ${SEATS}, ${ROUNDS} times over`, async () => {
    const { db, sitting, site, regs, contexts } = await candidates("subject");
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
        .set({ capacity: 150 + SEATS })
        .where("org_id", "=", site)
        .where("subject_code", "=", "66")
        .where("sitting_id", "=", sitting.id)
        .execute();
      await setSeatsTaken(sitting.id, site, "66", 150);
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

  it(`CAN-4/X-7: ${ATTEMPTS} concurrent attempts over two subjects at the last 1 and ${SEATS} seats of the site total take exactly that many (decision 0051: the total's shards)`, async () => {
    const { db, sitting, site, regs, contexts } = await candidates("total");
    const total = async () =>
      db
        .selectFrom("site_setting")
        .select(["total_taken", "total_capacity"])
        .where("org_id", "=", site)
        .where("sitting_id", "=", sitting.id)
        .executeTakeFirstOrThrow();
    // Subjects with room to spare: only the site total can say no.
    await db
      .updateTable("site_subject")
      .set({ capacity: 99999 })
      .where("org_id", "=", site)
      .where("sitting_id", "=", sitting.id)
      .where("subject_code", "in", ["65", "66"])
      .execute();
    const mine = regs.map((r) => r.id);
    for (const seats of [1, SEATS])
      for (let round = 0; round < 10; round++) {
        // The total `seats` short of full: its free seats left in whichever shards the spread leaves them.
        const cap = Math.max(100, (await total()).total_taken + seats);
        await db
          .updateTable("site_setting")
          .set({ total_capacity: cap })
          .where("org_id", "=", site)
          .where("sitting_id", "=", sitting.id)
          .execute();
        await setSeatsTaken(sitting.id, site, SITE_TOTAL, cap - seats);

        const results = await Promise.allSettled(
          contexts.map((c, i) => setEntries(c, { subjects: [i % 2 ? "65" : "66"] })),
        );
        const ok = results.filter((r) => r.status === "fulfilled").length;
        const other = results.filter(
          (r) => r.status === "rejected" && !(isAppError(r.reason) && r.reason.key === "entries.site_full"),
        );
        expect(other.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
        expect(ok).toBe(seats);
        expect(await total()).toEqual({ total_taken: cap, total_capacity: cap });
        const held = await db
          .selectFrom("entry")
          .select(sql<number>`count(*)::int`.as("n"))
          .where("registration_id", "in", mine)
          .executeTakeFirstOrThrow();
        expect(Number(held.n)).toBe(seats);
        // The winners drop their seat for the next round.
        await Promise.all(
          results.map(async (r, i) => {
            if (r.status === "fulfilled") await setEntries(contexts[i], { subjects: [] });
          }),
        );
        expect((await total()).total_taken).toBe(cap - seats);
      }
  }, 300_000);
});
