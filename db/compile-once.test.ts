import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { compileOnce } from "./compile-once";
import type { DB } from "./schema";

// X-7 (decision 0049): hot queries built once; only their values change between calls.

const db = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

describe("compileOnce (X-7)", () => {
  it("X-7: builds the query once and puts each call's values where the builder put them, an argument used twice included", () => {
    let builds = 0;
    const q = compileOnce((d, regId: number, now: Date) => {
      builds++;
      return d
        .selectFrom("entry")
        .select("entry.id")
        .where("entry.registration_id", "=", regId)
        .where("entry.paid", "=", false)
        .where(sql<boolean>`entry.hold_until > ${now}`)
        .where(sql<boolean>`exists (select 1 from payment p where p.registration_id = ${regId})`);
    });
    const t1 = new Date("2026-12-06T10:00:00Z");
    const t2 = new Date("2026-12-07T10:00:00Z");
    const a = q(db, 7, t1);
    expect(builds).toBe(2); // placeholders, then the real values to check the shape
    const b = q(db, 9, t2);
    expect(builds).toBe(2);
    const fresh = db
      .selectFrom("entry")
      .select("entry.id")
      .where("entry.registration_id", "=", 9)
      .where("entry.paid", "=", false)
      .where(sql<boolean>`entry.hold_until > ${t2}`)
      .where(sql<boolean>`exists (select 1 from payment p where p.registration_id = ${9})`)
      .compile();
    expect(b.sql).toBe(fresh.sql);
    expect(b.parameters).toEqual(fresh.parameters);
    expect(b.parameters).toEqual([9, false, t2, 9]);
    expect(a.parameters).toEqual([7, false, t1, 7]);
    expect(a.queryId).not.toBe(b.queryId);
  });

  it("X-7: a query whose shape depends on an argument's value is refused at its first call", () => {
    const byLength = compileOnce((d, codes: string[]) =>
      d
        .selectFrom("entry")
        .select("id")
        .where("subject_code", "in", codes.length ? codes : ["none"]),
    );
    expect(() => byLength(db, ["14", "65"])).toThrow(/depend on its arguments/);
    const literal = compileOnce((d, code: string) =>
      d
        .selectFrom("entry")
        .select("id")
        .where(sql<boolean>`subject_code = ${sql.lit(code)}`),
    );
    expect(() => literal(db, "14")).toThrow(/depend on its arguments/);
  });
});
