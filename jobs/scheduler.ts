import { getEnv } from "~/utils/env.server";
import { closeQueue, createQueue, redispatchLostJobs, runnerMode } from "./runner";

// Scheduled tasks (CAN-8's release of unpaid holds, CAN-7's reconciliation): a Bull repeatable job
// when REDIS_URL is set, run by `npm run worker`; an in-process timer in the web process otherwise.
// The same task function either way.

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
    // Issue 13 item 1 (Bull only): jobs enqueued while Redis was away, or lost with a dead worker.
    name: "redispatch-lost-jobs",
    everyMs: () => 60_000,
    run: () => redispatchLostJobs(),
  },
];

const QUEUE = "kaowu-schedule";
const KEY = Symbol.for("kaowu.scheduler");
type State = { timers: NodeJS.Timeout[]; queue?: Awaited<ReturnType<typeof createQueue>>; running: Set<string> };
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
  if (s.queue) {
    const q = s.queue;
    s.queue = undefined;
    await closeQueue(q);
  }
}
