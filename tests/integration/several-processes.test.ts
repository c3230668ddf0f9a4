import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { getDb, getDbHandle } from "../../db/client";
import type { JobDefinition } from "../../jobs/define";
import { studentRecordImportJob } from "../../jobs/definitions/student-record-import";
import { jobDefinitions } from "../../jobs/registry";
import { redispatchLostJobs, runJob, waitForInlineIdle } from "../../jobs/runner";
import { startScheduler, stopScheduler } from "../../jobs/scheduler";
import { Coordinator, sameServer } from "../../jobs/coordination";
import { ADVISORY_LOCK } from "../../db/queries/locks";
import { orgId } from "../factories";

// Decision 0047: what several web processes share. Jobs are claimed by a conditional update (any
// database); on PostgreSQL the scheduled tasks have one runner and only a process starting alone takes
// over interrupted jobs. Each Coordinator here has its own connection: it stands for one web process.
// The whole servers behind a proxy: tests/e2e/several-processes.test.ts.

const onPostgres = !!process.env.DATABASE_URL;
const real = jobDefinitions[studentRecordImportJob.id];
let calls = 0;

let site: number, admin: string, sittingId: number;
beforeAll(async () => {
  site = await orgId("990101");
  admin = (
    await getDb()
      .selectFrom("account")
      .select("id")
      .where("email", "=", "site990101@example.com")
      .executeTakeFirstOrThrow()
  ).id;
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
});

const made: string[] = [];
afterEach(async () => {
  jobDefinitions[studentRecordImportJob.id] = real;
  calls = 0;
  await stopScheduler();
  await waitForInlineIdle();
  // A job left "running" would hold its site back in the next test (one job per organisation).
  if (made.length) await getDb().deleteFrom("job").where("id", "in", made.splice(0)).execute();
});

/** The import's handler replaced by a counting one that takes `ms`. */
function countingHandler(ms = 50) {
  jobDefinitions[studentRecordImportJob.id] = {
    ...real,
    handler: async () => ({
      default: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, ms));
        return { ok: true };
      },
    }),
  } as JobDefinition<any>;
}

/** A job row as another process leaves it (no process here has it in memory). */
async function storedJob(values: { status?: "queued" | "running"; attempts?: number; ageMs?: number } = {}) {
  const id = randomUUID();
  const at = new Date(Date.now() - (values.ageMs ?? 0));
  await getDb()
    .insertInto("job")
    .values({
      id,
      type: studentRecordImportJob.id,
      payload: JSON.stringify({
        fileId: randomUUID(),
        kind: "xlsx",
        siteId: site,
        overwrite: false,
        locale: "zh-CN",
        actorName: "测试",
        ip: null,
      }),
      account_id: admin,
      org_id: site,
      sitting_id: sittingId,
      status: values.status ?? "queued",
      attempts: values.attempts ?? 0,
      created_at: at,
      started_at: values.status === "running" ? at : null,
    })
    .execute();
  made.push(id);
  return id;
}

const job = (id: string) => getDb().selectFrom("job").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** The database the pool is on, as a URL for a connection of its own. */
async function ownConnectionUrl() {
  const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(getDb());
  return sameServer(process.env.DATABASE_URL!, rows[0].db);
}

const coordinators: Coordinator[] = [];
function anotherProcess() {
  const c = new Coordinator(ownConnectionUrl, () => {});
  coordinators.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(coordinators.splice(0).map((c) => c.close()));
});

describe("jobs with several web processes (X-2, decision 0047)", () => {
  it("X-2: a job two processes read at the same moment is started by one of them only", async () => {
    countingHandler();
    const id = await storedJob();
    // Both read the row as queued before either marks it started.
    await Promise.all([runJob(id, { takeOver: false }), runJob(id, { takeOver: false })]);
    expect(calls).toBe(1);
    expect(await job(id)).toMatchObject({ status: "done", attempts: 1 });
  });

  it("X-2: the in-process runner leaves a job another process is running alone", async () => {
    countingHandler();
    const id = await storedJob({ status: "running", attempts: 1 });
    await runJob(id, { takeOver: false });
    expect(calls).toBe(0);
    expect(await job(id)).toMatchObject({ status: "running", attempts: 1 });
  });

  it("X-2: a job taken over after a crash is started once even if two ask at once", async () => {
    countingHandler();
    const id = await storedJob({ status: "running", attempts: 1 });
    await Promise.all([runJob(id), runJob(id)]);
    expect(calls).toBe(1);
    expect(await job(id)).toMatchObject({ status: "done", attempts: 2 });
  });

  it.runIf(onPostgres)(
    "X-2: jobs a dead web process left behind (queued, or running past the time limit) are started by the sweep, once",
    async () => {
      countingHandler();
      const queued = await storedJob({ ageMs: 5 * 60_000 });
      const running = await storedJob({ status: "running", attempts: 1, ageMs: 2 * 60 * 60_000 });
      const fresh = await storedJob();
      expect(await redispatchLostJobs()).toBe(2);
      await waitForInlineIdle();
      expect(await job(queued)).toMatchObject({ status: "done", attempts: 1 });
      expect(await job(running)).toMatchObject({ status: "done", attempts: 2 });
      // Queued a moment ago: its own process will start it.
      expect(await job(fresh)).toMatchObject({ status: "queued", attempts: 0 });
      expect(calls).toBe(2);
      expect(await redispatchLostJobs()).toBe(0);
    },
  );

  it.runIf(!onPostgres)("X-2: with PGlite (one process) the sweep leaves in-process jobs alone", async () => {
    await storedJob({ ageMs: 5 * 60_000 });
    expect(await redispatchLostJobs()).toBe(0);
  });
});

describe.runIf(onPostgres)("one runner of the scheduled tasks across processes (CAN-8, decision 0047)", () => {
  it("CAN-8: of several processes exactly one runs the scheduled tasks; when it stops another takes over", async () => {
    expect(getDbHandle().kind).toBe("postgres");
    const [a, b, c] = [anotherProcess(), anotherProcess(), anotherProcess()];
    for (let round = 0; round < 5; round++) {
      const leads = await Promise.all([a.lead(), b.lead(), c.lead()]);
      expect(leads.filter(Boolean)).toHaveLength(1);
    }
    const leader = [a, b, c].find((x) => x.isLeader)!;
    const others = [a, b, c].filter((x) => x !== leader);
    await leader.close();
    const next = await Promise.all(others.map((x) => x.lead()));
    expect(next.filter(Boolean)).toHaveLength(1);
    // Resigning (the scheduler stops) hands over too.
    const second = others.find((x) => x.isLeader)!;
    await second.resign();
    expect(await others.find((x) => x !== second)!.lead()).toBe(true);
  });

  it("CAN-8: a process whose connection is cut loses the lock, and another takes it at its next tick", async () => {
    const [a, b] = [anotherProcess(), anotherProcess()];
    expect(await a.lead()).toBe(true);
    expect(await b.lead()).toBe(false);
    // As a network cut or a killed process does: PostgreSQL ends the session and its locks.
    await sql`select pg_terminate_backend(pid) from pg_locks
              where locktype = 'advisory' and classid = ${ADVISORY_LOCK.scheduler} and objid = 0 and granted
                and database = (select oid from pg_database where datname = current_database())`.execute(getDb());
    await new Promise((r) => setTimeout(r, 200));
    expect(await b.lead()).toBe(true);
    expect(await a.lead()).toBe(false);
    expect(a.isLeader).toBe(false);
  });

  it("CAN-8: this process's scheduler runs no tick while another process holds the lock, and runs them once it is free", async () => {
    const other = anotherProcess();
    expect(await other.lead()).toBe(true);
    let runs = 0;
    await startScheduler([{ name: "count", everyMs: () => 50, run: async () => void runs++ }]);
    await new Promise((r) => setTimeout(r, 400));
    expect(runs).toBe(0);
    await other.close();
    const until = Date.now() + 5_000;
    while (runs === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(runs).toBeGreaterThan(0);
    await stopScheduler();
    // Stopped, it lets go at once: another process leads.
    expect(await anotherProcess().lead()).toBe(true);
  });

  it("X-2: only a process that starts while no other is up takes over the jobs left running", async () => {
    const seen: string[] = [];
    const [a, b] = [anotherProcess(), anotherProcess()];
    expect(await a.join(async () => void seen.push("a"))).toBe(true);
    expect(await b.join(async () => void seen.push("b"))).toBe(false);
    await a.close();
    // b is still up: a process starting now is not alone.
    expect(await anotherProcess().join(async () => void seen.push("c"))).toBe(false);
    await Promise.all(coordinators.map((c) => c.close()));
    expect(await anotherProcess().join(async () => void seen.push("d"))).toBe(true);
    expect(seen).toEqual(["a", "d"]);
  });
});
