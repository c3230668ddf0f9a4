import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { seedDemo, truncateAll } from "../../db/seed";

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
});
