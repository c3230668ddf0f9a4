import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as healthRoute from "../../app/routes/healthz";
import { resetEnvCache } from "../../app/utils/env.server";
import { getDb } from "../../db/client";
import { auditExportJob } from "../../jobs/definitions/audit-export";
import {
  closeRunner,
  createQueue,
  enqueueJob,
  jobsHealth,
  jobWaitingReason,
  redispatchLostJobs,
  setRunnerMode,
  startBullWorker,
} from "../../jobs/runner";
import { makeRequest, orgId, run } from "../factories";

// Issue 13 item 1, the job side: Redis away and back, no worker, and two installations on one Redis.

let site: number, adminId: string, sittingId: number;
const savedRedis = process.env.REDIS_URL;

beforeAll(async () => {
  site = await orgId("990101");
  adminId = (
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

afterEach(async () => {
  await closeRunner();
  setRunnerMode("inline");
  if (savedRedis === undefined) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = savedRedis;
  resetEnvCache();
});

const enqueueExport = () =>
  enqueueJob(
    auditExportJob,
    { scopeOrgId: site, sittingId, locale: "en" },
    { accountId: adminId, orgId: site, sittingId: null },
  );
const job = (id: string) => getDb().selectFrom("job").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const health = async () => run(() => healthRoute.loader({ request: makeRequest("/healthz"), params: {}, context: {} }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

describe("jobs when Redis or the worker is missing (issue 13 item 1)", () => {
  it("Redis unreachable: the request is not held, the job waits saying why, /healthz says redis_down, the process keeps running", async () => {
    process.env.REDIS_URL = `redis://127.0.0.1:${await freePort()}`;
    resetEnvCache();
    setRunnerMode("bull");
    const t0 = Date.now();
    const id = await enqueueExport();
    expect(Date.now() - t0).toBeLessThan(9_000);
    expect((await job(id)).status).toBe("queued");
    expect(await jobWaitingReason(await job(id))).toBe("job.queue_unavailable");
    const h = await health();
    expect(h.status).toBe(503);
    expect(h.data).toMatchObject({ ok: false, jobs: "bull", redis: "down", problems: ["redis_down"] });
  }, 30_000);

  describe.runIf(!!savedRedis)("on Redis", () => {
    it("no worker: /healthz 503 no_worker and the progress bar says so; a worker of another installation (another QUEUE_PREFIX) does not take the job; ours does", async () => {
      setRunnerMode("bull");
      const ours = process.env.QUEUE_PREFIX!;
      const id = await enqueueExport();
      expect((await job(id)).status).toBe("queued");
      expect(await jobWaitingReason(await job(id))).toBe("job.no_worker");
      const h = await health();
      expect(h.status).toBe(503);
      expect(h.data).toMatchObject({ ok: false, redis: "ok", workers: 0, problems: ["no_worker"] });

      // Another installation on the same Redis, processing every job of its own queue of the same name.
      process.env.QUEUE_PREFIX = `kaowu-other-${randomUUID().slice(0, 8)}`;
      resetEnvCache();
      const other = await createQueue("kaowu-jobs");
      const taken: string[] = [];
      void other.process("*", 1, async (j) => {
        taken.push(String(j.id));
      });
      process.env.QUEUE_PREFIX = ours;
      resetEnvCache();
      try {
        await new Promise((r) => setTimeout(r, 1_500));
        expect(taken).toEqual([]);
        expect((await job(id)).status).toBe("queued");
        expect(await other.client.keys(`${ours}:kaowu-jobs:${id}`)).toHaveLength(1);
      } finally {
        await other.obliterate({ force: true }).catch(() => {});
        await other.close();
      }

      // The queue loses the job (an enqueue while Redis was away, a flushed Redis): the sweep hands it over again, once.
      const mine = await createQueue("kaowu-jobs");
      try {
        await (await mine.getJob(id))!.remove();
        expect(await redispatchLostJobs()).toBe(0); // queued for less than a minute: not lost yet
        await getDb()
          .updateTable("job")
          .set({ created_at: new Date(Date.now() - 5 * 60_000) })
          .where("id", "=", id)
          .execute();
        expect(await redispatchLostJobs()).toBe(1);
        expect(await redispatchLostJobs()).toBe(0);
        expect(await mine.getJob(id)).not.toBeNull();
      } finally {
        await mine.close();
      }

      await startBullWorker(1);
      await vi.waitFor(async () => expect((await job(id)).status).toBe("done"), { timeout: 15_000, interval: 100 });
      expect((await jobsHealth()).workers).toBe(1);
      expect((await health()).status).toBe(200);
      // A worker that stops says so at once.
      await closeRunner();
      expect(await jobsHealth()).toMatchObject({ workers: 0, problem: "no_worker" });
    }, 40_000);

    const redisServer = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((p) => fs.existsSync(p));
    it.runIf(!!redisServer)(
      "Redis goes away and comes back: the worker survives, a job enqueued meanwhile waits and then runs",
      async () => {
        const port = await freePort();
        const startRedis = async () => {
          const p = spawn(
            redisServer!,
            ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            { stdio: "ignore" },
          );
          const up = () =>
            new Promise<boolean>((resolve) => {
              const c = net.connect(port, "127.0.0.1", () => {
                c.end();
                resolve(true);
              });
              c.on("error", () => resolve(false));
            });
          await vi.waitFor(async () => expect(await up()).toBe(true), { timeout: 10_000, interval: 50 });
          return p;
        };
        let redis: ChildProcess | undefined = await startRedis();
        try {
          process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
          resetEnvCache();
          setRunnerMode("bull");
          await startBullWorker(1);
          const first = await enqueueExport();
          await vi.waitFor(async () => expect((await job(first)).status).toBe("done"), {
            timeout: 15_000,
            interval: 100,
          });

          redis.kill("SIGKILL");
          redis = undefined;
          const meanwhile = await enqueueExport();
          expect((await job(meanwhile)).status).toBe("queued");
          expect((await jobsHealth()).problem).toBe("redis_down");

          // Back, empty (it kept nothing on disk): the clients reconnect by themselves. The enqueue that timed
          // out may still reach Redis from ioredis's offline queue; if it did not, the worker's sweep hands
          // the job over (the scheduler runs it every minute; here at once, as if the job were older).
          redis = await startRedis();
          await vi.waitFor(async () => expect((await jobsHealth()).redis).toBe("ok"), {
            timeout: 15_000,
            interval: 200,
          });
          await getDb()
            .updateTable("job")
            .set({ created_at: new Date(Date.now() - 5 * 60_000) })
            .where("id", "=", meanwhile)
            .where("status", "=", "queued")
            .execute();
          expect([0, 1]).toContain(await redispatchLostJobs());
          await vi.waitFor(async () => expect((await job(meanwhile)).status).toBe("done"), {
            timeout: 20_000,
            interval: 100,
          });
          // And it is not handed over twice.
          expect(await redispatchLostJobs()).toBe(0);
        } finally {
          await closeRunner();
          redis?.kill("SIGKILL");
        }
      },
      60_000,
    );
  });
});
