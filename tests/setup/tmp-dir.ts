import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Issue 13 item 9: the tests leave nothing behind in the temporary folder. Every run (every project, the
// e2e server and its children included: they inherit TMPDIR) gets its own folder under the real one, and
// the teardown removes it; a `kaowu-*` folder still in it means a test or fixture forgot its own clean-up,
// which fails the run so the leak is found where it was made.

export default function setup() {
  const before = process.env.TMPDIR;
  const run = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-test-run-"));
  process.env.TMPDIR = run;
  return () => {
    const left = fs.readdirSync(run).filter((name) => name.startsWith("kaowu-"));
    fs.rmSync(run, { recursive: true, force: true });
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    if (left.length) {
      // Vitest reports an error thrown here but still exits 0, so fail the run explicitly.
      console.error(
        `tests left these in the temporary folder (removed now; clean them up where they are made): ${left.join(", ")}`,
      );
      process.exitCode = 1;
    }
  };
}
