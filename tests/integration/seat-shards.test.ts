import pg from "pg";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, getDbHandle } from "../../db/client";
import { isCapacityBelowTaken } from "../../db/errors";
import { findSeatDrift } from "../../db/queries/invariants";
import { changeSeats, SITE_TOTAL } from "../../db/queries/seats";
import { orgId } from "../factories";

// CAN-4 / X-7 (decision 0051): a counter's seats in 16 shards whose capacities add up to the
// counter's. Tested through the database functions every caller uses (db/queries/seats.ts).
let site: number, sittingId: number;
const CODE = "14";

beforeAll(async () => {
  site = await orgId("990101");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
});

const shards = async (counter = CODE) =>
  getDb()
    .selectFrom("seat_shard")
    .select(["shard", "capacity", "taken"])
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", site)
    .where("counter", "=", counter)
    .orderBy("shard")
    .execute();
const taken = async () => (await shards()).reduce((n, s) => n + s.taken, 0);
const setCapacity = (capacity: number) =>
  getDb()
    .updateTable("site_subject")
    .set({ capacity })
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", site)
    .where("subject_code", "=", CODE)
    .execute();
const change = (delta: number, pick: number) => changeSeats(getDb(), sittingId, site, [[CODE, delta]], pick);
/** Seat counters here are moved without entries: the drift check would count the entries; only the shards' own is asked. */
const shardDrift = async () => (await findSeatDrift(getDb(), 100)).filter((d) => d.kind === "shard_capacity");

describe("seat shards (CAN-4, decision 0051)", () => {
  it("CAN-4: every counter has 16 shards whose capacities add up to its capacity, the view's taken is their sum", async () => {
    await setCapacity(100);
    const s = await shards();
    expect(s).toHaveLength(16);
    expect(s.reduce((n, x) => n + x.capacity, 0)).toBe(100);
    expect(Math.max(...s.map((x) => x.capacity)) - Math.min(...s.map((x) => x.capacity))).toBeLessThanOrEqual(1);
    expect((await shards(SITE_TOTAL)).length).toBe(16);
    expect(await shardDrift()).toEqual([]);
    await change(3, 0);
    const v = await getDb()
      .selectFrom("site_subject")
      .select("taken")
      .where("sitting_id", "=", sittingId)
      .where("org_id", "=", site)
      .where("subject_code", "=", CODE)
      .executeTakeFirstOrThrow();
    expect(v.taken).toBe(await taken());
    await change(-3, 0);
  });

  it("CAN-4: a take its shard cannot serve falls over to the others; more than is left takes nothing", async () => {
    await setCapacity(32); // two a shard
    expect(await change(2, 5)).toEqual([]);
    expect((await shards())[5]).toMatchObject({ capacity: 2, taken: 2 });
    // Shard 5 is full: the next seat comes from another shard, not a refusal.
    expect(await change(1, 5)).toEqual([]);
    expect(await taken()).toBe(3);
    // 29 are left: 30 at once is refused and takes nothing, 29 takes them all.
    expect(await change(30, 0)).toEqual([CODE]);
    expect(await taken()).toBe(3);
    expect(await change(29, 0)).toEqual([]);
    expect(await taken()).toBe(32);
    expect(await change(-32, 0)).toEqual([]);
    expect(await taken()).toBe(0);
  });

  it("CAN-4: a multi-seat take spread over shards, and given back the same way", async () => {
    await setCapacity(32);
    const before = await taken();
    expect(await change(32 - before, 3)).toEqual([]);
    expect((await shards()).every((s) => s.taken === s.capacity)).toBe(true);
    expect(await change(1, 9)).toEqual([CODE]);
    expect(await change(-(32 - before), 11)).toEqual([]);
    expect(await taken()).toBe(before);
    expect((await shards()).every((s) => s.taken >= 0 && s.taken <= s.capacity)).toBe(true);
    await change(-before, 0);
    expect(await taken()).toBe(0);
  });

  it("SET-4/SET-10: a capacity lowered to exactly what is taken rebalances the shards (none left free); below it the database refuses", async () => {
    await setCapacity(100);
    for (let pick = 0; pick < 37; pick++) expect(await change(1, pick * 7)).toEqual([]);
    await setCapacity(37);
    const s = await shards();
    expect(s.every((x) => x.capacity === x.taken)).toBe(true);
    expect(s.reduce((n, x) => n + x.taken, 0)).toBe(37);
    expect(await change(1, 2)).toEqual([CODE]);
    expect(await shardDrift()).toEqual([]);
    const refused = await setCapacity(36).catch((e: unknown) => e);
    expect(isCapacityBelowTaken(refused)).toBe(true);
    expect((await shards()).reduce((n, x) => n + x.capacity, 0)).toBe(37);
    // Raised again: the new seats are spread evenly over the shards.
    await setCapacity(53);
    const raised = await shards();
    expect(raised.every((x) => x.capacity - x.taken === 1)).toBe(true);
    expect(await change(16, 0)).toEqual([]);
    await change(-53, 0);
    expect(await taken()).toBe(0);
    expect(await shardDrift()).toEqual([]);
  });

  it("SET-4: a subject offered gets its 16 shards (sized by its capacity), and they go with it", async () => {
    const offered = await getDb()
      .selectFrom("site_subject")
      .select("subject_code")
      .where("sitting_id", "=", sittingId)
      .where("org_id", "=", site)
      .execute();
    const code = (
      await getDb()
        .selectFrom("subject")
        .select("code")
        .where(
          "code",
          "not in",
          offered.map((o) => o.subject_code),
        )
        .orderBy("code")
        .executeTakeFirstOrThrow()
    ).code;
    const count = async () => {
      const rows = await getDb()
        .selectFrom("seat_shard")
        .select(["capacity"])
        .where("sitting_id", "=", sittingId)
        .where("org_id", "=", site)
        .where("counter", "=", code)
        .execute();
      return { n: rows.length, capacity: rows.reduce((a, r) => a + r.capacity, 0) };
    };
    expect(await count()).toEqual({ n: 0, capacity: 0 });
    await getDb()
      .insertInto("site_subject")
      .values({
        sitting_id: sittingId,
        org_id: site,
        subject_code: code,
        exam_start: "2027-03-27",
        exam_end: "2027-03-29",
        capacity: 40,
      })
      .execute();
    expect(await count()).toEqual({ n: 16, capacity: 40 });
    expect(await shardDrift()).toEqual([]);
    await getDb()
      .deleteFrom("site_subject")
      .where("sitting_id", "=", sittingId)
      .where("org_id", "=", site)
      .where("subject_code", "=", code)
      .execute();
    expect(await count()).toEqual({ n: 0, capacity: 0 });
  });

  it.runIf(!!process.env.DATABASE_URL)(
    "X-7: a process killed in the middle of taking seats leaves the counters as they were",
    async () => {
      expect(getDbHandle().kind).toBe("postgres");
      await setCapacity(100);
      const before = await taken();
      // This file's own database (tests/setup/per-file-db.ts), on the same server.
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${(await sql<{ d: string }>`select current_database() as d`.execute(getDb())).rows[0].d}`;
      const c = new pg.Client({ connectionString: url.toString() });
      c.on("error", () => undefined);
      await c.connect();
      const pid = (await c.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0].pid;
      await c.query("begin");
      await c.query("select seat_change($1, $2, $3, $4, 0)", [sittingId, site, [CODE], [5]]);
      // Taken inside the open transaction, seen by nobody else.
      expect(await taken()).toBe(before);
      await sql`select pg_terminate_backend(${pid})`.execute(getDb());
      await c.end().catch(() => undefined);
      expect(await taken()).toBe(before);
      expect(await shardDrift()).toEqual([]);
    },
  );
});
