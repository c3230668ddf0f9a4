import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type Bull from "bull";
import { getDb } from "~db/client";
import { AppError, isAppError } from "~/domain/errors";
import { requireJobRequester } from "~/utils/permissions.server";
import type { JobContext, JobDefinition } from "./define";
import { jobDefinitions } from "./registry";

// one runner for every job. With REDIS_URL the jobs go through Bull and `npm run worker`
// processes them; without it the same handlers run inside the web process. Bull stays behind this
// module so a move to BullMQ changes this file only.

export type RunnerMode = "inline" | "bull";
const QUEUE_NAME = "kaowu-jobs";

interface RunnerState {
  mode: RunnerMode;
  queue?: Bull.Queue;
  inlineQueue: Array<{ id: string; orgId: number | null }>;
  inlineActive: number;
  inlineConcurrency: number;
  /** Organisations with a job running in-process: one at a time each, so a slow site cannot take every slot. */
  inlineBusyOrgs: Map<number, number>;
  idleWaiters: Array<() => void>;
  limits: JobLimits;
}

/** every job ends: within its time limit, and after at most this many starts. */
export interface JobLimits {
  timeLimitMs: number;
  maxAttempts: number;
}
export const DEFAULT_JOB_LIMITS: JobLimits = { timeLimitMs: 30 * 60_000, maxAttempts: 2 };

const KEY = Symbol.for("kaowu.jobs");
type G = typeof globalThis & { [KEY]?: RunnerState };

function state(): RunnerState {
  const g = globalThis as G;
  if (!g[KEY]) {
    g[KEY] = {
      mode: process.env.REDIS_URL ? "bull" : "inline", inlineQueue: [], inlineActive: 0, inlineConcurrency: 2, inlineBusyOrgs: new Map(), idleWaiters: [],
      limits: { ...DEFAULT_JOB_LIMITS },
    };
  }
  return g[KEY]!;
}

export function runnerMode(): RunnerMode {
  return state().mode;
}

async function getQueue(): Promise<Bull.Queue> {
  const s = state();
  if (!s.queue) {
    const { default: BullCtor } = await import("bull");
    s.queue = new BullCtor(QUEUE_NAME, process.env.REDIS_URL!, {
      defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 1000, attempts: 1 },
    });
  }
  return s.queue;
}

export interface JobMeta {
  accountId: string | null;
  orgId: number | null;
  sittingId: number | null;
}

/** Stores the job, then hands it to the runner. Call it after the transaction that asked for it commits. */
export async function enqueueJob<S extends z.ZodTypeAny>(def: JobDefinition<S>, payload: z.input<S>, meta: JobMeta) {
  const parsed = def.payload.parse(payload);
  const id = randomUUID();
  await getDb()
    .insertInto("job")
    .values({
      id, type: def.id, payload: JSON.stringify(parsed), account_id: meta.accountId, org_id: meta.orgId, sitting_id: meta.sittingId,
    })
    .execute();
  await dispatch(id, def.id, meta.orgId);
  return id;
}

async function dispatch(id: string, type: string, orgId: number | null) {
  const s = state();
  if (s.mode === "bull") {
    const q = await getQueue();
    await q.add(type, { jobId: id }, { jobId: id });
  } else {
    s.inlineQueue.push({ id, orgId });
    setImmediate(pumpInline);
  }
}

function pumpInline() {
  const s = state();
  while (s.inlineActive < s.inlineConcurrency) {
    // The oldest job whose organisation has none running; the others wait their turn.
    const i = s.inlineQueue.findIndex((j) => j.orgId === null || !s.inlineBusyOrgs.has(j.orgId));
    if (i < 0) break;
    const { id, orgId } = s.inlineQueue.splice(i, 1)[0];
    s.inlineActive++;
    if (orgId !== null) s.inlineBusyOrgs.set(orgId, (s.inlineBusyOrgs.get(orgId) ?? 0) + 1);
    runJob(id)
      .catch((e) => console.error("job runner", e))
      .finally(() => {
        s.inlineActive--;
        if (orgId !== null) {
          const n = (s.inlineBusyOrgs.get(orgId) ?? 1) - 1;
          if (n > 0) s.inlineBusyOrgs.set(orgId, n);
          else s.inlineBusyOrgs.delete(orgId);
        }
        if (s.inlineActive === 0 && s.inlineQueue.length === 0) s.idleWaiters.splice(0).forEach((f) => f());
        else pumpInline();
      });
  }
}

/** Tests: shorter limits. */
export function setJobLimits(limits: Partial<JobLimits>) {
  Object.assign(state().limits, limits);
}

/** Tests and shutdown: resolves when the in-process runner has nothing left to do. */
export function waitForInlineIdle(): Promise<void> {
  const s = state();
  if (s.inlineActive === 0 && s.inlineQueue.length === 0) return Promise.resolve();
  return new Promise((r) => s.idleWaiters.push(r));
}

/** The organisations a payload names (exports' scope, imports' site): checked against the requester's scope. */
function payloadOrgIds(payload: unknown): number[] {
  const p = (typeof payload === "string" ? JSON.parse(payload) : payload) as Record<string, unknown> | null;
  return [p?.scopeOrgId, p?.siteId].filter((x): x is number => typeof x === "number");
}

/** Runs one stored job by id: the same code path for both runners. */
export async function runJob(id: string): Promise<void> {
  const db = getDb();
  const row = await db.selectFrom("job").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row || row.status === "done" || row.status === "failed") return;
  const def = jobDefinitions[row.type];
  if (!def) {
    await db.updateTable("job").set({ status: "failed", error: "job.unknown_type", finished_at: new Date() }).where("id", "=", id).execute();
    return;
  }
  // ORG-2/ORG-4/ORG-11/ORG-7: whoever asked must still be allowed to, now (every handler, one place).
  try {
    await requireJobRequester(row, payloadOrgIds(row.payload));
  } catch (e) {
    await db.updateTable("job").set({ status: "failed", error: isAppError(e) ? e.key : "job.failed", finished_at: new Date() }).where("id", "=", id).execute();
    if (!isAppError(e)) console.error(`job ${row.type} ${id} refused`, e);
    return;
  }
  // a job that already started the allowed number of times (it hung, or the process died under
  // it) fails with a message instead of starting again.
  const { timeLimitMs, maxAttempts } = state().limits;
  if (row.attempts >= maxAttempts) {
    await db.updateTable("job").set({ status: "failed", error: "job.gave_up", finished_at: new Date() }).where("id", "=", id).execute();
    return;
  }
  await db.updateTable("job").set({ status: "running", started_at: new Date(), progress: 0, attempts: row.attempts + 1 }).where("id", "=", id).execute();
  let lastWrite = 0;
  // Progress is written in the background, never awaited by the handler: a handler reporting from
  // inside its own transaction would otherwise wait for PGlite's single connection, which that
  // transaction holds. One write at a time; the latest value wins.
  let inflight: Promise<void> = Promise.resolve();
  let pending: { progress: number; message?: string } | null = null;
  let writing = false;
  const flush = () => {
    if (writing || !pending) return;
    const next = pending;
    pending = null;
    writing = true;
    inflight = db.updateTable("job")
      .set({ progress: next.progress, ...(next.message !== undefined ? { message: next.message } : {}) })
      .where("id", "=", id).where("status", "=", "running").execute()
      .then(() => undefined, (e) => console.error("job progress", e))
      .finally(() => {
        writing = false;
        flush();
      });
  };
  // the time limit. The handler is told through `signal` (and its next progress report throws);
  // the job is failed and its slot freed at the limit whether or not the handler notices.
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new AppError("job.timed_out"));
    }, timeLimitMs);
  });
  timedOut.catch(() => { /* awaited through the race below; this keeps a limit hit before it from going unhandled */ });
  const ctx: JobContext = {
    jobId: id,
    signal: abort.signal,
    accountId: row.account_id,
    orgId: row.org_id,
    sittingId: row.sitting_id,
    async progress(percent, message) {
      if (abort.signal.aborted) throw new AppError("job.timed_out");
      const now = Date.now();
      // Progress is polled by the browser; a write every 250 ms is plenty.
      if (now - lastWrite < 250 && percent < 100) return;
      lastWrite = now;
      pending = { progress: Math.max(0, Math.min(100, Math.round(percent))), message };
      flush();
    },
  };
  const settled = async () => {
    while (writing || pending) await inflight;
  };
  try {
    const payload = def.payload.parse(row.payload);
    const { default: handler } = await def.handler();
    const result = await Promise.race([handler(payload, ctx), timedOut]);
    await settled();
    await db.updateTable("job")
      .set({ status: "done", progress: 100, result: JSON.stringify(result ?? null), finished_at: new Date() })
      .where("id", "=", id).where("status", "=", "running").execute();
  } catch (e) {
    const error = abort.signal.aborted ? "job.timed_out" : isAppError(e) ? e.key : "job.failed";
    if (!isAppError(e)) console.error(`job ${row.type} ${id} failed`, e);
    if (error === "job.timed_out") console.warn(`job ${row.type} ${id} stopped at its time limit (${Math.round(timeLimitMs / 1000)} s)`);
    // A handler stuck past its limit may never settle its progress writes: do not wait for them then.
    if (!abort.signal.aborted) await settled();
    await db.updateTable("job").set({ status: "failed", error, finished_at: new Date() }).where("id", "=", id).where("status", "=", "running").execute();
  } finally {
    clearTimeout(timer);
  }
}

/** Bull worker: processes every job type from the shared queue. */
export async function startBullWorker(concurrency = 2) {
  const q = await getQueue();
  q.process("*", concurrency, async (job: Bull.Job<{ jobId: string }>) => {
    await runJob(job.data.jobId);
  });
  return q;
}

/** In-process runner at start-up: picks up jobs a crash or restart left behind. */
export async function resumeInlineJobs() {
  if (state().mode !== "inline") return;
  // A job left "running" was interrupted; runJob counts its starts and fails it at the limit.
  const rows = await getDb().selectFrom("job").select(["id", "type", "org_id"]).where("status", "in", ["queued", "running"]).orderBy("created_at").execute();
  for (const r of rows) await dispatch(r.id, r.type, r.org_id);
}

export async function closeRunner() {
  const s = state();
  if (s.queue) {
    await s.queue.close();
    s.queue = undefined;
  }
}

/** Tests switch runners between suites. */
export function setRunnerMode(mode: RunnerMode) {
  state().mode = mode;
}
