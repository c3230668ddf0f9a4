import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ROOT } from "./server";

// The parent's side of the benchmarks that measure in child processes (bench/import.ts,
// bench/group.ts, bench/management.ts): running `tsx bench/<x>-child.ts` and reading its result,
// psql, and scratch PostgreSQL databases. Children and scratch databases still alive when the
// process exits (an error, Ctrl-C: bench/server.ts turns the signals into an exit) are killed and
// dropped. The children's side is bench/child.ts.

/** A child's result: its last stdout line, a JSON object with its peak RSS (bench/child.ts printResult). */
export type ChildResult = Record<string, unknown> & { peakRssKb: number | null };

const live = new Set<ChildProcess>();
const scratchDbs = new Map<string, string>(); // name → admin URL

const killGroup = (c: ChildProcess) => {
  try {
    if (c.pid) process.kill(-c.pid, "SIGKILL"); // the group of the process we spawned (detached)
  } catch {
    /* gone */
  }
};

process.on("exit", () => {
  live.forEach(killGroup);
  // Synchronous: nothing asynchronous runs in an exit handler.
  for (const [name, adminUrl] of scratchDbs) {
    spawnSync("psql", [adminUrl, "-X", "-q", "-c", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], {
      timeout: 15_000,
      stdio: "ignore",
    });
  }
});

/** `process.env` with `set` added and `unset` removed: the environment of a child. */
export function childEnv(set: Record<string, string | undefined>, unset: string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(set)) if (v !== undefined) env[k] = v;
  for (const k of unset) delete env[k];
  return env;
}

/**
 * Runs `tsx <script> …args` (script relative to the project root) in its own process group with
 * `env`, killing the group after `timeoutMs`; resolves with its last stdout line parsed as JSON,
 * rejects with the tail of its output when it fails, times out or prints no JSON.
 */
export function runChild(
  script: string,
  label: string,
  args: string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    // BENCH_CPU_PROF=<dir>: the child writes a V8 CPU profile there when it ends.
    const prof = process.env.BENCH_CPU_PROF;
    const [cmd, argv] = prof
      ? [process.execPath, ["--cpu-prof", `--cpu-prof-dir=${prof}`, "--import", "tsx", script, ...args]]
      : [path.join(ROOT, "node_modules/.bin/tsx"), [script, ...args]];
    const child = spawn(cmd, argv, {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    live.add(child);
    let out = "";
    let err = "";
    child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      live.delete(child);
      reject(e);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      killGroup(child); // anything the child left in its group
      live.delete(child);
      const tail = (s: string) => (s.trim() ? `\n${s.trim().split("\n").slice(-15).join("\n")}` : "");
      if (timedOut) return reject(new Error(`${label}: killed after ${(timeoutMs / 1000).toFixed(0)} s${tail(err)}`));
      const last = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !last.startsWith("{"))
        return reject(new Error(`${label}: exited with ${code}${tail(err + out)}`));
      if (err.trim()) process.stderr.write(err);
      resolve(JSON.parse(last) as ChildResult);
    });
  });
}

/** psql on `url`, bounded in time; resolves with its unaligned output, rejects with psql's message. */
export function psql(url: string, command: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "psql",
      [url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", command],
      { timeout: timeoutMs },
      (e, stdout, stderr) => (e ? reject(new Error(`psql: ${(stderr || e.message).trim()}`)) : resolve(stdout.trim())),
    );
  });
}

/** Whether PostgreSQL answers at `adminUrl`; if not, says the benchmark is skipped and why. */
export async function postgresReachable(adminUrl: string): Promise<boolean> {
  try {
    await psql(adminUrl, "select 1", 5000);
    return true;
  } catch (e) {
    console.log(`  skipped: PostgreSQL not reachable (set DATABASE_URL): ${e instanceof Error ? e.message : e}`);
    return false;
  }
}

/** `url` with its database replaced. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * (Re)creates the database `name` on the server of `adminUrl` and returns its URL. It is dropped
 * by dropScratchDbs, or on exit, unless `keep` (left for inspection by hand).
 */
export async function createScratchDb(adminUrl: string, name: string, opts: { keep?: boolean } = {}): Promise<string> {
  if (!opts.keep) scratchDbs.set(name, adminUrl);
  await psql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await psql(adminUrl, `CREATE DATABASE ${name}`);
  return withDatabase(adminUrl, name);
}

/** Drops every scratch database not dropped yet; a failure is reported on stderr as `[tag] could not drop …`. */
export async function dropScratchDbs(tag: string) {
  for (const [name, adminUrl] of scratchDbs) {
    try {
      await psql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      scratchDbs.delete(name);
    } catch (e) {
      console.error(`[${tag}] could not drop ${name}: ${e instanceof Error ? e.message : e}`);
    }
  }
}
