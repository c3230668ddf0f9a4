import type { EntryContext } from "@remix-run/node";
import express from "express";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as healthRoute from "../../app/routes/healthz";
import { getDb, getDbHandle } from "../../db/client";
import {
  databaseDown,
  databaseOutageMiddleware,
  noteRequestError,
  outageContext,
  probeDatabase,
  requestHitOutage,
  resetDatabaseHealth,
  watchDatabase,
} from "../../app/utils/db-health.server";
import { localeCookie } from "../../app/utils/i18n.server";
import { makeRequest } from "../factories";
import { listenLocal } from "../factories/http";

// Issue 13 item 1: the web process outlives its database. A small express app with the outage
// middleware in front of a handler that queries the database the way a loader does: an error goes to
// noteRequestError (as Remix's handleError does) and the handler answers 500, which the middleware
// turns into 503 with Retry-After when the database was away.

let base = "";
let close: () => Promise<void>;
const logs: string[] = [];

beforeAll(async () => {
  watchDatabase({ probeEveryMs: 100, log: (m) => logs.push(m) });
  const app = express();
  app.use(databaseOutageMiddleware());
  app.get("/healthz", async (_req, res) => {
    const r = await healthRoute.loader({ request: makeRequest("/healthz?part=web"), params: {}, context: {} });
    res.status(r.status).json(await r.json());
  });
  app.all("*", async (req, res) => {
    try {
      const seconds = Number(req.query.sleep ?? 0);
      const r = await sql<{ n: number }>`select 1 as n, pg_sleep(${seconds})`.execute(getDb());
      res.status(200).type("text/plain").send(`ok ${r.rows[0].n}`);
    } catch (e) {
      noteRequestError(e, outageContext(res));
      res.status(500).type("text/plain").send("error page");
    }
  });
  ({ base, close } = await listenLocal(app));
});

afterAll(async () => {
  await close();
  resetDatabaseHealth();
});

afterEach(async () => {
  await vi.waitFor(() => expect(databaseDown()).toBe(false), { timeout: 10_000, interval: 100 });
});

const realProbe = () => getDbHandle().probe;

describe("a server that survives its database (issue 13 item 1)", () => {
  it("while the database is away: pages answer 503 with Retry-After in the user's language, /healthz says why; then it recovers by itself", async () => {
    const h = getDbHandle();
    const original = h.probe;
    let away = true;
    // PGlite cannot go away; PostgreSQL is made to by the next test. Here the probe says so.
    h.probe = async () => {
      if (away) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
      await original?.();
    };
    try {
      expect(await probeDatabase()).toBe(false);
      expect(databaseDown()).toBe(true);

      const page = await fetch(`${base}/candidate`, { headers: { accept: "text/html" } });
      expect(page.status).toBe(503);
      expect(page.headers.get("retry-after")).toBe("5");
      const html = await page.text();
      expect(html).toContain("系统暂时无法连接数据库");
      expect(html).toContain('http-equiv="refresh"');

      const en = await fetch(`${base}/candidate`, {
        headers: { accept: "text/html", cookie: await localeCookie.serialize("en") },
      });
      expect(await en.text()).toContain("The portal cannot reach its database at the moment");

      // A form sent while the database is away is kept and sent again by the page, not lost.
      const post = await fetch(`${base}/candidate/register`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "subject=15&intent=add",
      });
      expect(post.status).toBe(503);
      expect(await post.text()).toMatch(/name="subject" value="15"/);

      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ ok: false, problems: ["database_unavailable"] });

      away = false;
      await vi.waitFor(() => expect(databaseDown()).toBe(false), { timeout: 5_000, interval: 50 });
      expect((await fetch(`${base}/candidate`)).status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect(logs.some((m) => m.includes("reachable again"))).toBe(true);
    } finally {
      h.probe = original;
    }
  });

  it("a query that meets the database away answers 503 with a retry; any other failure stays 500", async () => {
    const app = express();
    app.use(databaseOutageMiddleware());
    app.get("/x", (req, res) => {
      noteRequestError(
        req.query.kind === "lost"
          ? Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })
          : new Error("a bug"),
        outageContext(res),
      );
      res.status(500).send("error");
    });
    const local = await listenLocal(app);
    try {
      const url = `${local.base}/x`;
      const lost = await fetch(`${url}?kind=lost`);
      expect(lost.status).toBe(503);
      expect(lost.headers.get("retry-after")).toBe("5");
      const bug = await fetch(`${url}?kind=bug`);
      expect(bug.status).toBe(500);
      expect(bug.headers.get("retry-after")).toBeNull();
    } finally {
      await local.close();
    }
  });

  it("a page whose loader met the database away: Remix's handleError marks that request through its load context, and its document is the retry page", async () => {
    const { handleError, default: handleRequest } = await import("../../app/entry.server");
    const lost = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    const app = express();
    app.use(databaseOutageMiddleware());
    app.get("/page", async (req, res) => {
      // As server.ts's getLoadContext builds it; Remix passes it to handleError and to handleRequest.
      const context = { cspNonce: "", ...outageContext(res) };
      if (req.query.kind !== "lost") {
        await new Promise((r) => setTimeout(r, 50)); // still running while the other request fails
        res.status(200).send(`marked: ${requestHitOutage(context)}`);
        return;
      }
      const request = makeRequest("/page");
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        handleError(lost, { request, context });
      } finally {
        errors.mockRestore();
      }
      const r = await handleRequest(request, 500, new Headers(), {} as EntryContext, context);
      r.headers.forEach((v, k) => res.setHeader(k, v));
      res.status(r.status).send(await r.text());
    });
    const local = await listenLocal(app);
    try {
      const [quiet, failed] = await Promise.all([
        fetch(`${local.base}/page?kind=ok`),
        fetch(`${local.base}/page?kind=lost`),
      ]);
      expect(failed.status).toBe(503);
      expect(failed.headers.get("retry-after")).toBe("5");
      expect(await failed.text()).toContain("暂时无法连接数据库");
      // Each request has its own flag: the one running beside it is not marked.
      expect(quiet.status).toBe(200);
      expect(await quiet.text()).toBe("marked: false");
    } finally {
      await local.close();
    }
  });

  describe.runIf(!!process.env.DATABASE_URL)("on PostgreSQL", () => {
    async function admin<T>(fn: (c: import("pg").Client) => Promise<T>): Promise<T> {
      const pg = (await import("pg")).default;
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      try {
        return await fn(c);
      } finally {
        await c.end();
      }
    }
    const dbName = async () => (await sql<{ d: string }>`select current_database() as d`.execute(getDb())).rows[0].d;
    const terminate = (c: import("pg").Client, name: string) =>
      c.query(
        "select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [name],
      );

    it("pg_terminate_backend under 100 requests in flight: every request gets an answer, the process keeps running, the pool reconnects", async () => {
      expect(realProbe()).toBeTypeOf("function");
      const name = await dbName();
      // Idle connections in the pool too: their "error" event used to end the process.
      await Promise.all(Array.from({ length: 10 }, () => sql`select 1`.execute(getDb())));
      const inflight = Array.from({ length: 100 }, (_, i) =>
        fetch(`${base}/x${i}?sleep=${i % 2 ? 2 : 0.5}`).then(
          (r) => r.status,
          () => 0,
        ),
      );
      await new Promise((r) => setTimeout(r, 250));
      const killed = await admin((c) => terminate(c, name));
      expect(killed.rows[0].n).toBeGreaterThan(0);
      const statuses = await Promise.all(inflight);
      // 0 would be a request with no answer (the process gone, or the connection cut).
      expect(statuses.filter((x) => x === 0)).toHaveLength(0);
      expect(statuses.every((x) => x === 200 || x === 503)).toBe(true);
      expect(statuses.filter((x) => x === 503).length).toBeGreaterThan(0);
      // The database never went away: the probe finds it, and the next requests are served.
      await vi.waitFor(async () => expect((await fetch(`${base}/after`)).status).toBe(200), {
        timeout: 10_000,
        interval: 100,
      });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    }, 30_000);

    it("a database that refuses connections for a while: 503 and /healthz 503 while it does, back to 200 by itself", async () => {
      const name = await dbName();
      await admin(async (c) => {
        await c.query(`alter database "${name}" allow_connections false`);
        await terminate(c, name);
      });
      try {
        await vi.waitFor(async () => expect((await fetch(`${base}/during`)).status).toBe(503), {
          timeout: 10_000,
          interval: 100,
        });
        // The request's own failure answers 503 at once; the probe that marks the database away may finish a moment later.
        await vi.waitFor(() => expect(databaseDown()).toBe(true), { timeout: 10_000, interval: 50 });
        const health = await fetch(`${base}/healthz`);
        expect(health.status).toBe(503);
        expect((await health.json()).problems).toEqual(["database_unavailable"]);
      } finally {
        await admin((c) => c.query(`alter database "${name}" allow_connections true`));
      }
      await vi.waitFor(() => expect(databaseDown()).toBe(false), { timeout: 10_000, interval: 100 });
      expect((await fetch(`${base}/after`)).status).toBe(200);
      expect(logs.some((m) => m.includes("connection lost") || m.includes("unreachable"))).toBe(true);
    }, 30_000);
  });
});
