import { randomUUID } from "node:crypto";
import os from "node:os";
import type { z } from "zod";
import type Bull from "bull";
import type { Kysely } from "kysely";
import { getDb, getDbHandle } from "~db/client";
import type { DB } from "~db/schema";
import type { JobStatus } from "~db/tables/job";
import { getEnv } from "~/utils/env.server";
import { AppError, isAppError } from "~/domain/errors";
import { requireJobRequester } from "~/utils/permissions.server";
import type { JobContext, JobDefinition } from "./define";
import { jobDefinitions } from "./registry";
import { lockAdvisory } from "~db/queries/locks";
import { closeCoordination, coordination } from "./coordination";

// one runner for every job. With REDIS_URL the jobs go through Bull and `npm run worker`
// processes them; without it the same handlers run inside the web process. Bull stays behind this
// module so a move to BullMQ changes this file only.

export type RunnerMode = "inline" | "bull";
const QUEUE_NAME = "kaowu-jobs";
/** Bull retries a job whose organisation is busy, or whose database was away, after this long. */
const RETRY_DELAY_MS = 5_000;
/** How long enqueueJob waits for Redis before leaving the job to the worker's sweep (redispatchLostJobs). */
const DISPATCH_TIMEOUT_MS = 5_000;
const HEARTBEAT_EVERY_MS = 10_000;
const HEARTBEAT_TTL_S = 30;

/** Bull's options for every job: retried while its organisation is busy or the database away (runJob counts real starts). */
const BULL_JOB_OPTIONS: Bull.JobOptions = {
  attempts: 2_000,
  backoff: { type: "fixed", delay: RETRY_DELAY_MS },
  removeOnComplete: 1000,
  removeOnFail: 1000,
};

interface RunnerState {
  mode: RunnerMode;
  queue?: Bull.Queue;
  /** `takeOver`: the job may be started although the database says "running" (a process died under it). */
  inlineQueue: Array<{ id: string; orgId: number | null; takeOver: boolean }>;
  /** Every job this process has queued, deferred or running in-process (the lost-job sweep leaves them alone). */
  inlineKnown: Set<string>;
  inlineActive: number;
  inlineConcurrency: number;
  /** Organisations with a job running in-process: one at a time each, so a slow site cannot take every slot. */
  inlineBusyOrgs: Map<number, number>;
  /** Jobs waiting a moment because their organisation already has one running elsewhere (claimStart). */
  inlineDeferred: number;
  idleWaiters: Array<() => void>;
  limits: JobLimits;
  heartbeat?: NodeJS.Timeout;
  heartbeatKey?: string;
}

/** every job ends: within its time limit, and after at most this many starts. */
export interface JobLimits {
  timeLimitMs: number;
  maxAttempts: number;
}
export const DEFAULT_JOB_LIMITS: JobLimits = { timeLimitMs: 30 * 60_000, maxAttempts: 2 };

function configuredLimits(): JobLimits {
  return { ...DEFAULT_JOB_LIMITS, timeLimitMs: getEnv().JOB_TIME_LIMIT_MINUTES * 60_000 };
}

const KEY = Symbol.for("kaowu.jobs");
type G = typeof globalThis & { [KEY]?: RunnerState };

function state(): RunnerState {
  const g = globalThis as G;
  if (!g[KEY]) {
    g[KEY] = {
      mode: getEnv().REDIS_URL ? "bull" : "inline",
      inlineQueue: [],
      inlineKnown: new Set(),
      inlineActive: 0,
      inlineConcurrency: 2,
      inlineBusyOrgs: new Map(),
      inlineDeferred: 0,
      idleWaiters: [],
      limits: configuredLimits(),
    };
  }
  return g[KEY]!;
}

export function runnerMode(): RunnerMode {
  return state().mode;
}

/** The Redis key prefix of every queue (QUEUE_PREFIX): two installations on one Redis stay apart. */
export function queuePrefix(): string {
  return getEnv().QUEUE_PREFIX;
}

/**
 * A Bull queue with an error listener: Bull re-emits its Redis clients' errors on the queue, and an
 * "error" event nobody listens to ends the process. ioredis reconnects by itself; we only report it,
 * at most every 30 s.
 */
export async function createQueue(name: string, redisUrl = getEnv().REDIS_URL!): Promise<Bull.Queue> {
  const { default: BullCtor } = await import("bull");
  const q = new BullCtor(name, redisUrl, { prefix: queuePrefix(), defaultJobOptions: BULL_JOB_OPTIONS });
  let lastLog = 0;
  q.on("error", (e: unknown) => {
    const now = Date.now();
    if (now - lastLog < 30_000) return;
    lastLog = now;
    console.warn(
      `[kaowu] queue ${name}: ${e instanceof Error ? e.message : String(e)} (Redis: reconnecting by itself)`,
    );
  });
  return q;
}

async function getQueue(): Promise<Bull.Queue> {
  const s = state();
  s.queue ??= await createQueue(QUEUE_NAME);
  return s.queue;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
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
      id,
      type: def.id,
      payload: JSON.stringify(parsed),
      account_id: meta.accountId,
      org_id: meta.orgId,
      sitting_id: meta.sittingId,
    })
    .execute();
  await dispatch(id, def.id, meta.orgId);
  return id;
}

async function dispatch(id: string, type: string, orgId: number | null, takeOver = false) {
  const s = state();
  if (s.mode === "bull") {
    const q = await getQueue();
    // Redis away: the job stays "queued" in the database (its page says why) and the worker's sweep
    // hands it to the queue once Redis is back (redispatchLostJobs); the request is not held.
    await withTimeout(
      q.add(type, { jobId: id }, { ...BULL_JOB_OPTIONS, jobId: id }),
      DISPATCH_TIMEOUT_MS,
      "queue",
    ).catch((e: unknown) => {
      console.warn(
        `[kaowu] job ${type} ${id} stays queued until the queue answers: ${e instanceof Error ? e.message : String(e)}`,
      );
    });
  } else {
    if (s.inlineKnown.has(id)) return;
    s.inlineKnown.add(id);
    s.inlineQueue.push({ id, orgId, takeOver });
    setImmediate(pumpInline);
  }
}

function pumpInline() {
  const s = state();
  while (s.inlineActive < s.inlineConcurrency) {
    // The oldest job whose organisation has none running; the others wait their turn.
    const i = s.inlineQueue.findIndex((j) => j.orgId === null || !s.inlineBusyOrgs.has(j.orgId));
    if (i < 0) break;
    const { id, orgId, takeOver } = s.inlineQueue.splice(i, 1)[0];
    s.inlineActive++;
    if (orgId !== null) s.inlineBusyOrgs.set(orgId, (s.inlineBusyOrgs.get(orgId) ?? 0) + 1);
    runJob(id, { takeOver })
      .then((outcome) => {
        // Its organisation has a job running elsewhere: try again shortly, behind the others.
        if (outcome !== "deferred") {
          s.inlineKnown.delete(id);
          return;
        }
        s.inlineDeferred++;
        setTimeout(() => {
          s.inlineDeferred--;
          s.inlineQueue.push({ id, orgId, takeOver });
          pumpInline();
        }, RETRY_DELAY_MS / 5).unref();
      })
      .catch((e) => {
        s.inlineKnown.delete(id);
        console.error("job runner", e);
      })
      .finally(() => {
        s.inlineActive--;
        if (orgId !== null) {
          const n = (s.inlineBusyOrgs.get(orgId) ?? 1) - 1;
          if (n > 0) s.inlineBusyOrgs.set(orgId, n);
          else s.inlineBusyOrgs.delete(orgId);
        }
        if (inlineIdle(s)) s.idleWaiters.splice(0).forEach((f) => f());
        else pumpInline();
      });
  }
}

/** Tests: shorter limits. */
export function setJobLimits(limits: Partial<JobLimits>) {
  Object.assign(state().limits, limits);
}

export function jobLimits(): Readonly<JobLimits> {
  return state().limits;
}

/** Tests: the limits as configured (JOB_TIME_LIMIT_MINUTES). */
export function resetJobLimits() {
  state().limits = configuredLimits();
}

/** Tests and shutdown: resolves when the in-process runner has nothing left to do. */
function inlineIdle(s: RunnerState) {
  return s.inlineActive === 0 && s.inlineQueue.length === 0 && s.inlineDeferred === 0;
}

export function waitForInlineIdle(): Promise<void> {
  const s = state();
  if (inlineIdle(s)) return Promise.resolve();
  return new Promise((r) => s.idleWaiters.push(r));
}

/** The organisations a payload names (exports' scope, imports' site): checked against the requester's scope. */
function payloadOrgIds(payload: unknown): number[] {
  const p = (typeof payload === "string" ? JSON.parse(payload) : payload) as Record<string, unknown> | null;
  return [p?.scopeOrgId, p?.siteId].filter((x): x is number => typeof x === "number");
}

/**
 * marks the job started, unless another job of its organisation is running (in this process or
 * any worker): one at a time per organisation, so a slow site cannot take every slot. A job running
 * past its time limit (a process died under it) no longer counts.
 * Decision 0047: the mark is a conditional update of the row as it was read (same status, same count
 * of starts), so of several processes that read it at once exactly one starts it ("taken" for the others).
 */
async function claimStart(
  db: Kysely<DB>,
  row: { id: string; org_id: number | null; attempts: number; status: JobStatus },
  limits: JobLimits,
): Promise<"started" | "deferred" | "taken"> {
  const started = { status: "running", started_at: new Date(), progress: 0, attempts: row.attempts + 1 } as const;
  const claim = async (q: Kysely<DB>) => {
    const r = await q
      .updateTable("job")
      .set(started)
      .where("id", "=", row.id)
      .where("status", "=", row.status)
      .where("attempts", "=", row.attempts)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? ("started" as const) : ("taken" as const);
  };
  if (row.org_id === null) return claim(db);
  const orgId = row.org_id;
  return db.transaction().execute(async (trx) => {
    await lockAdvisory(trx, "jobsPerOrg", orgId);
    const busy = await trx
      .selectFrom("job")
      .select("id")
      .where("org_id", "=", orgId)
      .where("status", "=", "running")
      .where("id", "<>", row.id)
      .where("started_at", ">", new Date(Date.now() - limits.timeLimitMs - 60_000))
      .executeTakeFirst();
    if (busy) return "deferred";
    return claim(trx);
  });
}

/**
 * Runs one stored job by id: the same code path for both runners. "deferred" when its organisation
 * has another job running: the caller tries again later. `takeOver: false` (the in-process runner,
 * decision 0047): a job the database calls "running" is another process's, and left to it; Bull
 * hands a job to one worker at a time and redispatches only the lost, so it may take one over.
 */
export async function runJob(id: string, opts: { takeOver?: boolean } = {}): Promise<"deferred" | void> {
  const db = getDb();
  const row = await db.selectFrom("job").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row || row.status === "done" || row.status === "failed") return;
  if (row.status === "running" && opts.takeOver === false) return;
  const def = jobDefinitions[row.type];
  if (!def) {
    await db
      .updateTable("job")
      .set({ status: "failed", error: "job.unknown_type", finished_at: new Date() })
      .where("id", "=", id)
      .execute();
    return;
  }
  // ORG-2/ORG-4/ORG-11/ORG-7: whoever asked must still be allowed to, now (every handler, one place).
  try {
    await requireJobRequester(row, payloadOrgIds(row.payload));
  } catch (e) {
    await db
      .updateTable("job")
      .set({ status: "failed", error: isAppError(e) ? e.key : "job.failed", finished_at: new Date() })
      .where("id", "=", id)
      .execute();
    if (!isAppError(e)) console.error(`job ${row.type} ${id} refused`, e);
    return;
  }
  // a job that already started the allowed number of times (it hung, or the process died under
  // it) fails with a message instead of starting again.
  const { timeLimitMs, maxAttempts } = state().limits;
  if (row.attempts >= maxAttempts) {
    await db
      .updateTable("job")
      .set({ status: "failed", error: "job.gave_up", finished_at: new Date() })
      .where("id", "=", id)
      .execute();
    return;
  }
  const claimed = await claimStart(db, row, state().limits);
  if (claimed === "deferred") return "deferred";
  if (claimed === "taken") return;
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
    inflight = db
      .updateTable("job")
      .set({ progress: next.progress, ...(next.message !== undefined ? { message: next.message } : {}) })
      .where("id", "=", id)
      .where("status", "=", "running")
      .execute()
      .then(
        () => undefined,
        (e) => console.error("job progress", e),
      )
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
  timedOut.catch(() => {
    /* awaited through the race below; this keeps a limit hit before it from going unhandled */
  });
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
      pending = {
        progress: Math.max(0, Math.min(100, Math.round(percent))),
        message: message ? JSON.stringify(message) : undefined,
      };
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
    await db
      .updateTable("job")
      .set({ status: "done", progress: 100, result: JSON.stringify(result ?? null), finished_at: new Date() })
      .where("id", "=", id)
      .where("status", "=", "running")
      .execute();
  } catch (e) {
    const error = abort.signal.aborted ? "job.timed_out" : isAppError(e) ? e.key : "job.failed";
    if (!isAppError(e)) console.error(`job ${row.type} ${id} failed`, e);
    if (error === "job.timed_out")
      console.warn(`job ${row.type} ${id} stopped at its time limit (${Math.round(timeLimitMs / 1000)} s)`);
    // A handler stuck past its limit may never settle its progress writes: do not wait for them then.
    if (!abort.signal.aborted) await settled();
    await db
      .updateTable("job")
      .set({ status: "failed", error, finished_at: new Date() })
      .where("id", "=", id)
      .where("status", "=", "running")
      .execute();
  } finally {
    clearTimeout(timer);
  }
}

class OrganisationBusy extends Error {
  constructor() {
    super("another job of this organisation is running; tried again shortly");
  }
}

/** Bull worker: processes every job type from the shared queue, and says it is alive (workerCount). */
export async function startBullWorker(concurrency = 2) {
  const q = await getQueue();
  q.process("*", concurrency, async (job: Bull.Job<{ jobId: string }>) => {
    // Thrown, Bull tries the job again after RETRY_DELAY_MS: so does a database that is away.
    if ((await runJob(job.data.jobId)) === "deferred") throw new OrganisationBusy();
  });
  const s = state();
  const member = `${os.hostname()}:${process.pid}`;
  // One sorted set of workers scored by their last beat: counting the live ones is one ZCOUNT,
  // never a KEYS over the queue's keyspace. Members gone quiet are trimmed as others beat.
  const beat = () => {
    const now = Date.now();
    return q.client
      .multi()
      .zadd(workersKey(), now, member)
      .zremrangebyscore(workersKey(), 0, now - HEARTBEAT_TTL_S * 1000)
      .exec()
      .catch(() => {
        /* Redis away: the queue's error listener reports it */
      });
  };
  await beat();
  s.heartbeatKey = member;
  clearInterval(s.heartbeat);
  s.heartbeat = setInterval(beat, HEARTBEAT_EVERY_MS);
  s.heartbeat.unref();
  return q;
}

function workersKey() {
  return `${queuePrefix()}:${QUEUE_NAME}:workers`;
}

/** Bull: workers that beat in the last HEARTBEAT_TTL_S seconds. */
async function workerCount(q: Bull.Queue, timeoutMs: number): Promise<number> {
  return withTimeout(q.client.zcount(workersKey(), Date.now() - HEARTBEAT_TTL_S * 1000, "+inf"), timeoutMs, "redis");
}

export interface JobsHealth {
  mode: RunnerMode;
  ok: boolean;
  /** Bull: whether Redis answered. */
  redis?: "ok" | "down";
  /** Bull: workers that said they were alive in the last 30 s. */
  workers?: number;
  /** Seconds the oldest queued job has waited (null: none waiting). */
  oldestQueuedSeconds: number | null;
  problem?: "redis_down" | "no_worker";
}

/** Issue 13 item 1: whether jobs can run now: Redis answers and a worker is alive (Bull), and how long the queue has waited. */
export async function jobsHealth(opts: { timeoutMs?: number } = {}): Promise<JobsHealth> {
  const s = state();
  const oldest = await getDb()
    .selectFrom("job")
    .select((eb) => eb.fn.min("created_at").as("oldest"))
    .where("status", "=", "queued")
    .executeTakeFirst()
    .then(
      (r) => r?.oldest ?? null,
      () => null,
    );
  const oldestQueuedSeconds = oldest ? Math.max(0, Math.round((Date.now() - new Date(oldest).getTime()) / 1000)) : null;
  if (s.mode === "inline") return { mode: "inline", ok: true, oldestQueuedSeconds };
  const q = await getQueue();
  try {
    const workers = await workerCount(q, opts.timeoutMs ?? 1_000);
    return {
      mode: "bull",
      ok: workers > 0,
      redis: "ok",
      workers,
      oldestQueuedSeconds,
      ...(workers > 0 ? {} : { problem: "no_worker" as const }),
    };
  } catch {
    return { mode: "bull", ok: false, redis: "down", oldestQueuedSeconds, problem: "redis_down" };
  }
}

/**
 * Why a queued job has not started, for its progress bar: no worker alive, the queue unreachable,
 * or (after a while) waiting its turn behind earlier jobs.
 */
export async function jobWaitingReason(job: {
  status: string;
  created_at: Date | string;
}): Promise<"job.no_worker" | "job.queue_unavailable" | "job.waiting_turn" | null> {
  if (job.status !== "queued") return null;
  const waitedMs = Date.now() - new Date(job.created_at).getTime();
  if (state().mode === "bull") {
    // Polled by every open progress bar: Redis only, no database query.
    const workers = await workerCount(await getQueue(), 500).catch(() => null);
    if (workers === null) return "job.queue_unavailable";
    if (workers === 0) return "job.no_worker";
  }
  return waitedMs > 15_000 ? "job.waiting_turn" : null;
}

/**
 * Bull: hands the queue every job the database holds as queued (or running past its time limit) that
 * the queue has lost or finished: an enqueue made while Redis was away, a worker that died twice under
 * a job. Run by the worker's scheduler; runJob's start count ends anything that keeps failing.
 */
export async function redispatchLostJobs(): Promise<number> {
  if (state().mode !== "bull") return adoptLostInlineJobs();
  const q = await getQueue();
  const { timeLimitMs } = state().limits;
  const rows = await getDb()
    .selectFrom("job")
    .select(["id", "type"])
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "queued"), eb("created_at", "<", new Date(Date.now() - 60_000))]),
        eb.and([eb("status", "=", "running"), eb("started_at", "<", new Date(Date.now() - timeLimitMs - 120_000))]),
      ]),
    )
    .orderBy("created_at")
    .limit(500)
    .execute();
  let handed = 0;
  for (const r of rows) {
    const existing = await q.getJob(r.id);
    const st = existing ? await existing.getState() : null;
    if (st && st !== "completed" && st !== "failed") continue;
    if (existing) await existing.remove().catch(() => {});
    await q.add(r.type, { jobId: r.id }, { ...BULL_JOB_OPTIONS, jobId: r.id });
    handed++;
  }
  if (handed) console.warn(`[kaowu] jobs: handed ${handed} lost job(s) to the queue again`);
  return handed;
}

/**
 * Decision 0047, the in-process runner on PostgreSQL (several web processes may share the database):
 * jobs a dead process left behind are started here, by the process running the scheduled tasks. A job
 * still "running" past its time limit is one (a live process fails its own at the limit), and so is one
 * queued for over a minute that this process does not hold (enqueued by a process that died, or waiting
 * in a busier one: whichever claims it first runs it, claimStart lets one only). PGlite: one process, none.
 */
async function adoptLostInlineJobs(): Promise<number> {
  if (getDbHandle().kind !== "postgres") return 0;
  const s = state();
  const db = getDb();
  await db
    .updateTable("job")
    .set({ status: "queued" })
    .where("status", "=", "running")
    .where("started_at", "<", new Date(Date.now() - s.limits.timeLimitMs - 120_000))
    .execute();
  const rows = await db
    .selectFrom("job")
    .select(["id", "type", "org_id"])
    .where("status", "=", "queued")
    .where("created_at", "<", new Date(Date.now() - 60_000))
    .orderBy("created_at")
    .limit(500)
    .execute();
  const lost = rows.filter((r) => !s.inlineKnown.has(r.id));
  for (const r of lost) await dispatch(r.id, r.type, r.org_id);
  if (lost.length) console.warn(`[kaowu] jobs: took over ${lost.length} job(s) another web process left behind`);
  return lost.length;
}

/** In-process runner at start-up: picks up jobs a crash or restart left behind. */
export async function resumeInlineJobs() {
  if (state().mode !== "inline") return;
  const db = getDb();
  const coordinator = coordination();
  if (coordinator) {
    // Decision 0047: on PostgreSQL other web processes may be running jobs right now. Only a process
    // that starts while no other is up puts the jobs left "running" back in the queue (they were
    // interrupted; runJob counts their starts and fails them at the limit, X-2); every process then
    // picks up queued jobs, and the claim lets one process start each.
    await coordinator
      .join(async () => {
        await db.updateTable("job").set({ status: "queued" }).where("status", "=", "running").execute();
      })
      .catch((e: unknown) => {
        // Not knowing whether others are up, leave "running" jobs to the lost-job sweep; serve anyway.
        console.warn(`[kaowu] jobs: could not join the other web processes (${e instanceof Error ? e.message : e})`);
      });
    const rows = await db
      .selectFrom("job")
      .select(["id", "type", "org_id"])
      .where("status", "=", "queued")
      .orderBy("created_at")
      .execute();
    for (const r of rows) await dispatch(r.id, r.type, r.org_id);
    return;
  }
  // PGlite, one process: a job left "running" was interrupted; runJob counts its starts and fails it at the limit.
  const rows = await db
    .selectFrom("job")
    .select(["id", "type", "org_id", "status"])
    .where("status", "in", ["queued", "running"])
    .orderBy("created_at")
    .execute();
  for (const r of rows) await dispatch(r.id, r.type, r.org_id, r.status === "running");
}

export async function closeRunner() {
  const s = state();
  clearInterval(s.heartbeat);
  s.heartbeat = undefined;
  // A worker that stops says so at once, rather than 30 s later when its heartbeat expires.
  if (s.queue && s.heartbeatKey)
    await withTimeout(s.queue.client.zrem(workersKey(), s.heartbeatKey), 1_000, "redis").catch(() => {});
  s.heartbeatKey = undefined;
  if (s.queue) {
    const q = s.queue;
    s.queue = undefined;
    await closeQueue(q);
  }
  await closeCoordination();
}

/** Closing waits for Redis; with Redis away it would wait for ever. */
export async function closeQueue(q: Bull.Queue) {
  await withTimeout(q.close(), 5_000, "queue close").catch(() => q.close(true).catch(() => {}));
}

/** Tests switch runners between suites. */
export function setRunnerMode(mode: RunnerMode) {
  state().mode = mode;
}
