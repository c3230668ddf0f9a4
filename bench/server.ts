import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

// Starting, watching and stopping the built server for the benchmarks. Benchmarks print figures;
// they never assert timings.

export const ROOT = path.resolve(import.meta.dirname, "..");

export interface RunningServer {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first `GET /healthz` answering 200. */
  readyMs: number;
  health: unknown;
  /** What the server printed so far. */
  log(): string;
  /** Peak resident set (VmHWM) in kB of the largest process in the server's tree, read from /proc. */
  peakRssKb(): number | null;
  stop(): Promise<void>;
}

/** The newest modification time of the files under `dir` (the sources a build is made from). */
function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtimeMs(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the production bundle when it is missing or older than the sources (`npm run build`). */
export async function ensureBuilt() {
  const built = path.join(ROOT, "build/server/index.js");
  const sources = Math.max(...["app", "db"].map((d) => newestMtimeMs(path.join(ROOT, d))));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  console.log("[bench] build/server/index.js is missing or older than app/ and db/: running npm run build …");
  await new Promise<void>((resolve, reject) => {
    const p = spawn("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
    p.on("error", reject);
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`))));
  });
}

const tempDirs = new Set<string>();
export function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-bench-"));
  tempDirs.add(dir);
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// Every server a benchmark started, so that an error or Ctrl-C still stops them.
const live = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal); // the group of the process we spawned (detached)
  } catch {
    /* already gone */
  }
}
process.on("exit", () => {
  live.forEach((c) => killGroup(c, "SIGKILL"));
  tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    live.forEach((c) => killGroup(c, "SIGKILL"));
    process.exit(130);
  });
}

/** Pids of `pid` and all its descendants, by scanning /proc (Linux only; empty elsewhere). */
function processTree(pid: number): number[] {
  let parents: Map<number, number[]>;
  try {
    parents = new Map();
    for (const d of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        parents.set(ppid, [...(parents.get(ppid) ?? []), Number(d)]);
      } catch {
        /* exited meanwhile */
      }
    }
  } catch {
    return [];
  }
  const out: number[] = [];
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...(parents.get(p) ?? []));
  }
  return out;
}

function vmHwmKb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Node's own flags in `npm start` (decision 0064: the young generation's size), so the server runs as deployed. */
function startFlags(root: string): string[] {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  return (
    /\bnode ((?:--\S+ )*)--import tsx server\.ts$/.exec(scripts.start)?.[1].trim().split(" ").filter(Boolean) ?? []
  );
}

/**
 * Spawns the server as `npm start` runs it (`NODE_ENV=production node <its flags> --import tsx server.ts`) on
 * `dataDir` and waits for /healthz. The memory and CPU figures read the process tree (a cluster's
 * primary has its web processes under it).
 */
export async function startServer(opts: {
  dataDir: string;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** WEB_CONCURRENCY: ready once every web process listens, not only the first. */
  webProcesses?: number;
  /** Another checkout to run (already built), for comparing two versions in one run; default this one. */
  root?: string;
}): Promise<RunningServer> {
  const root = opts.root ?? ROOT;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    DATA_DIR: opts.dataDir,
    COOKIE_SECURE: "false",
    // The requests go to this address (the Host check) and the demo gateway is chosen explicitly.
    PUBLIC_URL: url,
    PAYMENT_PROVIDER: "simulated",
    MESSAGE_PROVIDER: "outbox",
    ...opts.env,
  };
  // The benchmarks measure the embedded set-up unless the caller passes these explicitly.
  if (!opts.env?.DATABASE_URL) delete env.DATABASE_URL;
  if (!opts.env?.REDIS_URL) delete env.REDIS_URL;

  const t0 = performance.now();
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (for reading where
  // its time goes; NODE_OPTIONS cannot carry --cpu-prof).
  const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, ...startFlags(root), "--import", "tsx", "server.ts"], {
    cwd: root,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let log = "";
  child.stdout!.on("data", (b: Buffer) => (log += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (log += b.toString()));
  let exited: number | null | undefined;
  const exitPromise = new Promise<void>((resolve) => child.on("exit", (code) => ((exited = code), resolve())));

  let peak: number | null = null;
  const samplePeak = () => {
    for (const p of processTree(child.pid!)) {
      const kb = vmHwmKb(p);
      if (kb !== null && (peak === null || kb > peak)) peak = kb;
    }
    return peak;
  };

  const stop = async () => {
    if (!live.has(child)) return;
    samplePeak();
    killGroup(child, "SIGTERM"); // lets PGlite close its data folder cleanly
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), 10_000);
    await exitPromise;
    clearTimeout(timer);
    killGroup(child, "SIGKILL"); // anything left in the group
    live.delete(child);
  };

  const deadline = t0 + (opts.timeoutMs ?? 120_000);
  try {
    for (;;) {
      if (exited !== undefined) throw new Error(`server exited (${exited}) before /healthz answered:\n${log}`);
      if (performance.now() > deadline)
        throw new Error(`server not ready after ${opts.timeoutMs ?? 120_000} ms:\n${log}`);
      try {
        const res = await fetch(`${url}/healthz?part=web`, { signal: AbortSignal.timeout(2_000) });
        // Under the cluster (decision 0047) /healthz answers once the first web process listens; the
        // others start after it, and a load begun before they listen queues on the first one.
        const listening = log.match(/\[kaowu\] listening on port .*\(web process \d+\/\d+/g)?.length ?? 0;
        const needed = (opts.webProcesses ?? 1) > 1 ? opts.webProcesses! : 0;
        if (res.status === 200 && listening >= needed) {
          const readyMs = performance.now() - t0;
          const health: unknown = await res.json();
          return { url, pid: child.pid!, readyMs, health, log: () => log, peakRssKb: samplePeak, stop };
        }
        await res.arrayBuffer();
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  } catch (e) {
    await stop();
    throw e;
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return { median: percentile(s, 50), min: s[0], max: s[s.length - 1], p50: percentile(s, 50), p95: percentile(s, 95) };
}

export const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
export const mb = (kb: number | null) => (kb === null ? "n/a" : `${(kb / 1024).toFixed(0)} MB`);
