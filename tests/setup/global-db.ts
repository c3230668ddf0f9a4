import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createDb, migrateToLatest, pgliteParsers } from "../../db/client";
import { seedDemo } from "../../db/seed";

// Build the migrated, seeded database once; every test file then starts from a copy of it:
// a PGlite snapshot (loading one takes < 1 s, creating one ~5 s) or a PostgreSQL template database.

declare module "vitest" {
  export interface ProvidedContext {
    dbSnapshot: string;
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `kaowu_tpl_${process.pid}`;
    const pg = (await import("pg")).default;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    const tplUrl = withDatabase(url, template);
    const h = await createDb({ databaseUrl: tplUrl });
    await migrateToLatest(h.db);
    await seedDemo(h.db);
    await h.db.destroy();
    project.provide("pgTemplate", template);
    project.provide("dbSnapshot", "");
    return async () => {
      // Per-file databases are dropped by each file; the template goes last.
      await admin.query(`drop database if exists ${template}`).catch(() => undefined);
      await admin.end();
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const pglite = await PGlite.create({ parsers: pgliteParsers });
  const h = await createDb({ pglite });
  await migrateToLatest(h.db);
  await seedDemo(h.db);
  const blob = await pglite.dumpDataDir("none");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-snap-")), "db.tar");
  fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  await h.db.destroy();
  project.provide("dbSnapshot", file);
  project.provide("pgTemplate", "");
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

export function withDatabase(url: string, db: string) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}
