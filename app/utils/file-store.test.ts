import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// DESIGN.md "Files": the file store is the only code that knows where stored files live, so that a
// deployment can move them to object storage by changing one module (issue 14 item 3).

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
// env and boot read DATA_DIR; db/client.ts puts PGlite's own folder under it.
const ALLOWED = new Set([
  "app/utils/file-store.server.ts",
  "app/utils/env.server.ts",
  "app/boot.server.ts",
  "db/client.ts",
]);

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

describe("the file store", () => {
  it("X-4: no code but the file store builds paths into the files folder", () => {
    const offenders = [...sources("app"), ...sources("jobs"), ...sources("db")]
      .filter((f) => !ALLOWED.has(f))
      .filter((f) => /\bdataDir\b|["']files["']/.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
