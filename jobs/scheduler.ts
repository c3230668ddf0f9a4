import { getEnv } from "~/utils/env.server";
import { coordination, type Coordinator } from "./coordination";
import { closeQueue, createQueue, redispatchLostJobs, runnerMode } from "./runner";

// Scheduled tasks (CAN-8's release of unpaid holds, CAN-7's reconciliation): a Bull repeatable job
// when REDIS_URL is set, run by `npm run worker`; an in-process timer in the web process otherwise.
// The same task function either way. Exactly one runner across processes (decision 0047): Bull keeps
// one repeatable job per task for all workers; without Redis every web process has the timers, and on
// PostgreSQL only the one holding the scheduler's advisory lock runs the tasks (jobs/coordination.ts);
// if it stops or dies, the next tick of another process takes the lock over. PGlite is one process.

interface ScheduledTask {
  name: string;
  everyMs: () => number;
  run: () => Promise<unknown>;
}

export const SCHEDULED_TASKS: ScheduledTask[] = [
  {
    name: "release-expired-holds",
    everyMs: () => getEnv().HOLD_SWEEP_SECONDS * 1000,
    run: async () => (await import("~/services/release-expired-holds.server")).releaseExpiredHolds(),
  },
  {
    // uploads past UPLOAD_RETENTION_DAYS whose job has ended (and any a crashed job left).
    name: "sweep-uploads",
    everyMs: () => 10 * 60_000,
    run: async () => (await import("~/services/discard-uploads.server")).sweepUploads(),
  },
  {
    // Bytes a dead process wrote and never recorded (a photo import cut off before its commit).
    name: "sweep-unrecorded-files",
    everyMs: () => 60 * 60_000,
    run: async () => (await import("~/utils/file-store.server")).sweepUnrecordedFiles(),
  },
  {
    // Issue 13 item 1: jobs enqueued while Redis was away, or lost with a dead worker; without Redis on
    // PostgreSQL (decision 0047), jobs a dead web process left behind.
    name: "redispatch-lost-jobs",
    everyMs: () => 60_000,
    run: () => redispatchLostJobs(),
  },
];

const QUEUE = "kaowu-schedule";
const KEY = Symbol.for("kaowu.scheduler");
type State = {
  timers: NodeJS.Timeout[];
  queue?: Awaited<ReturnType<typeof createQueue>>;
  running: Set<string>;
  /** In-process timers on PostgreSQL: runs a task only while this coordinator leads. */
  coordinator?: Coordinator;
};
type G = typeof globalThis & { [KEY]?: State };

function state(): State {
  const g = globalThis as G;
  g[KEY] ??= { timers: [], running: new Set() };
  return g[KEY]!;
}

async function runOnce(task: ScheduledTask) {
  const s = state();
  // A slow run is never overlapped by the next tick.
  if (s.running.has(task.name)) return;
  s.running.add(task.name);
  try {
    // Another web process holds the scheduler lock: it runs this tick.
    if (s.coordinator && !(await s.coordinator.lead())) return;
    await task.run();
  } catch (e) {
    console.error(`[scheduler] ${task.name}`, e);
  } finally {
    s.running.delete(task.name);
  }
}

/** Starts the scheduled tasks: in-process timers, or (bull) the repeatable jobs and their processor. */
export async function startScheduler(tasks: ScheduledTask[] = SCHEDULED_TASKS) {
  const s = state();
  if (runnerMode() === "bull") {
    s.queue ??= await createQueue(QUEUE);
    const q = s.queue;
    // Repeatable jobs are keyed by name and interval: stale intervals from an earlier start are removed.
    for (const r of await q.getRepeatableJobs()) {
      const t = tasks.find((x) => x.name === r.name);
      if (!t || Number(r.every) !== t.everyMs()) await q.removeRepeatableByKey(r.key);
    }
    for (const t of tasks) {
      q.process(t.name, 1, () => runOnce(t));
      await q.add(t.name, {}, { repeat: { every: t.everyMs() }, jobId: t.name });
    }
    return "bull" as const;
  }
  stopTimers();
  s.coordinator = coordination();
  for (const t of tasks) s.timers.push(setInterval(() => void runOnce(t), t.everyMs()).unref());
  return "inline" as const;
}

function stopTimers() {
  const s = state();
  s.timers.splice(0).forEach((t) => clearInterval(t));
}

export async function stopScheduler() {
  stopTimers();
  const s = state();
  // The lock goes at once, so another process's next tick runs the tasks.
  const coordinator = s.coordinator;
  s.coordinator = undefined;
  await coordinator?.resign();
  if (s.queue) {
    const q = s.queue;
    s.queue = undefined;
    await closeQueue(q);
  }
}
