import cluster from "node:cluster";
import path from "node:path";
import express from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { boot, shutdown } from "./app/boot.server";
import { isCrossOriginMutation } from "./app/utils/origin";
import { createRushLimiter, rushMiddleware } from "./app/utils/rush.server";
import { getEnv } from "./app/utils/env.server";
import { databaseOutageMiddleware, outageContext } from "./app/utils/db-health.server";
import { directAction, isDirectPost } from "./app/utils/direct-action.server";
import { SAVE_URL } from "./app/utils/entries-form";
import { getPaymentProvider } from "./app/payments/index.server";
import {
  cspNonce,
  hostCheck,
  noStoreForPersonalPaths,
  nonceOf,
  securityHeaders,
} from "./app/utils/security-headers.server";
import { closeRunner, runnerMode } from "./jobs/runner";
import { startScheduler, stopScheduler } from "./jobs/scheduler";
import { runPrimary, WEB_PROCESS_ENV } from "./app/cluster.server";

// getEnv refuses to start a production server without PAYMENT_PROVIDER; an unknown name fails here too,
// and so does WEB_CONCURRENCY above 1 without PostgreSQL.
const env = getEnv();
const production = env.NODE_ENV === "production";

// Decision 0047: with WEB_CONCURRENCY > 1 (PostgreSQL only) this process forks the web processes and
// serves nothing itself; each of them runs serve() below. Vite's dev server is one process.
if (cluster.isPrimary && env.webProcesses > 1 && production) runPrimary({ processes: env.webProcesses });
else {
  if (env.webProcesses > 1 && !production)
    console.log(`[kaowu] WEB_CONCURRENCY=${env.WEB_CONCURRENCY}: one process in development (Vite's dev server)`);
  await serve();
}

async function serve() {
  const payments = getPaymentProvider();
  console.log(
    payments.name === "simulated"
      ? "[kaowu] payments: simulated gateway: DEMO, no money moves (PAYMENT_PROVIDER=simulated)"
      : `[kaowu] payments: ${payments.name}`,
  );
  console.log(
    `[kaowu] public address: ${env.publicOrigin}${env.PUBLIC_URL ? "" : " (PUBLIC_URL not set: this server's own address)"}`,
  );
  const info = await boot();
  console.log(
    `[kaowu] database: ${info.db} · jobs: ${info.jobs} · ${info.seeded ? "demo data seeded · " : ""}ready in ${info.ms} ms`,
  );
  // CAN-8: with Bull the worker runs the scheduled tasks; in-process they run here.
  if (runnerMode() === "inline") await startScheduler();

  const vite = production
    ? undefined
    : // Vite's own Host check would refuse PUBLIC_URL's host and /healthz probes: hostCheck below does the job.
      await import("vite").then((v) => v.createServer({ server: { middlewareMode: true, allowedHosts: true } }));

  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy, req.ip comes from X-Forwarded-For for this many trusted hops.
  if (env.TRUST_PROXY > 0) app.set("trust proxy", env.TRUST_PROXY);
  // Item 7: only the portal's own Host (PUBLIC_URL) is served; behind a proxy, the proxy passes it on.
  app.use(hostCheck({ publicUrl: env.PUBLIC_URL, port: env.PORT }));
  app.use(cspNonce);
  app.use(securityHeaders({ production, https: env.publicOrigin.startsWith("https:"), dev: !production }));
  app.use(noStoreForPersonalPaths);
  // Decision 0066: the entries save's answers (a redirect, a line of JSON) are below compression's
  // 1 kB threshold, so its per-request set-up is skipped there.
  const compress = compression();
  app.use((req, res, next) => (isDirectPost(req, SAVE_URL) ? next() : compress(req, res, next)));
  app.use((req, res, next) => {
    // The client's address for throttling and the audit log; never taken from the request itself.
    req.headers["x-kaowu-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "";
    if (isCrossOriginMutation(req.method, req.headers.host, req.headers.origin, req.headers.referer)) {
      res.status(403).type("text/plain; charset=utf-8").send("跨站请求被拒绝 / Cross-origin request refused");
      return;
    }
    next();
  });

  // X-7: bounded concurrency for the registration pages, ahead of Vite, static files and Remix. Only
  // registration paths are counted (never Vite's modules, assets, admin pages or payment notifications).
  if (env.RUSH_MAX_ACTIVE > 0) {
    const rush = createRushLimiter({
      maxActive: env.RUSH_MAX_ACTIVE,
      maxQueue: env.RUSH_MAX_QUEUE,
      queueTimeoutMs: env.RUSH_QUEUE_TIMEOUT_MS,
    });
    app.use(rushMiddleware(rush, { log: (m) => console.warn(m) }));
  }
  console.log(
    env.RUSH_MAX_ACTIVE > 0
      ? `[kaowu] registration rush limit: ${env.RUSH_MAX_ACTIVE} at once · ${env.RUSH_MAX_QUEUE} waiting · ${env.RUSH_QUEUE_TIMEOUT_MS} ms wait`
      : "[kaowu] registration rush limit: off",
  );

  if (vite) {
    app.use(vite.middlewares);
  } else {
    app.use("/assets", express.static(path.resolve("build/client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.resolve("build/client"), { maxAge: "1h" }));
  }

  const build = vite
    ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
    : ((await import(path.resolve("build/server/index.js"))) as ServerBuild);

  // Issue 13 item 1: while the database is away, pages answer 503 with a retry at once (/healthz says why).
  app.use(databaseOutageMiddleware());
  const getLoadContext = (_req: express.Request, res: express.Response) => ({
    cspNonce: nonceOf(res),
    ...outageContext(res),
  });
  // Decision 0063: the entries form's script save, the registration rush's one hot post, skips Remix's
  // request handler (the same action, called as Remix calls a resource route). Vite's dev server
  // rebuilds the module on every request, so development keeps Remix's handler.
  if (typeof build !== "function")
    app.use(
      directAction({
        build,
        routeId: "routes/candidate.entries.save",
        path: SAVE_URL,
        maxBodyBytes: 64 * 1024,
        getLoadContext,
      }),
    );
  app.all("*", createRequestHandler({ build, mode: env.NODE_ENV, getLoadContext }));

  const webProcess = process.env[WEB_PROCESS_ENV];
  const server = app.listen(env.PORT, () => {
    console.log(
      `[kaowu] listening on port ${env.PORT}: ${env.publicOrigin}${webProcess ? ` (web process ${webProcess}, pid ${process.pid})` : ""}`,
    );
  });

  let stopping = false;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      // Under the cluster a Ctrl-C reaches this process and the primary, which passes SIGTERM on: once is enough.
      if (stopping) return;
      stopping = true;
      server.close();
      void stopScheduler()
        .then(closeRunner)
        .finally(() => shutdown().finally(() => process.exit(0)));
    });
  }
}
