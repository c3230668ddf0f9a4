import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// X-7 (decision 0047, graceful stop): tsx's command-line launcher runs the program in a child process
// and relays SIGTERM to it; a child that does not confirm the signal within 60 ms (its event loop busy
// with a request) is killed with SIGKILL and the launcher exits 143, cutting requests and jobs short.
// Long-running processes are therefore one node process with tsx's loader.
describe("start scripts", () => {
  const scripts = JSON.parse(fs.readFileSync(path.resolve("package.json"), "utf8")).scripts as Record<string, string>;

  it.each(["start", "serve", "dev", "worker"])(
    "X-7: npm run %s starts one node process that receives SIGTERM itself",
    (name) => {
      // Node's own flags may come first (decision 0064); nothing runs it through another launcher.
      expect(scripts[name]).toMatch(/(^|\s)node (--[\w-]+=\S+ )*--import tsx (server|jobs\/worker)\.ts$/);
    },
  );
});
