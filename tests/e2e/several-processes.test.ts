import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createDb, getDb, setDbHandle, type DbHandle } from "../../db/client";
import { findSeatDrift } from "../../db/queries/invariants";
import { setCapacity } from "../../app/services/set-capacity.server";
import { requireAdmin } from "../../app/utils/auth.server";
import { resetEnvCache } from "../../app/utils/env.server";
import { DEMO_PASSWORD, makeRequest, newCandidate, orgId, residentId, sessionCookie } from "../factories";

// Decision 0047, issue 21 item 3: several web processes on one PostgreSQL database. Two servers
// (the built app, as `npm start` runs it) behind a small round-robin proxy started here, so every
// other request goes to the other process: sessions, the password throttle and seats hold across
// them, and the scheduled release of holds runs in one of them only. Then one server with
// WEB_CONCURRENCY=2: its primary restarts a web process that dies and stops them all on SIGTERM.
//
// Needs PostgreSQL: DATABASE_URL (any database of the server; a scratch database is created and
// dropped). `.ci/run` passes it; without it the file is skipped, except under CI where it fails.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ADMIN_URL = process.env.DATABASE_URL;
const HEALTH_TIMEOUT_MS = 90_000;
const SITE = "990101";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await sleep(200);
  }
}

function withDatabase(url: string, db: string) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

interface Server {
  name: string;
  port: number;
  proc: ChildProcess;
  log(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const servers: Server[] = [];

/** `npm start`'s server (node --import tsx server.ts, NODE_ENV=production) in its own process group, on `port`. */
async function startServer(name: string, port: number, env: Record<string, string | undefined>): Promise<Server> {
  const full: NodeJS.ProcessEnv = { ...process.env, ...env, NODE_ENV: "production", PORT: String(port) };
  delete full.REDIS_URL;
  delete full.VITEST;
  delete full.VITEST_WORKER_ID;
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete full[k];
  const proc = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: ROOT,
    env: full,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stdout!.on("data", (b: Buffer) => (log += b.toString()));
  proc.stderr!.on("data", (b: Buffer) => (log += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on("exit", (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const server: Server = { name, port, proc, log: () => log, exited };
  servers.push(server);
  await until(
    `${name}: GET /healthz answering 200`,
    async () => {
      if (gone) throw new Error(`${name} exited before it was ready:\n${log.slice(-3000)}`);
      const r = await fetch(`http://127.0.0.1:${port}/healthz?part=web`, { signal: AbortSignal.timeout(2_000) }).catch(
        () => null,
      );
      return r?.status === 200;
    },
    HEALTH_TIMEOUT_MS,
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n${log.slice(-3000)}`);
  });
  return server;
}

/** SIGTERM to the server's whole group (as a terminal's Ctrl-C or a container stop does), SIGKILL after 20 s. */
async function stopServer(s: Server) {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return s.exited;
  try {
    process.kill(-s.proc.pid!, "SIGTERM");
  } catch {
    /* gone */
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-s.proc.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
  }, 20_000);
  const r = await s.exited;
  clearTimeout(timer);
  return r;
}

process.once("exit", () => {
  for (const s of servers)
    try {
      process.kill(-s.proc.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
});

/** A few lines of node:http: each request goes to the next upstream in turn. */
function startProxy(upstreams: number[]) {
  let next = 0;
  const served = upstreams.map(() => 0);
  const server = http.createServer((req, res) => {
    const i = next++ % upstreams.length;
    served[i]++;
    const up = http.request(
      { host: "127.0.0.1", port: upstreams[i], method: req.method, path: req.url, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  return new Promise<{ url: string; served: number[]; close: () => Promise<void> }>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        served,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

interface Answer {
  status: number;
  location: string | null;
  cookie: string | null;
  retryAfter: number | null;
}

/** One request, not following redirects. */
async function send(base: string, pathname: string, opts: { cookie?: string; form?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { Accept: "text/html" };
  if (opts.cookie) headers.Cookie = opts.cookie;
  let body: string | undefined;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    headers.Origin = base;
  }
  const r = await fetch(base + pathname, {
    method: opts.form ? "POST" : "GET",
    headers,
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
  await r.arrayBuffer();
  const set = r.headers.getSetCookie().find((c) => c.startsWith("kaowu_session="));
  const ra = Number(r.headers.get("retry-after"));
  return {
    status: r.status,
    location: r.headers.get("location"),
    cookie: set ? set.split(";")[0] : null,
    retryAfter: Number.isFinite(ra) && r.headers.has("retry-after") ? ra : null,
  } satisfies Answer;
}

/**
 * A GET on a connection of its own (the cluster deals connections, not requests): its status, or 0
 * when no answer came within `timeoutMs`.
 */
function getOnNewConnection(base: string, pathname: string, cookie: string, timeoutMs = 60_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(base + pathname, { agent: false, headers: { Cookie: cookie, Accept: "text/html" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve(0);
    });
    req.on("error", reject);
  });
}

async function logIn(base: string, login: string) {
  const r = await send(base, "/login", { form: { login, password: DEMO_PASSWORD, redirectTo: "" } });
  expect(r.status, `log-in of ${login}`).toBe(302);
  expect(r.cookie).toBeTruthy();
  return r.cookie!;
}

describe.runIf(!!ADMIN_URL || !!process.env.CI)(
  "several web processes on one PostgreSQL database (decision 0047)",
  () => {
    let handle: DbHandle | undefined;
    let dbName = "";
    let dbUrl = "";
    let dataDir = "";
    let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
    let a: Server, b: Server;
    let site = 0;
    let sittingId = 0;
    let seq = 0;
    const simSecret = randomBytes(32).toString("hex");

    beforeAll(async () => {
      if (!ADMIN_URL)
        throw new Error("this test needs PostgreSQL: set DATABASE_URL (.ci/run passes its PostgreSQL URL)");
      if (!fs.existsSync(path.join(ROOT, "build/server/index.js")))
        throw new Error("build/server/index.js is missing: `npm run test:e2e` builds first (or run `npm run build`)");
      const pg = (await import("pg")).default;
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      dbName = `kaowu_procs_${randomBytes(6).toString("hex")}`;
      await admin.query(`create database ${dbName}`);
      await admin.end();
      dbUrl = withDatabase(ADMIN_URL, dbName);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-procs-"));

      const [pa, pb] = [await freePort(), await freePort()];
      proxy = await startProxy([pa, pb]);
      const env = {
        DATABASE_URL: dbUrl,
        DATA_DIR: dataDir,
        PUBLIC_URL: proxy.url,
        COOKIE_SECURE: "false",
        PAYMENT_PROVIDER: "simulated",
        MESSAGE_PROVIDER: "outbox",
        // Separate instances share the simulated gateway's key explicitly (the cluster's primary makes one).
        PAYMENT_SIM_SECRET: simSecret,
        HOLD_SWEEP_SECONDS: "5",
        PG_POOL_MAX: "8",
        WEB_CONCURRENCY: undefined,
      };
      // The first migrates and seeds the empty database; the second starts on it.
      a = await startServer("process A", pa, { ...env, SEED_ON_START: "true" });
      b = await startServer("process B", pb, { ...env, SEED_ON_START: "false" });

      // This test's own view of the same database (factories, checks), like a third process.
      process.env.DATA_DIR = dataDir;
      resetEnvCache();
      handle = await createDb({ databaseUrl: dbUrl, poolMax: 4 });
      setDbHandle(handle);
      site = await orgId(SITE);
      sittingId = (
        await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
      ).id;
    });

    afterAll(async () => {
      await proxy?.close();
      await Promise.all(servers.map(stopServer));
      await handle?.db.destroy();
      setDbHandle(undefined);
      if (dbName && ADMIN_URL) {
        const pg = (await import("pg")).default;
        const admin = new pg.Client({ connectionString: ADMIN_URL });
        await admin.connect();
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    /** A candidate with a session and an online registration at the site, without entries. */
    async function candidate(birth: string) {
      const c = await newCandidate("多进程");
      const reg = await getDb()
        .insertInto("registration")
        .values({
          sitting_id: sittingId,
          org_id: site,
          account_id: c.id,
          channel: "online",
          id_type: "1",
          id_number: residentId(birth, ++seq),
          name: "多进程",
          gender: "1",
          birth_date: birth,
          ethnicity: "01",
          education: "20",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { ...c, registrationId: reg.id };
    }

    const entriesOf = async (code: string) =>
      Number(
        (
          await getDb()
            .selectFrom("entry")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("sitting_id", "=", sittingId)
            .where("org_id", "=", site)
            .where("subject_code", "=", code)
            .executeTakeFirstOrThrow()
        ).n,
      );

    /** A candidate choosing one subject through the proxy; a busy answer (503) is tried again, as the busy page does. */
    async function choose(cookie: string, code: string): Promise<Answer> {
      for (let i = 0; ; i++) {
        const r = await send(proxy!.url, "/candidate/entries", { cookie, form: { subject: code } });
        if (r.status !== 503 || i >= 20) return r;
        await sleep(Math.min(1_000, (r.retryAfter ?? 1) * 1000) * Math.random());
      }
    }

    it("X-7: a session made by one process is accepted by the other; logging out in one ends it in both", async () => {
      const before = [...proxy!.served];
      const cookie = await logIn(proxy!.url, "site990101@example.com");
      for (let i = 0; i < 4; i++) {
        const r = await send(proxy!.url, "/admin", { cookie });
        expect(r.status, `GET /admin #${i + 1} (${r.location ?? ""})`).toBe(200);
      }
      // The proxy took turns: both processes served this session.
      expect(proxy!.served[0] - before[0]).toBeGreaterThanOrEqual(2);
      expect(proxy!.served[1] - before[1]).toBeGreaterThanOrEqual(2);
      expect((await send(proxy!.url, "/logout", { cookie, form: {} })).status).toBe(302);
      for (let i = 0; i < 2; i++) {
        const r = await send(proxy!.url, "/admin", { cookie });
        expect(r.status).toBe(302);
        expect(r.location).toMatch(/^\/login/);
      }
    });

    it("X-7: the password throttle counts every process's failures (it is kept in the database)", async () => {
      const wrong = { login: "city9901@example.com", password: "not-the-password", redirectTo: "" };
      // Three free failures for the pair (address, account), alternately in each process; then the wait
      // the third one set is kept by whichever process is asked next.
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push((await send(proxy!.url, "/login", { form: wrong })).status);
      expect(answers.slice(0, 3)).toEqual([401, 401, 401]);
      expect(answers.slice(3)).toContain(429);
    });

    it("CAN-4: candidates at the last seats through both processes at once take exactly those seats, counters equal rows", async () => {
      const adminCtx = await requireAdmin(
        makeRequest("/admin/setup", { cookie: await sessionCookie("site990101@example.com") }),
      );
      const rounds = [
        { code: "14", seats: 5, candidates: 40, birth: "1991-01-01" },
        { code: "15", seats: 3, candidates: 40, birth: "1991-01-02" },
      ];
      for (const round of rounds) {
        const taken = await entriesOf(round.code);
        await setCapacity(adminCtx, { total: 99_999, subjects: { [round.code]: taken + round.seats } });
        const people = [];
        for (let i = 0; i < round.candidates; i++) people.push(await candidate(round.birth));
        const before = [...proxy!.served];
        const answers = await Promise.all(people.map((p) => choose(p.cookie, round.code)));
        const saved = answers.filter((r) => r.status === 302 && r.location?.startsWith("/candidate/entries?saved=1"));
        expect(saved, `subject ${round.code}: ${JSON.stringify(answers.filter((r) => r.status >= 500))}`).toHaveLength(
          round.seats,
        );
        expect(answers.filter((r) => r.status >= 500)).toEqual([]);
        expect(await entriesOf(round.code)).toBe(taken + round.seats);
        expect(proxy!.served[0] - before[0]).toBeGreaterThan(0);
        expect(proxy!.served[1] - before[1]).toBeGreaterThan(0);
      }
      expect(await findSeatDrift(getDb())).toEqual([]);
    });

    it("CAN-8: with both processes running the scheduler, an expired hold is released exactly once", async () => {
      const adminCtx = await requireAdmin(
        makeRequest("/admin/setup", { cookie: await sessionCookie("site990101@example.com") }),
      );
      await setCapacity(adminCtx, { total: 99_999, subjects: { "14": (await entriesOf("14")) + 10 } });
      const c = await candidate("1991-01-03");
      const r = await choose(c.cookie, "14");
      expect(r.location).toMatch(/^\/candidate\/entries\?saved=1/);
      // The hold ran out a minute ago (as UNPAID_HOLD_MINUTES later would have it).
      const past = new Date(Date.now() - 60_000);
      await getDb()
        .updateTable("entry")
        .set({ hold_until: past })
        .where("registration_id", "=", c.registrationId)
        .execute();
      await getDb().updateTable("registration").set({ hold_until: past }).where("id", "=", c.registrationId).execute();
      await until(
        "the registration released",
        async () =>
          !(await getDb()
            .selectFrom("registration")
            .select("id")
            .where("id", "=", c.registrationId)
            .executeTakeFirst()),
        30_000,
      );
      // Both processes tick at least twice more (HOLD_SWEEP_SECONDS=5) before the audit log is counted.
      await sleep(11_000);
      const released = await getDb()
        .selectFrom("audit_log")
        .select(["action"])
        .where("entity_type", "=", "registration")
        .where("entity_id", "=", String(c.registrationId))
        .where("action", "in", ["entry.expired", "registration.expired"])
        .execute();
      expect(released).toEqual([{ action: "registration.expired" }]);
      expect(await findSeatDrift(getDb())).toEqual([]);
      // One of the two runs the scheduled tasks, the other never took the lock.
      const leaders = [a, b].filter((s) => /scheduled tasks: run by this process/.test(s.log()));
      expect(leaders.map((s) => s.name)).toHaveLength(1);
    }, 60_000);

    it("CAN-4: a process killed while candidates register through it leaves every counter equal to its rows", async () => {
      const adminCtx = await requireAdmin(
        makeRequest("/admin/setup", { cookie: await sessionCookie("site990101@example.com") }),
      );
      await setCapacity(adminCtx, { total: 99_999, subjects: { "24": (await entriesOf("24")) + 1_000 } });
      const people = [];
      for (let i = 0; i < 60; i++) people.push(await candidate("1991-01-04"));
      const before = proxy!.served[1];
      const answers = Promise.all(people.map((p) => choose(p.cookie, "24")));
      // Killed (no shutdown at all) once a few requests are on their way to it.
      await until("requests reaching process B", () => proxy!.served[1] - before >= 5, 30_000);
      process.kill(-b.proc.pid!, "SIGKILL");
      const done = await answers;
      expect((await b.exited).signal).toBe("SIGKILL");
      const saved = done.filter((r) => r.status === 302 && r.location?.startsWith("/candidate/entries?saved=1")).length;
      // Process A served its half; an entry B committed may have lost its answer, never the other way round.
      expect(saved).toBeGreaterThan(0);
      const rows = await getDb()
        .selectFrom("entry")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where(
          "registration_id",
          "in",
          people.map((p) => p.registrationId),
        )
        .executeTakeFirstOrThrow();
      expect(Number(rows.n)).toBeGreaterThanOrEqual(saved);
      expect(await findSeatDrift(getDb())).toEqual([]);
    }, 60_000);

    it("X-7: WEB_CONCURRENCY=2: the primary runs two web processes, replaces one that dies, and stops them on SIGTERM", async () => {
      // The separate server still up stops gracefully (its coordination connection and pool closed).
      await proxy!.close();
      proxy = undefined;
      expect(await stopServer(a)).toEqual({ code: 0, signal: null });

      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const c = await startServer("cluster", port, {
        DATABASE_URL: dbUrl,
        DATA_DIR: dataDir,
        PUBLIC_URL: base,
        COOKIE_SECURE: "false",
        PAYMENT_PROVIDER: "simulated",
        MESSAGE_PROVIDER: "outbox",
        PAYMENT_SIM_SECRET: undefined,
        HOLD_SWEEP_SECONDS: "5",
        PG_POOL_MAX: "8",
        SEED_ON_START: "true",
        WEB_CONCURRENCY: "2",
      });
      const listening = () =>
        [...c.log().matchAll(/listening on port \d+: \S+ \(web process (\d)\/2, pid (\d+)\)/g)].map((m) => ({
          slot: m[1],
          pid: Number(m[2]),
        }));
      await until("two web processes listening", () => listening().length >= 2, 60_000);
      expect(new Set(listening().map((l) => l.slot))).toEqual(new Set(["1", "2"]));
      // The session holds whichever process each new connection reaches.
      const cookie = await logIn(base, "site990101@example.com");
      for (let i = 0; i < 6; i++) expect(await getOnNewConnection(base, "/admin", cookie)).toBe(200);

      // Decision 0062: a web process that cannot take a connection (here stopped outright; in a rush,
      // busy) holds none. Node's round-robin handed it the next one and waited for it to answer.
      const stopped = listening()[0].pid;
      process.kill(stopped, "SIGSTOP");
      try {
        const statuses = await Promise.all(
          Array.from({ length: 6 }, () => getOnNewConnection(base, "/admin", cookie, 10_000)),
        );
        expect(statuses, "answers with one web process stopped (0: none in 10 s)").toEqual(Array(6).fill(200));
      } finally {
        process.kill(stopped, "SIGCONT");
      }

      const leaderPids = () =>
        [...c.log().matchAll(/scheduled tasks: run by this process \(pid (\d+)\)/g)].map((m) => Number(m[1]));
      const leader = await until("a web process running the scheduled tasks", () => leaderPids()[0], 30_000);
      expect(listening().map((l) => l.pid)).toContain(leader);

      // The process running the scheduled tasks dies: another takes them over, and the primary starts a new one.
      process.kill(leader, "SIGKILL");
      await until("the primary noticing", () => c.log().includes(`(pid ${leader}) ended (SIGKILL)`), 15_000);
      const next = await until("another web process taking the scheduled tasks over", () => leaderPids()[1], 30_000);
      expect(next).not.toBe(leader);
      await until("a new web process listening", () => listening().length >= 3, 60_000);
      for (let i = 0; i < 4; i++) expect(await getOnNewConnection(base, "/admin", cookie)).toBe(200);
      expect(leaderPids()).toHaveLength(2);

      // SIGTERM to the launcher only: it reaches the primary, which stops every web process gracefully.
      const workers = listening()
        .map((l) => l.pid)
        .filter((p) => p !== leader);
      process.kill(c.proc.pid!, "SIGTERM");
      const end = await Promise.race([c.exited, sleep(30_000).then(() => "timeout" as const)]);
      expect(end, c.log().slice(-2000)).toEqual({ code: 0, signal: null });
      expect(c.log()).toContain("SIGTERM: stopping the web processes");
      for (const pid of workers) expect(() => process.kill(pid, 0), `web process ${pid} still running`).toThrow();
      // Nothing of theirs is left on the database.
      const left = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
        and application_name = 'kaowu coordination'`.execute(getDb());
      expect(left.rows[0].n).toBe(0);
    }, 240_000);
  },
);
