import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, inject } from "vitest";
import { createDb, setDbHandle, pgliteParsers, type DbHandle } from "../../db/client";
import { resetEnvCache } from "../../app/utils/env.server";
import { closeRunner, setRunnerMode, waitForInlineIdle } from "../../jobs/runner";
import { findSeatDrift } from "../../db/queries/invariants";
import { withDatabase } from "./global-db";

let handle: DbHandle | undefined;
let dbName: string | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-files-"));
  process.env.DATA_DIR = dataDir;
  process.env.TZ_DISPLAY = "Asia/Shanghai";
  // Each test file its own queue keys on the shared Redis: files running side by side never take each other's jobs.
  process.env.QUEUE_PREFIX = `kaowu-t-${randomUUID().slice(0, 8)}`;
  resetEnvCache();
  // Jobs run in-process unless a test asks for Bull explicitly.
  setRunnerMode("inline");
  const template = inject("pgTemplate");
  if (template) {
    const url = process.env.DATABASE_URL!;
    dbName = `kaowu_t_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const pg = (await import("pg")).default;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${dbName} template ${template}`);
    await admin.end();
    handle = await createDb({ databaseUrl: withDatabase(url, dbName) });
  } else {
    const { PGlite } = await import("@electric-sql/pglite");
    const snapshot = fs.readFileSync(inject("dbSnapshot"));
    const pglite = await PGlite.create({ loadDataDir: new Blob([snapshot]), parsers: pgliteParsers });
    handle = await createDb({ pglite });
  }
  setDbHandle(handle);
});

/**
 * CAN-4/CAN-8: a file that calls guardSeats() (tests/factories/seats.ts) has every seat counter
 * checked against its rows, and every unpaid online entry for a hold or a payment batch, after each test.
 */
async function checkSeats(when: string) {
  if (!handle || !(globalThis as { __kaowuGuardSeats?: boolean }).__kaowuGuardSeats) return;
  await waitForInlineIdle();
  const drift = await findSeatDrift(handle.db);
  if (drift.length)
    throw new Error(
      `seat counters out of step ${when}: ${drift.map((d) => `${d.kind} ${d.key} counter ${d.counter} rows ${d.rows}`).join("; ")}`,
    );
}

afterEach(() => checkSeats("after this test"));

afterAll(async () => {
  await waitForInlineIdle();
  await closeRunner();
  // MGT-1/MGT-6: whatever a test file did to entries, every registration's counters (kept by the
  // entry trigger of migration 0007) still match its entries.
  if (handle) {
    const { sql } = await import("kysely");
    const off = await sql<{ id: number }>`
      select r.id from registration r
      left join (select registration_id, count(*)::int as n, (count(*) filter (where paid))::int as p, coalesce(sum(fee_fen) filter (where paid), 0)::int as f
                 from entry group by registration_id) x on x.registration_id = r.id
      where r.entry_count <> coalesce(x.n, 0) or r.paid_count <> coalesce(x.p, 0) or r.paid_fen <> coalesce(x.f, 0)
      limit 5`.execute(handle.db);
    if (off.rows.length)
      throw new Error(`registration entry counters out of step with entries: ${off.rows.map((r) => r.id).join(", ")}`);
  }
  await handle?.db.destroy();
  setDbHandle(undefined);
  if (dbName) {
    const pg = (await import("pg")).default;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL! });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName}`);
    await admin.end();
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});
