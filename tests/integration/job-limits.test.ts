import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import type { JobDefinition } from "../../jobs/define";
import { auditExportJob } from "../../jobs/definitions/audit-export";
import { studentRecordImportJob } from "../../jobs/definitions/student-record-import";
import { jobDefinitions } from "../../jobs/registry";
import {
  DEFAULT_JOB_LIMITS,
  enqueueJob,
  jobLimits,
  resetJobLimits,
  resumeInlineJobs,
  setJobLimits,
  waitForInlineIdle,
} from "../../jobs/runner";
import { resetEnvCache } from "../../app/utils/env.server";
import { orgId } from "../factories";

// every job ends: a time limit, a count of starts, and one running job per organisation in the in-process runner.

const real = jobDefinitions[studentRecordImportJob.id];
let calls = 0;
/** The import's handler replaced by one the test controls (the runner's permission check still applies). */
function importHandler(run: () => Promise<unknown>) {
  jobDefinitions[studentRecordImportJob.id] = {
    ...real,
    handler: async () => ({
      default: () => {
        calls++;
        return run();
      },
    }),
  } as JobDefinition<any>;
}

let siteA: number, siteB: number, adminA: string, adminB: string, sittingId: number;
beforeAll(async () => {
  [siteA, siteB] = await Promise.all([orgId("990101"), orgId("990102")]);
  const acc = (email: string) =>
    getDb().selectFrom("account").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  adminA = (await acc("site990101@example.com")).id;
  adminB = (await acc("site990102@example.com")).id;
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
});

afterEach(async () => {
  jobDefinitions[studentRecordImportJob.id] = real;
  setJobLimits(DEFAULT_JOB_LIMITS);
  calls = 0;
});

const importPayload = (siteId: number) => ({
  fileId: randomUUID(),
  kind: "xlsx" as const,
  siteId,
  overwrite: false,
  locale: "zh-CN" as const,
  actorName: "测试",
  ip: null,
});
const enqueueImport = (siteId: number, accountId: string) =>
  enqueueJob(studentRecordImportJob, importPayload(siteId), { accountId, orgId: siteId, sittingId });
const job = (id: string) => getDb().selectFrom("job").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

async function until(check: () => Promise<boolean>, ms = 10_000) {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("jobs that always end (X-2)", () => {
  it("X-2: a job that hangs is stopped at its time limit with a message, and the next jobs run", async () => {
    setJobLimits({ timeLimitMs: 400 });
    // The first two never settle (like exceljs's reader on corrupt deflate data) and hold both slots.
    importHandler(() => (calls <= 2 ? new Promise(() => {}) : Promise.resolve({ ok: true })));
    const hung = [await enqueueImport(siteA, adminA), await enqueueImport(siteB, adminB)];
    const after = await enqueueImport(siteA, adminA);
    await waitForInlineIdle();
    for (const id of hung)
      expect(await job(id)).toMatchObject({ status: "failed", error: "job.timed_out", attempts: 1 });
    expect((await job(after)).status).toBe("done");
  }, 20_000);

  it("X-2: a job that hung or crashed twice is failed at start-up, never started a third time", async () => {
    importHandler(async () => ({ ok: true }));
    const twice = await enqueueImport(siteA, adminA);
    const once = await enqueueImport(siteA, adminA);
    await waitForInlineIdle();
    // As a process that died under them leaves them: one twice, one once.
    await getDb()
      .updateTable("job")
      .set({ status: "running", attempts: 2, finished_at: null, result: null })
      .where("id", "=", twice)
      .execute();
    await getDb()
      .updateTable("job")
      .set({ status: "running", attempts: 1, finished_at: null, result: null })
      .where("id", "=", once)
      .execute();
    calls = 0;
    await resumeInlineJobs();
    await waitForInlineIdle();
    expect(await job(twice)).toMatchObject({ status: "failed", error: "job.gave_up", attempts: 2 });
    // The one interrupted once gets its second (and last) start.
    expect(await job(once)).toMatchObject({ status: "done", attempts: 2 });
    expect(calls).toBe(1);
  });

  it("X-2: one slow site cannot take every slot: its jobs run one at a time while other sites' jobs run", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    importHandler(async () => {
      await gate;
      return { ok: true };
    });
    const slow = [
      await enqueueImport(siteA, adminA),
      await enqueueImport(siteA, adminA),
      await enqueueImport(siteA, adminA),
    ];
    const other = await enqueueJob(
      auditExportJob,
      { scopeOrgId: siteB, sittingId: -1, locale: "zh-CN" },
      { accountId: adminB, orgId: siteB, sittingId: null },
    );
    await until(async () => (await job(other)).status === "done");
    const statuses = await Promise.all(slow.map(async (id) => (await job(id)).status));
    expect(statuses.filter((s) => s === "running")).toHaveLength(1);
    expect(statuses.filter((s) => s === "queued")).toHaveLength(2);
    release();
    await waitForInlineIdle();
    for (const id of slow) expect((await job(id)).status).toBe("done");
  }, 20_000);

  it("X-2: a site's job waits while another process (a Bull worker) runs one of the same site; it starts once that ends", async () => {
    importHandler(async () => ({ ok: true }));
    // As a worker elsewhere leaves it mid-run: the in-process queue knows nothing of it, the database does.
    const elsewhere = await enqueueImport(siteA, adminA);
    await waitForInlineIdle();
    await getDb()
      .updateTable("job")
      .set({ status: "running", started_at: new Date(), finished_at: null, attempts: 1 })
      .where("id", "=", elsewhere)
      .execute();
    calls = 0;
    const waiting = await enqueueImport(siteA, adminA);
    const other = await enqueueImport(siteB, adminB);
    await until(async () => (await job(other)).status === "done");
    await new Promise((r) => setTimeout(r, 300));
    expect(await job(waiting)).toMatchObject({ status: "queued", attempts: 0 });
    expect(calls).toBe(1);
    await getDb()
      .updateTable("job")
      .set({ status: "done", finished_at: new Date() })
      .where("id", "=", elsewhere)
      .execute();
    await waitForInlineIdle();
    expect(await job(waiting)).toMatchObject({ status: "done", attempts: 1 });
  }, 20_000);

  it("X-2: a job left running past its time limit (its process died) no longer holds its site back", async () => {
    setJobLimits({ timeLimitMs: 1_000 });
    importHandler(async () => ({ ok: true }));
    const dead = await enqueueImport(siteA, adminA);
    await waitForInlineIdle();
    await getDb()
      .updateTable("job")
      .set({ status: "running", started_at: new Date(Date.now() - 5 * 60_000), finished_at: null })
      .where("id", "=", dead)
      .execute();
    const next = await enqueueImport(siteA, adminA);
    await waitForInlineIdle();
    expect((await job(next)).status).toBe("done");
  }, 20_000);

  it("X-2: the time limit is configured by JOB_TIME_LIMIT_MINUTES", async () => {
    process.env.JOB_TIME_LIMIT_MINUTES = "7";
    resetEnvCache();
    try {
      resetJobLimits();
      expect(jobLimits().timeLimitMs).toBe(7 * 60_000);
    } finally {
      delete process.env.JOB_TIME_LIMIT_MINUTES;
      resetEnvCache();
      resetJobLimits();
    }
    expect(jobLimits().timeLimitMs).toBe(30 * 60_000);
  });
});
