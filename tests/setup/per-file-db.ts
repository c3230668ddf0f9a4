import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, setDbHandle, pgliteParsers, type DbHandle } from "../../db/client";
import { resetEnvCache } from "../../app/utils/env.server";
import { closeRunner, setRunnerMode, waitForInlineIdle } from "../../jobs/runner";
import { withDatabase } from "./global-db";

let handle: DbHandle | undefined;
let dbName: string | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-files-"));
  process.env.DATA_DIR = dataDir;
  process.env.TZ_DISPLAY = "Asia/Shanghai";
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

afterAll(async () => {
  await waitForInlineIdle();
  await closeRunner();
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
