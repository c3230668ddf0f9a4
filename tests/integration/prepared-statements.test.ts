import pg from "pg";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { listEntries } from "../../db/queries/registrations";
import { orgId } from "../factories";

// Decision 0053: on PostgreSQL a statement sent often is prepared on its connection, parsed
// and planned there once; the answers are the same. PGlite is left as it is.
describe.runIf(!!process.env.DATABASE_URL)("prepared statements on PostgreSQL (X-7, decision 0053)", () => {
  it("X-7: from its third use a query is a named statement of its connection and answers as before", async () => {
    const site = await orgId("990101");
    const regId = (
      await getDb().selectFrom("registration").select("id").where("org_id", "=", site).executeTakeFirstOrThrow()
    ).id;
    const now = new Date();
    await getDb()
      .connection()
      .execute(async (db) => {
        const answers = [];
        for (let i = 0; i < 5; i++) answers.push(await listEntries(db, regId, now));
        const prepared = await sql<{ name: string; statement: string }>`
          select name, statement from pg_prepared_statements where statement like '%"entry"."subject_code"%'`.execute(
          db,
        );
        expect(prepared.rows.length).toBe(1);
        expect(prepared.rows[0].name).toMatch(/^kaowu_\d+$/);
        for (const a of answers) expect(a).toEqual(answers[0]);
      });
  });

  it("X-7: a connection that dies takes its statements along; the next one prepares them again", async () => {
    const q = () => sql<{ n: number }>`select count(*)::int as n from org where id > ${0}`;
    for (let i = 0; i < 4; i++) await q().execute(getDb());
    // End the pool's connections from the server side, as a restart or failover would.
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${(await sql<{ d: string }>`select current_database() as d`.execute(getDb())).rows[0].d}`;
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const ended = await c.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    await c.end();
    expect(ended.rowCount).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300)); // the pool drops the ended clients
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push((await q().execute(getDb())).rows[0].n);
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toBeGreaterThan(0);
  });

  it("X-7: a table changed under a prepared statement fails that one use; the next use prepares it again", async () => {
    await sql`create table prepared_probe (id int)`.execute(getDb());
    await sql`insert into prepared_probe values (1), (2)`.execute(getDb());
    await getDb()
      .connection()
      .execute(async (db) => {
        const read = () =>
          sql<Record<string, unknown>>`select * from prepared_probe where id > ${0} order by id`.execute(db);
        for (let i = 0; i < 4; i++) expect((await read()).rows).toEqual([{ id: 1 }, { id: 2 }]);
        // Another process migrates: a column is added.
        await sql`alter table prepared_probe add column note text`.execute(db);
        await expect(read()).rejects.toMatchObject({ code: "0A000" });
        expect((await read()).rows).toEqual([
          { id: 1, note: null },
          { id: 2, note: null },
        ]);
      });
  });
});
