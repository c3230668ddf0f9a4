import cluster, { type Worker } from "node:cluster";
import { randomBytes } from "node:crypto";

// Decision 0047: several web processes (WEB_CONCURRENCY on PostgreSQL). The primary process serves
// nothing and opens no database: it forks the web processes, which share the port (each accepts its
// own connections, decision 0062), restarts one that dies, and stops them all on SIGTERM/SIGINT.
// The first web process migrates the database and seeds an empty one before the others start, so
// that two never do it at once.

/** The web process a worker is ("2/4"), in its environment. */
export const WEB_PROCESS_ENV = "KAOWU_WEB_PROCESS";
/** A web process that served this long before it ended is restarted at once (its crashes are forgiven). */
const HEALTHY_AFTER_MS = 60_000;
/** How long the web processes have to finish on SIGTERM before they are killed. */
const STOP_GRACE_MS = 20_000;

/** Restart back-off for each crash in a row: 1 s, 2 s, 4 s … at most 30 s (a run of a minute or more clears the count). */
export function restartDelayMs(crashesInARow: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, crashesInARow - 1));
}

interface Slot {
  index: number;
  worker?: Worker;
  startedAt: number;
  crashes: number;
  timer?: NodeJS.Timeout;
}

export function runPrimary(opts: { processes: number; log?: (m: string) => void; warn?: (m: string) => void }) {
  const { processes } = opts;
  const log = opts.log ?? ((m: string) => console.log(m));
  const warn = opts.warn ?? ((m: string) => console.warn(m));
  // A key a process would otherwise make up for itself must be the same in all: the simulated gateway
  // signs a notification in one process and another may receive it.
  process.env.PAYMENT_SIM_SECRET ||= randomBytes(32).toString("hex");
  // Decision 0062: every web process accepts on the shared socket itself. Node's default round-robin
  // has the primary hand each connection over and wait for the busy process's event loop to take it,
  // one at a time, so in a rush new connections waited seconds before any request was read.
  // NODE_CLUSTER_SCHED_POLICY=rr still chooses Node's way.
  if (!process.env.NODE_CLUSTER_SCHED_POLICY) cluster.schedulingPolicy = cluster.SCHED_NONE;
  log(`[kaowu] ${processes} web processes (WEB_CONCURRENCY), primary process ${process.pid}`);

  const slots: Slot[] = Array.from({ length: processes }, (_, index) => ({ index, startedAt: 0, crashes: 0 }));
  let stopping = false;
  let othersStarted = false;

  const start = (slot: Slot) => {
    slot.timer = undefined;
    slot.startedAt = Date.now();
    const worker = cluster.fork({
      [WEB_PROCESS_ENV]: `${slot.index + 1}/${processes}`,
      // Only the first web process seeds an empty database, and only the first time.
      ...(slot.index > 0 || othersStarted ? { SEED_ON_START: "false" } : {}),
    });
    slot.worker = worker;
    worker.once("listening", () => {
      // The database is migrated (and seeded): the others may start now.
      if (!othersStarted) {
        othersStarted = true;
        slots.slice(1).forEach(start);
      }
    });
    worker.once("exit", (code, signal) => {
      slot.worker = undefined;
      if (stopping) return;
      if (Date.now() - slot.startedAt >= HEALTHY_AFTER_MS) slot.crashes = 0;
      slot.crashes++;
      const delay = restartDelayMs(slot.crashes);
      warn(
        `[kaowu] web process ${slot.index + 1}/${processes} (pid ${worker.process.pid}) ended (${signal ?? `exit code ${code}`}); ` +
          `starting another in ${delay / 1000} s`,
      );
      slot.timer = setTimeout(() => start(slot), delay);
    });
  };

  const stop = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`[kaowu] ${sig}: stopping the web processes`);
    for (const slot of slots) clearTimeout(slot.timer);
    const live = slots.map((s) => s.worker).filter((w): w is Worker => !!w && !w.isDead());
    if (live.length === 0) process.exit(0);
    let left = live.length;
    const force = setTimeout(() => {
      warn(`[kaowu] web processes still running after ${STOP_GRACE_MS / 1000} s: killed`);
      live.forEach((w) => w.isDead() || w.process.kill("SIGKILL"));
    }, STOP_GRACE_MS);
    for (const w of live) {
      w.once("exit", () => {
        if (--left === 0) {
          clearTimeout(force);
          process.exit(0);
        }
      });
      // Each one closes its server, stops its timers and jobs and its database pool (server.ts).
      w.process.kill("SIGTERM");
    }
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  start(slots[0]);
}
