import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// The children's side of bench/children.ts: how a `bench/<x>-child.ts` process runs and what it
// reports. Loads nothing but Node's own modules, so that a raw measurement's peak RSS is its library's.

/** The peak (VmHWM) and current (VmRSS) resident set in kB of this process or of `pid`, from /proc (null elsewhere, or once it exited). */
export function memStatus(pid: number | "self" = "self"): { hwmKb: number | null; rssKb: number | null } {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? NaN) || null;
    return { hwmKb: kb("VmHWM"), rssKb: kb("VmRSS") };
  } catch {
    return { hwmKb: null, rssKb: null };
  }
}

/**
 * CPU seconds (user + system) of every process named `postgres` on this host: the database's share of
 * the machine. With each one's reaped children (the postmaster's): a backend whose client has gone
 * (pgbench's, psql's) leaves /proc, and its CPU is counted there from then on.
 */
export function postgresCpuSeconds(): number | null {
  try {
    let ticks = 0;
    for (const d of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
        if (!stat.includes("(postgres)")) continue;
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      } catch {
        /* exited meanwhile */
      }
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

/** This process's peak resident set (VmHWM) in kB so far. */
export const peakRssKb = () => memStatus().hwmKb;

/** Prints the result line the parent reads (runChild): `o` and the peak RSS, as JSON, last on stdout. */
export const printResult = (o: Record<string, unknown>) =>
  console.log(JSON.stringify({ ...o, peakRssKb: peakRssKb() }));

/**
 * Runs `main(argv)` when the module at `moduleUrl` (its import.meta.url) is the script node was
 * started with, not when it is imported; an error goes to stderr as `[name mode] …` and sets the
 * exit code 1, so the parent sees no result line.
 */
export async function runAsScript(moduleUrl: string, name: string, main: (args: string[]) => Promise<void>) {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(path.resolve(process.argv[1])).href) return;
  try {
    await main(process.argv.slice(2));
  } catch (e) {
    console.error(`[${name} ${process.argv[2]}]`, e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  }
}
