import fs from "node:fs";
import { ensureBuilt, mb, ms, startServer, summary, tempDataDir, type RunningServer } from "./server";

const LOGIN = "site990101@example.com";
const PASSWORD = "Kaowu-demo-2026"; // db/seed.ts DEMO_PASSWORD
const TIME_LIMIT_MS = 180_000;

/**
 * Full logins (POST /login, argon2id verify, session row, audit entry, 302) one after another,
 * then authenticated GETs of /admin at a fixed concurrency. Only successful logins: failed ones
 * are throttled per client IP, and every request here comes from the same address.
 */
export async function login(
  opts: { server?: RunningServer; logins?: number; pages?: number; concurrency?: number } = {},
) {
  const logins = opts.logins ?? 50;
  const pages = opts.pages ?? 200;
  const concurrency = opts.concurrency ?? 10;
  let server = opts.server;
  let ownDir: string | undefined;
  if (!server) {
    await ensureBuilt();
    ownDir = tempDataDir();
    server = await startServer({ dataDir: ownDir });
  }
  const deadline = Date.now() + TIME_LIMIT_MS;
  const signal = () => AbortSignal.timeout(Math.max(1, Math.min(30_000, deadline - Date.now())));
  try {
    const base = server.url;
    let cookie = "";
    const loginTimes: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < logins; i++) {
      const t = performance.now();
      const res = await fetch(`${base}/login`, {
        method: "POST",
        redirect: "manual",
        signal: signal(),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
        body: new URLSearchParams({ login: LOGIN, password: PASSWORD, redirectTo: "" }),
      });
      await res.arrayBuffer();
      loginTimes.push(performance.now() - t);
      const set = res.headers.getSetCookie().find((c) => c.startsWith("kaowu_session="));
      if (res.status !== 302 || !set)
        throw new Error(`login ${i + 1}: expected 302 with a session cookie, got ${res.status}`);
      cookie = set.split(";")[0];
    }
    const loginWall = performance.now() - t0;

    const pageTimes: number[] = [];
    let next = 0;
    const t1 = performance.now();
    const worker = async () => {
      while (next < pages) {
        next++;
        const t = performance.now();
        const res = await fetch(`${base}/admin`, { redirect: "manual", signal: signal(), headers: { Cookie: cookie } });
        await res.arrayBuffer();
        pageTimes.push(performance.now() - t);
        if (res.status !== 200) throw new Error(`GET /admin: expected 200, got ${res.status}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const pageWall = performance.now() - t1;

    const l = summary(loginTimes);
    const p = summary(pageTimes);
    console.log(`login: ${server.url}, PGlite, NODE_ENV=production`);
    console.log(
      `  POST /login ×${logins}, sequential      p50 ${ms(l.p50).padStart(8)}  p95 ${ms(l.p95).padStart(8)}  ${(logins / (loginWall / 1000)).toFixed(1)} req/s`,
    );
    console.log(
      `  GET /admin ×${pages}, concurrency ${concurrency}   p50 ${ms(p.p50).padStart(8)}  p95 ${ms(p.p95).padStart(8)}  ${(pages / (pageWall / 1000)).toFixed(1)} req/s`,
    );
    console.log(`  server peak RSS since its start ${mb(server.peakRssKb())}`);
  } finally {
    await server.stop();
    if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true });
  }
}
