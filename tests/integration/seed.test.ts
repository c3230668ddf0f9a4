import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { seedDemo, truncateAll } from "../../db/seed";
import { findSeatDrift } from "../../db/queries/invariants";
import { birthDateFromId, genderFromId, validateIdNumber } from "../../app/domain/id-number";

describe("demo data", () => {
  it("seeds only an empty database, and `db:seed -- --reset` empties and reseeds it", async () => {
    expect(await seedDemo(getDb())).toBe(false);
    await truncateAll(getDb());
    expect(await getDb().selectFrom("org").select("id").execute()).toHaveLength(0);
    expect(await seedDemo(getDb())).toBe(true);
    const orgs = await getDb().selectFrom("org").select(["code", "level"]).orderBy("code").execute();
    expect(orgs.map((o) => o.code).sort()).toEqual([
      "000000",
      "50",
      "5001",
      "500101",
      "99",
      "9901",
      "990101",
      "990102",
      "9902",
      "990201",
    ]);
    const sittings = await getDb().selectFrom("sitting").select(["code", "is_current"]).orderBy("code").execute();
    expect(sittings).toEqual([
      { code: "78", is_current: false },
      { code: "79", is_current: true },
    ]);
    const subjects = await getDb().selectFrom("subject").select("code").where("retired", "=", false).execute();
    expect(subjects).toHaveLength(25);
  });

  it("ORG-7 (issue 15 item 11): the past sitting 78 holds a finished season whose counters equal its rows", async () => {
    const db = getDb();
    const past = await db.selectFrom("sitting").select("id").where("code", "=", "78").executeTakeFirstOrThrow();
    const regs = await db
      .selectFrom("registration")
      .select(["org_id", "id_type", "id_number", "gender", "birth_date", "entry_count", "paid_count"])
      .where("sitting_id", "=", past.id)
      .execute();
    expect(regs).toHaveLength(88);
    for (const r of regs) {
      // Valid resident IDs whose birth date and gender agree with the record (CAN-3's own check).
      expect(validateIdNumber("1", r.id_number)).toBeNull();
      expect(birthDateFromId("1", r.id_number)).toBe(String(r.birth_date).slice(0, 10));
      expect(genderFromId("1", r.id_number)).toBe(r.gender);
      expect(r.paid_count).toBe(r.entry_count);
    }
    const unpaid = await db
      .selectFrom("entry")
      .select("id")
      .where("sitting_id", "=", past.id)
      .where("paid", "=", false)
      .execute();
    expect(unpaid).toEqual([]);
    const batches = await db.selectFrom("payment_batch").select("status").where("sitting_id", "=", past.id).execute();
    expect(batches).toEqual([{ status: "paid" }]);
    expect(await findSeatDrift(db)).toEqual([]);
  });
});
