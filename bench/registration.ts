import { execFile, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { idCheckCharacter } from "../app/domain/id-number";
import { postgresCpuSeconds } from "./child";
import { ensureBuilt, mb, percentile, startServer, tempDataDir, type RunningServer } from "./server";

// npm run bench -- registration
//
// X-7 / CAN-4: registration throughput on opening day. Concurrent candidates send the entries form as
// the page's script does, POST /candidate/entries/save (one new entry each: `subject=14`, 302 →
// /candidate/entries?saved=1; BENCH_REG_WAY=page posts it to the page, as without JavaScript), to
// the built server on PostgreSQL, at 50, 200 and 500 at once, with one web process and with one per
// core; next to it, in the same run and on the same database, pgbench sending the app's own
// statements for a new entry (decision 0060: the unlocked read, the checked write on the sharded
// counters) with as many clients (capped below max_connections), and the locked transaction on
// single-row counters they replaced.
// Then the cost of a "full" answer, as the page's post and as its script's.
// Targets (issue 21): at 200 concurrent ≥ 500 entries/s, ≥ 50 % of pgbench and p99 < 500 ms.
// Benchmarks print figures; they never assert timings.
//
// DATABASE_URL             the PostgreSQL server to create the scratch database kaowu_bench_reg on
//                          (any database of it; default postgres://postgres@127.0.0.1:5432/postgres)
// BENCH_REG_LEVELS         concurrency levels (default 50,200,500)
// BENCH_REG_SECONDS        measured seconds per level (default 10), after BENCH_REG_WARMUP (default 2)
// BENCH_REG_CANDIDATES     candidate accounts (default 20000; reused at every level, entries reset)
// BENCH_REG_PROCESSES      web processes to run the levels with (default "1,<cores>": WEB_CONCURRENCY)
// PG_POOL_MAX, RUSH_MAX_ACTIVE, RUSH_MAX_QUEUE, RUSH_QUEUE_TIMEOUT_MS   passed on to the server
//                          (defaults: pool 20, the server's own rush defaults)
// BENCH_REG_FOLLOW=1       X-7 (decision 0048): after each 302 also GET its Location as a browser does
//                          (with the cookies the 302 set) and count "winners shown busy": saved
//                          entries whose confirmation page came back 503. Off by default, so that
//                          entries/s and CPU per entry stay comparable with earlier runs.
// BENCH_REG_WAY=page       the measured entries posted to the page itself (POST /candidate/entries), not
//                          to its script's route (before 2026-12-07 the benchmark measured this way)
// BENCH_REG_PRECONNECT=0   open each candidate's connection with its first entry, not before the
//                          level (see `preconnect`)
// BENCH_REG_CLIENT=http    send the measured entries with node's HTTP client, not the lean one
//                          (`LeanConnection`; before 2026-12-07 the benchmark measured this way)
// BENCH_REG_COMPARE=<checkout> | pgbench   instead of the table: this checkout against another's
//                          server, or against pgbench, in alternating bursts at one level
//                          (BENCH_REG_ROUNDS, default 8; see `compareBench`)

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const DB_NAME = "kaowu_bench_reg";
const SITE = "990101";
const SUBJECT = "14";
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 500;
const TARGET_PER_SECOND = 500;
const TARGET_AT = 200;
const REQUEST_TIMEOUT_MS = 30_000;

const intEnv = (name: string, dflt: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : dflt;
};

// The scratch database is dropped even when the run is interrupted (Ctrl-C, an error).
let scratch: { adminUrl: string } | null = null;
process.on("exit", () => {
  if (!scratch) return;
  // Synchronous: nothing asynchronous runs in an exit handler.
  spawnSync("psql", [scratch.adminUrl, "-X", "-q", "-c", `DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`], {
    timeout: 15_000,
    stdio: "ignore",
  });
});

/** `url` with its database replaced. */
function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

interface Candidate {
  cookie: string;
}

interface Prepared {
  sittingId: number;
  siteId: number;
  candidates: Candidate[];
  /** Registration ids of the candidates: rMin … rMin + count − 1 (checked contiguous). */
  rMin: number;
}

/** A valid mainland resident ID (GB 11643 check digit), as tests/factories residentId makes them; male. */
function residentId(birth: string, seq: number): string {
  const order = (seq % 499) * 2 + 1;
  const first17 = `110101${birth.replace(/-/g, "")}${String(order).padStart(3, "0")}`;
  return first17 + idCheckCharacter(first17);
}

/**
 * Unlimited seats at 990101, and `n` candidate accounts, each with a session and an online
 * registration there without entries, inserted in bulk.
 */
async function prepare(db: pg.Client, n: number): Promise<Prepared> {
  const ids = await db.query<{ sitting_id: number; site_id: number }>(
    `select s.id as sitting_id, o.id as site_id from sitting s, org o where s.is_current and o.code = $1`,
    [SITE],
  );
  if (ids.rows.length !== 1)
    throw new Error(`demo site ${SITE} or the current sitting not found (was the database seeded?)`);
  const { sitting_id: sittingId, site_id: siteId } = ids.rows[0];
  await db.query(
    `update site_setting set total_capacity = 99999, max_entries = 3 where sitting_id = $1 and org_id = $2`,
    [sittingId, siteId],
  );
  await db.query(`update site_subject set capacity = 99999 where sitting_id = $1 and org_id = $2`, [sittingId, siteId]);

  const candidates: Candidate[] = [];
  let rMin = Infinity;
  let rMax = -Infinity;
  const CHUNK = 10_000;
  const day0 = Date.UTC(1990, 0, 1);
  for (let from = 0; from < n; from += CHUNK) {
    const size = Math.min(CHUNK, n - from);
    const accountIds: string[] = [];
    const emails: string[] = [];
    const names: string[] = [];
    const sessionIds: string[] = [];
    const idNumbers: string[] = [];
    const births: string[] = [];
    for (let k = 0; k < size; k++) {
      const i = from + k;
      // 499 distinct IDs per birth date: the date moves on every 499 candidates.
      const birth = new Date(day0 + Math.floor(i / 499) * 86_400_000).toISOString().slice(0, 10);
      accountIds.push(randomUUID());
      emails.push(`bench-reg-${i}@example.com`);
      names.push(`压测考生${i}`);
      const sid = randomBytes(20).toString("hex");
      sessionIds.push(sid);
      idNumbers.push(residentId(birth, i));
      births.push(birth);
      candidates.push({ cookie: `kaowu_session=${sid}` });
    }
    await db.query("begin");
    await db.query(
      `insert into account (id, email, mobile, name, password_hash, role)
       select id, email, null, name, 'x', 'candidate' from unnest($1::text[], $2::text[], $3::text[]) as t(id, email, name)`,
      [accountIds, emails, names],
    );
    // 12 h ahead, as lucia makes them: far from the half-way point where it would extend them.
    await db.query(
      `insert into session (id, account_id, expires_at, sitting_id)
       select sid, aid, now() + interval '12 hours', null from unnest($1::text[], $2::text[]) as t(sid, aid)`,
      [sessionIds, accountIds],
    );
    const regs = await db.query<{ lo: number; hi: number; n: number }>(
      `with ins as (
         insert into registration (sitting_id, org_id, account_id, channel, id_type, id_number, name, gender, birth_date, ethnicity, education)
         select $1, $2, aid, 'online', '1', idn, name, '1', birth, '01', '20'
         from unnest($3::text[], $4::text[], $5::text[], $6::date[]) with ordinality as t(aid, idn, name, birth, ord)
         order by ord
         returning id)
       select min(id)::int as lo, max(id)::int as hi, count(*)::int as n from ins`,
      [sittingId, siteId, accountIds, idNumbers, names, births],
    );
    await db.query("commit");
    rMin = Math.min(rMin, regs.rows[0].lo);
    rMax = Math.max(rMax, regs.rows[0].hi);
  }
  if (rMax - rMin + 1 !== n)
    throw new Error(`bench registrations are not numbered contiguously (${rMin}…${rMax} for ${n})`);
  await db.query("analyze account, session, registration");
  return { sittingId, siteId, candidates, rMin };
}

/** No entries, nothing taken: every level (and pgbench) starts from the same state. */
async function reset(db: pg.Client, p: Prepared) {
  // The exam-day tables that point at entries (attendance, violations, scores) are empty here too.
  await db.query("truncate entry cascade");
  await db.query(`update seat_shard set taken = 0 where sitting_id = $1 and org_id = $2`, [p.sittingId, p.siteId]);
  await resetSingleCounters(db, p);
  await db.query("vacuum analyze entry, seat_shard, bench_single_counter, registration, audit_log");
  await db.query("checkpoint");
}

async function counts(db: pg.Client, p: Prepared) {
  const r = await db.query<{ entries: number; total_taken: number; taken: number }>(
    `select (select count(*)::int from entry where org_id = $2) as entries,
            (select total_taken from site_setting where sitting_id = $1 and org_id = $2) as total_taken,
            (select taken from site_subject where sitting_id = $1 and org_id = $2 and subject_code = $3) as taken`,
    [p.sittingId, p.siteId, SUBJECT],
  );
  return r.rows[0];
}

/**
 * CPU seconds (user + system) used so far by `pid` and its descendants (the tsx launcher runs the
 * server in a child node process); null off Linux. Assumes the usual 100 clock ticks a second.
 */
function treeCpuSeconds(pid: number): number | null {
  try {
    const stats = new Map<number, { ppid: number; ticks: number }>();
    for (const d of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        stats.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
      } catch {
        /* exited meanwhile */
      }
    }
    let ticks = 0;
    const todo = [pid];
    while (todo.length) {
      const p = todo.pop()!;
      ticks += stats.get(p)?.ticks ?? 0;
      for (const [child, s] of stats) if (s.ppid === p) todo.push(child);
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The application under load

interface Reply {
  status: number;
  location: string | null;
  retryAfter: number | null;
  body: string;
  /** The whole body's length in bytes (`body` keeps the first 64 kB). */
  bytes?: number;
  error?: string;
  /** `name=value` of each Set-Cookie (BENCH_REG_FOLLOW: sent back on the redirect's GET). */
  setCookies?: string[];
}

function post(
  agent: http.Agent,
  base: URL,
  pathname: string,
  cookie: string,
  body: string,
  accept = "text/html",
): Promise<Reply> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path: pathname,
        method: "POST",
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": Buffer.byteLength(body),
          Cookie: cookie,
          Origin: base.origin,
          Accept: accept,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          // Only error pages are read for their message; keep the first few kB.
          if (size < 64 * 1024) chunks.push(c);
          size += c.length;
        });
        res.on("end", () => {
          const ra = Number(res.headers["retry-after"]);
          resolve({
            status: res.statusCode ?? 0,
            location: typeof res.headers.location === "string" ? res.headers.location : null,
            retryAfter: Number.isFinite(ra) ? ra : null,
            body: res.statusCode === 302 ? "" : Buffer.concat(chunks).toString("utf8"),
            bytes: size,
            setCookies: (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]),
          });
        });
        res.on("error", (e) => resolve({ status: 0, location: null, retryAfter: null, body: "", error: e.message }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", (e) => resolve({ status: 0, location: null, retryAfter: null, body: "", error: e.message }));
    req.end(body);
  });
}

/**
 * The measured entries' client: one kept-alive socket per simulated candidate, the request written as
 * one string and the answer read with a parser of what this server sends (a status line, headers, a
 * body of Content-Length or chunked). pgbench's client is C; node's own HTTP client spent 0.3–0.6 ms
 * of this machine's CPU per entry, a fifth to a third of the server's, on the same two cores. BENCH_REG_CLIENT=http
 * measures with node's client instead.
 */
class LeanConnection {
  private socket: net.Socket | null = null;
  private buf: Buffer = Buffer.alloc(0);
  private pending: { resolve: (r: Reply) => void; timer: NodeJS.Timeout } | null = null;

  constructor(private readonly base: URL) {}

  /** Opens the socket (the level's connections are opened before it starts). */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.base.hostname, port: Number(this.base.port), noDelay: true });
      socket.once("connect", () => resolve());
      socket.once("error", reject);
      socket.on("data", (c: Buffer) => this.onData(c));
      socket.on("close", () => {
        this.socket = null;
        this.finish({ status: 0, location: null, retryAfter: null, body: "", error: "connection closed" });
      });
      socket.on("error", () => {});
      this.socket = socket;
    });
  }

  async post(pathname: string, cookie: string, body: string, accept: string): Promise<Reply> {
    if (!this.socket) await this.connect().catch(() => {});
    if (!this.socket) return { status: 0, location: null, retryAfter: null, body: "", error: "cannot connect" };
    return new Promise<Reply>((resolve) => {
      const timer = setTimeout(() => {
        this.finish({
          status: 0,
          location: null,
          retryAfter: null,
          body: "",
          error: `no answer in ${REQUEST_TIMEOUT_MS} ms`,
        });
        this.socket?.destroy();
      }, REQUEST_TIMEOUT_MS);
      this.pending = { resolve, timer };
      this.buf = Buffer.alloc(0);
      this.socket!.write(
        `POST ${pathname} HTTP/1.1\r\nHost: ${this.base.host}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nCookie: ${cookie}\r\nOrigin: ${this.base.origin}\r\n` +
          `Accept: ${accept}\r\nConnection: keep-alive\r\n\r\n${body}`,
      );
    });
  }

  close() {
    this.socket?.destroy();
  }

  private finish(r: Reply) {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    p.resolve(r);
  }

  private onData(c: Buffer) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, c]) : c;
    const end = this.buf.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = this.buf.toString("latin1", 0, end).split("\r\n");
    const status = Number(head[0].split(" ")[1]);
    const headers = new Map<string, string>();
    const setCookies: string[] = [];
    for (const line of head.slice(1)) {
      const i = line.indexOf(":");
      const k = line.slice(0, i).toLowerCase();
      const v = line.slice(i + 1).trim();
      if (k === "set-cookie") setCookies.push(v.split(";")[0]);
      headers.set(k, v);
    }
    const rest = this.buf.subarray(end + 4);
    let body: Buffer | null = null;
    if (headers.get("transfer-encoding")?.includes("chunked")) body = dechunk(rest);
    else {
      const n = Number(headers.get("content-length") ?? 0);
      if (rest.length >= n) body = rest.subarray(0, n);
    }
    if (!body) return; // the rest of the answer is still coming
    if (headers.get("connection") === "close") this.socket?.end();
    const ra = Number(headers.get("retry-after"));
    this.finish({
      status,
      location: headers.get("location") ?? null,
      retryAfter: Number.isFinite(ra) && headers.has("retry-after") ? ra : null,
      body: status === 302 ? "" : body.toString("utf8"),
      bytes: body.length,
      setCookies,
    });
  }
}

/** A chunked body once its last chunk has come; null while it has not. */
function dechunk(b: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = b.indexOf("\r\n", at);
    if (eol < 0) return null;
    const size = Number.parseInt(b.toString("latin1", at, eol), 16);
    if (!Number.isFinite(size)) return null;
    if (size === 0) return b.indexOf("\r\n", eol + 2) < 0 ? null : Buffer.concat(parts);
    if (b.length < eol + 2 + size + 2) return null;
    parts.push(b.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * X-7: what a browser does with the 302: GET its Location with the session and the cookies the 302
 * set (the rush limiter's one-time pass). The status only; the page is read and dropped.
 */
function follow(agent: http.Agent, base: URL, location: string, cookies: string[]): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path: location,
        method: "GET",
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { Cookie: cookies.filter((c) => !c.endsWith("=")).join("; "), Accept: "text/html" },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(0));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", () => resolve(0));
    req.end();
  });
}

/** The message of an error page: the action's `{ error }` shown in the form, or the boundary's text. */
function errorText(r: Reply): string {
  if (r.error) return r.error;
  const m =
    /data-testid="entries-error"[^>]*>([^<]*)</.exec(r.body) ??
    /<h1[^>]*>([^<]*)</.exec(r.body) ??
    /<title>([^<]*)</.exec(r.body);
  return (m?.[1] ?? r.body.slice(0, 120)).trim();
}

interface AppResult {
  concurrency: number;
  /** Seconds actually measured (shorter when the candidates ran out). */
  seconds: number;
  ok: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** 503 (rush limiter) answers in the measured window. */
  busy: number;
  /** Of those, refused after waiting in the limiter's queue (≥ 1 s) rather than at once. */
  busyAfterWait: number;
  busyP50: number;
  errors: number;
  errorSamples: Map<string, number>;
  /** The server's CPU time per 302 over the whole level (warm-up included); null off Linux. */
  cpuMsPerOk: number | null;
  /** The same for PostgreSQL (every process named postgres, pgbench's idle ones included) and for this load generator. */
  pgCpuMsPerOk: number | null;
  generatorCpuMsPerOk: number | null;
  /** Every 302 of the level, warm-up and stragglers included (compared with the rows in `entry`). */
  okTotal: number;
  /** BENCH_REG_FOLLOW: 302s whose Location was fetched, and of those answered 503 / otherwise not 200; null when off. */
  followed: { n: number; busy: number; other: number } | null;
  exhausted: boolean;
}

/**
 * Opens `n` keep-alive connections in `agent` before a level starts, as a reverse proxy's pool of
 * upstream connections would have them open. Node (libuv 1.45 and later) accepts one new connection
 * per turn of its event loop, and a turn under load takes tens of milliseconds, so connections opened
 * all at once at the start of a level waited seconds to be accepted, and those waits were measured
 * as the first entries' time (decision 0062).
 */
async function preconnect(agent: http.Agent, base: URL, n: number): Promise<void> {
  const one = () =>
    new Promise<void>((resolve) => {
      const req = http.get({ host: base.hostname, port: base.port, path: "/healthz?part=web", agent }, (res) => {
        res.resume();
        res.on("end", () => resolve());
      });
      req.on("error", () => resolve());
    });
  await Promise.all(Array.from({ length: n }, one));
}

/**
 * `concurrency` candidates at once: each worker takes the next fresh candidate and POSTs one entry
 * for it; on a 503 it waits the Retry-After seconds (as the busy page's countdown does) and posts
 * the same candidate again. The rate counts the answers completed inside the measured window; the
 * times are those of the entries sent inside it.
 */
async function loadApp(
  server: RunningServer,
  candidates: Candidate[],
  concurrency: number,
  warmupMs: number,
  measureMs: number,
): Promise<AppResult> {
  const base = new URL(server.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 });
  const body = new URLSearchParams({ subject: SUBJECT }).toString();
  const lean = process.env.BENCH_REG_CLIENT !== "http";
  const conns = lean ? Array.from({ length: concurrency }, () => new LeanConnection(base)) : [];
  if (process.env.BENCH_REG_PRECONNECT !== "0") {
    if (lean) await Promise.all(conns.map((c) => c.connect().catch(() => {})));
    else await preconnect(agent, base, concurrency);
  }
  const send = (worker: number, cookie: string) =>
    lean
      ? conns[worker].post(ENTRY_WAY.path, cookie, body, ENTRY_WAY.accept)
      : post(agent, base, ENTRY_WAY.path, cookie, body, ENTRY_WAY.accept);
  const cpu0 = treeCpuSeconds(server.pid);
  const pg0 = postgresCpuSeconds();
  const gen0 = process.cpuUsage();
  const t0 = performance.now();
  const tMeasure = t0 + warmupMs;
  const tEnd = tMeasure + measureMs;
  const inWindow = (t: number) => t >= tMeasure && t <= tEnd;
  let next = 0;
  let exhaustedAt: number | null = null;
  let okInWindow = 0;
  // The times of entries sent inside the window. The ones sent during the warm-up are left out: the
  // first of them meet a process that has not run this path yet (cold code and connections), and they
  // finished up to 3 s into the window. The ones sent near its end are all awaited, so none is cut off.
  const okStarted: number[] = [];
  const busyTimes: number[] = [];
  let okTotal = 0;
  let errors = 0;
  const errorSamples = new Map<string, number>();
  const followed = process.env.BENCH_REG_FOLLOW === "1" ? { n: 0, busy: 0, other: 0 } : null;

  const worker = async (w: number) => {
    while (performance.now() < tEnd) {
      if (next >= candidates.length) {
        exhaustedAt ??= performance.now();
        return;
      }
      const c = candidates[next++];
      while (performance.now() < tEnd) {
        const start = performance.now();
        const r = await send(w, c.cookie);
        const end = performance.now();
        if (r.status === 302 && r.location?.startsWith("/candidate/entries?saved=1")) {
          okTotal++;
          if (inWindow(end)) okInWindow++;
          if (inWindow(start)) okStarted.push(end - start);
          if (followed) {
            // Cookies the 302 set replace the request's of the same name (a cleared one ends in "=").
            const jar = new Map([c.cookie, ...(r.setCookies ?? [])].map((kv) => [kv.split("=")[0], kv]));
            const status = await follow(agent, base, r.location, [...jar.values()]);
            followed.n++;
            if (status === 503) followed.busy++;
            else if (status !== 200) followed.other++;
          }
          break;
        }
        if (r.status === 503) {
          if (inWindow(end)) busyTimes.push(end - start);
          const wait = Math.min((r.retryAfter ?? 2) * 1000, tEnd - performance.now());
          if (wait > 0) await new Promise((res) => setTimeout(res, wait));
          continue;
        }
        if (inWindow(end)) errors++;
        const key = `${r.status || "no answer"}: ${errorText(r)}${r.location ? ` → ${r.location}` : ""}`;
        errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
        break; // a refused or failed candidate is not retried
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  agent.destroy();
  for (const c of conns) c.close();
  const cpu1 = treeCpuSeconds(server.pid);
  const pg1 = postgresCpuSeconds();
  const gen = process.cpuUsage(gen0);

  const windowEnd = Math.min(tEnd, exhaustedAt ?? tEnd);
  const seconds = Math.max(0.001, (windowEnd - tMeasure) / 1000);
  okStarted.sort((a, b) => a - b);
  busyTimes.sort((a, b) => a - b);
  return {
    concurrency,
    seconds,
    ok: okInWindow,
    perSecond: okInWindow / seconds,
    p50: percentile(okStarted, 50),
    p99: percentile(okStarted, 99),
    busy: busyTimes.length,
    busyAfterWait: busyTimes.filter((t) => t >= 1000).length,
    busyP50: percentile(busyTimes, 50),
    errors,
    errorSamples,
    okTotal,
    followed,
    exhausted: exhaustedAt !== null && exhaustedAt < tEnd,
    cpuMsPerOk: cpu0 !== null && cpu1 !== null && okTotal > 0 ? ((cpu1 - cpu0) * 1000) / okTotal : null,
    pgCpuMsPerOk: pg0 !== null && pg1 !== null && okTotal > 0 ? ((pg1 - pg0) * 1000) / okTotal : null,
    generatorCpuMsPerOk: okTotal > 0 ? (gen.user + gen.system) / 1000 / okTotal : null,
  };
}

interface Row {
  processes: number;
  app: AppResult;
  raw: RawResult | null;
  single: RawResult | null;
  rawNote: string | null;
  check: string;
}

/** The two ways the entries form is sent: the page's own post (no JavaScript) and its script's. */
const PAGE_WAY = { name: "page post (whole page again)", path: "/candidate/entries", accept: "text/html" };
const SCRIPT_WAY = { name: "script (save route, JSON)", path: "/candidate/entries/save", accept: "application/json" };
const REFUSAL_WAYS = [PAGE_WAY, SCRIPT_WAY];
/** How the measured entries are sent (BENCH_REG_WAY): as the page's script sends them, unless "page". */
const ENTRY_WAY = process.env.BENCH_REG_WAY === "page" ? PAGE_WAY : SCRIPT_WAY;

interface RefusalResult {
  way: string;
  perSecond: number;
  p50: number;
  p99: number;
  /** Bytes of one refusal's body (the last one seen). */
  bytes: number;
  refused: number;
  other: number;
  cpuMsPerRefusal: number | null;
}

/**
 * Issue 21 item 2: the cost of a "full" answer. The subject's capacity is 0, so every submission is
 * refused; `concurrency` candidates post it over and over, either as the page's own form (the whole
 * page comes back with the message) or as the page's script does (`/candidate/entries/save`, JSON).
 */
async function loadRefusals(
  server: RunningServer,
  candidates: Candidate[],
  way: { name: string; path: string; accept: string },
  concurrency: number,
  warmupMs: number,
  measureMs: number,
): Promise<RefusalResult> {
  const base = new URL(server.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 });
  const body = new URLSearchParams({ subject: SUBJECT }).toString();
  const cpu0 = treeCpuSeconds(server.pid);
  const t0 = performance.now();
  const tMeasure = t0 + warmupMs;
  const tEnd = tMeasure + measureMs;
  const times: number[] = [];
  let all = 0;
  let other = 0;
  let bytes = 0;
  let next = 0;
  const worker = async () => {
    while (performance.now() < tEnd) {
      const c = candidates[next++ % candidates.length];
      const start = performance.now();
      const r = await post(agent, base, way.path, c.cookie, body, way.accept);
      const end = performance.now();
      // The page's post answers 409 with the whole page; the script's route 200 with `{ "error": … }`.
      const refused = (r.status === 409 || r.status === 200) && /entries-error|"error"/.test(r.body);
      if (refused) {
        all++;
        bytes = r.bytes ?? Buffer.byteLength(r.body);
        if (end >= tMeasure && end <= tEnd) times.push(end - start);
      } else if (end >= tMeasure) other++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  const cpu1 = treeCpuSeconds(server.pid);
  times.sort((a, b) => a - b);
  return {
    way: way.name,
    perSecond: times.length / (measureMs / 1000),
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    bytes,
    refused: all,
    other,
    cpuMsPerRefusal: cpu0 !== null && cpu1 !== null && all > 0 ? ((cpu1 - cpu0) * 1000) / all : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The raw yardstick: pgbench

/**
 * The database work of setEntries for one new entry, as plain SQL. PGBENCH_SCRIPT is the app's own
 * (decision 0060): the unlocked read (the registration with its site's rules and offer, its entries
 * and its stamp), then the one statement that locks the registration, checks the stamp, adds the
 * entry, restarts the registration's hold, writes the audit row and takes a seat of the site's total
 * and of the subject (`seat_change` over the counters' shards, 0051). The "single-row" variant is the
 * transaction before 0051 and 0060: BEGIN, the registration locked, the same rows written, the seats
 * taken by guarded updates of one row per counter (`bench_single_counter`, in this scratch database
 * only), COMMIT. Each client walks through the registrations on its own (client_id + k × clients), so
 * no two clients change the same one, like the app's fresh candidates.
 */
const rid = `\\set seq :seq + 1
\\set rid :rmin + (((:seq - 1) * :nc + :client_id) % :nregs)
`;
const audit = `(NULL, 'pgbench', :org, :sitting, 'registration.entries', 'registration', :rid, '{"entries":{"from":"","to":"${SUBJECT}"}}', '127.0.0.1')`;
const PGBENCH_SCRIPT = `${rid}SELECT r.*, os.enabled, ss.open, ss.online_enabled, ss.online_starts_at, ss.online_ends_at, ss.review_required, ss.max_entries, ss.self_print, ss.per_person_fee_fen, ss.class_options, ss.class_required, array(SELECT s.subject_code FROM site_subject s JOIN site_fee f ON f.sitting_id = s.sitting_id AND f.org_id = s.org_id AND f.subject_code = s.subject_code WHERE s.sitting_id = r.sitting_id AND s.org_id = r.org_id AND s.capacity > 0) AS offered, registration_stamp(r.id) AS stamp, coalesce((SELECT json_agg(json_build_object('id', e.id, 'subject_code', e.subject_code, 'paid', e.paid, 'payment_batch_id', e.payment_batch_id, 'in_pending_payment', exists(SELECT 1 FROM payment p WHERE p.registration_id = e.registration_id AND p.status = 'pending' AND p.expires_at > now() AND e.id = any(p.entry_ids))) ORDER BY e.subject_code) FROM entry e WHERE e.registration_id = r.id), '[]') AS entries FROM registration r LEFT JOIN org_sitting os ON os.org_id = r.org_id AND os.sitting_id = r.sitting_id LEFT JOIN site_setting ss ON ss.org_id = r.org_id AND ss.sitting_id = r.sitting_id WHERE r.id = :rid \\gset
WITH guard AS (SELECT registration_lock_if_unchanged(:rid::int, :stamp::text) AS ok), changed_registration AS (UPDATE registration SET hold_until = now() + interval '120 minutes', updated_at = now() WHERE id = :rid AND (SELECT ok FROM guard) RETURNING 1), added_entries AS (INSERT INTO entry (registration_id, sitting_id, org_id, subject_code, hold_until) SELECT :rid::int, :sitting::int, :org::int, '${SUBJECT}', now() + interval '120 minutes' WHERE (SELECT ok FROM guard) ON CONFLICT (registration_id, subject_code) DO NOTHING RETURNING 1), audit AS (INSERT INTO audit_log (account_id, actor_name, org_id, sitting_id, action, entity_type, entity_id, changes, ip) SELECT NULL, 'pgbench', :org::int, :sitting::int, 'registration.entries', 'registration', :rid::text, '{"entries":{"from":"","to":"${SUBJECT}"}}', '127.0.0.1' WHERE (SELECT ok FROM guard) RETURNING 1) SELECT seat_change(:sitting::int, :org::int, ARRAY['*', '${SUBJECT}'], ARRAY[1, 1], :rid::int) FROM (SELECT count(*) FROM changed_registration) AS r, (SELECT count(*) FROM added_entries) AS i, (SELECT count(*) FROM audit) AS a WHERE (SELECT ok FROM guard);
`;
const PGBENCH_SINGLE_ROW_SCRIPT = `${rid}BEGIN;
SELECT * FROM registration WHERE id = :rid FOR UPDATE;
INSERT INTO entry (registration_id, sitting_id, org_id, subject_code, hold_until) VALUES (:rid, :sitting, :org, '${SUBJECT}', now() + interval '120 minutes') ON CONFLICT (registration_id, subject_code) DO NOTHING;
UPDATE registration SET hold_until = now() + interval '120 minutes', updated_at = now() WHERE id = :rid;
INSERT INTO audit_log (account_id, actor_name, org_id, sitting_id, action, entity_type, entity_id, changes, ip) VALUES ${audit};
UPDATE bench_single_counter SET taken = taken + 1 WHERE counter = '*' AND taken + 1 <= capacity RETURNING taken;
UPDATE bench_single_counter SET taken = taken + 1 WHERE counter = '${SUBJECT}' AND taken < capacity RETURNING taken;
END;
`;

/** The single-row counters of the yardstick: the site total and the subject, their capacities, nothing taken. */
async function resetSingleCounters(db: pg.Client, p: Prepared) {
  await db.query(`create table if not exists bench_single_counter (counter text primary key, capacity int not null,
    taken int not null, check (taken between 0 and capacity))`);
  await db.query("truncate bench_single_counter");
  await db.query(
    `insert into bench_single_counter (counter, capacity, taken)
     select '*', coalesce(total_capacity, 0), 0 from site_setting where sitting_id = $1 and org_id = $2
     union all
     select subject_code, coalesce(capacity, 0), 0 from site_subject where sitting_id = $1 and org_id = $2 and subject_code = $3`,
    [p.sittingId, p.siteId, SUBJECT],
  );
}

interface RawResult {
  clients: number;
  tps: number;
  p50: number;
  p99: number;
  /** pgbench's own figures over its whole run. */
  reportedTps: number;
  latencyAvg: number;
  failed: number;
  entries: number;
  /** PostgreSQL's CPU over the whole run (its connections' start included) per transaction. */
  pgCpuMsPerTx: number | null;
}

async function runPgbench(
  url: string,
  dir: string,
  p: Prepared,
  clients: number,
  warmupMs: number,
  measureMs: number,
  singleRow = false,
): Promise<RawResult> {
  const script = path.join(dir, singleRow ? "take-a-seat-single-row.sql" : "take-a-seat.sql");
  fs.writeFileSync(script, singleRow ? PGBENCH_SINGLE_ROW_SCRIPT : PGBENCH_SCRIPT);
  const logDir = fs.mkdtempSync(path.join(dir, `pgbench-${clients}-`));
  const prefix = path.join(logDir, "tx");
  const seconds = Math.ceil((warmupMs + measureMs) / 1000);
  const vars = { seq: 0, nc: clients, rmin: p.rMin, nregs: p.candidates.length, sitting: p.sittingId, org: p.siteId };
  const args = [
    "-n",
    "-c",
    String(clients),
    "-j",
    String(Math.min(2, clients)),
    "-T",
    String(seconds),
    "-M",
    "prepared",
    "-f",
    script,
    "--log",
    `--log-prefix=${prefix}`,
    ...Object.entries(vars).flatMap(([k, v]) => ["-D", `${k}=${v}`]),
    url,
  ];
  const pg0 = postgresCpuSeconds();
  const out = await new Promise<string>((resolve, reject) => {
    execFile("pgbench", args, { timeout: (seconds + 60) * 1000, maxBuffer: 16 * 1024 * 1024 }, (e, stdout, stderr) =>
      e
        ? reject(new Error(`pgbench: ${(stderr || e.message).trim().split("\n").slice(-5).join("\n")}`))
        : resolve(`${stdout}\n${stderr}`),
    );
  });
  await new Promise((r) => setTimeout(r, 300)); // pgbench's backends exited and reaped (postgresCpuSeconds)
  const pg1 = postgresCpuSeconds();
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);

  // Per-transaction log lines: client_id transaction_no time script_no time_epoch time_us [...];
  // `time` is the latency in µs, the stamp is when the transaction completed.
  const done: Array<{ at: number; us: number }> = [];
  for (const f of fs.readdirSync(logDir)) {
    for (const line of fs.readFileSync(path.join(logDir, f), "utf8").split("\n")) {
      const c = line.split(" ");
      if (c.length < 6) continue;
      const us = Number(c[2]);
      if (!Number.isFinite(us)) continue; // failed, serialization, deadlock, skipped
      done.push({ at: Number(c[4]) * 1e6 + Number(c[5]), us });
    }
  }
  fs.rmSync(logDir, { recursive: true, force: true });
  const first = Math.min(...done.map((d) => d.at));
  const from = first + warmupMs * 1000;
  const to = from + measureMs * 1000;
  const lat = done
    .filter((d) => d.at >= from && d.at <= to)
    .map((d) => d.us / 1000)
    .sort((a, b) => a - b);
  return {
    clients,
    tps: lat.length / (measureMs / 1000),
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    reportedTps: num(/tps = ([\d.]+)/),
    latencyAvg: num(/latency average = ([\d.]+) ms/),
    failed: num(/number of failed transactions: (\d+)/) || 0,
    entries: 0,
    pgCpuMsPerTx: pg0 !== null && pg1 !== null && done.length > 0 ? ((pg1 - pg0) * 1000) / done.length : null,
  };
}

/** pgbench clients for `wanted`: below max_connections, leaving the server's pool and the reserved slots. */
async function pgbenchClients(db: pg.Client, wanted: number): Promise<{ clients: number; note: string | null }> {
  const r = await db.query<{ max: number; reserved: number; used: number }>(
    `select current_setting('max_connections')::int as max, current_setting('superuser_reserved_connections')::int as reserved,
            (select count(*)::int from pg_stat_activity where backend_type = 'client backend') as used`,
  );
  const { max, reserved, used } = r.rows[0];
  const cap = Math.max(2, Math.min(max - 20, max - reserved - used - 2));
  if (wanted <= cap) return { clients: wanted, note: null };
  return {
    clients: cap,
    note: `pgbench at ${wanted}: capped at ${cap} clients (max_connections ${max}, ${used} connections in use, ${reserved} reserved)`,
  };
}

// ---------------------------------------------------------------------------------------------

const f0 = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : "n/a");
const fms = (v: number) => (!Number.isFinite(v) ? "n/a" : `${v.toFixed(v < 10 ? 1 : 0)} ms`);

/** The scratch database, made afresh (dropped at exit too), and the server's environment on it. */
async function freshScratch(admin: pg.Client, adminUrl: string) {
  await admin.query(`drop database if exists ${DB_NAME} with (force)`);
  await admin.query(`create database ${DB_NAME}`);
  scratch = { adminUrl };
  const benchUrl = withDatabase(adminUrl, DB_NAME);
  await ensureBuilt();
  // RUSH_* and the like reach the server from this process's environment (startServer).
  const env: Record<string, string> = {
    DATABASE_URL: benchUrl,
    SEED_ON_START: "true",
    PG_POOL_MAX: process.env.PG_POOL_MAX || "20",
  };
  return { benchUrl, env };
}

async function dropScratch(admin: pg.Client) {
  try {
    await admin.query(`drop database if exists ${DB_NAME} with (force)`);
    scratch = null;
  } catch (e) {
    console.error(`[registration] could not drop ${DB_NAME}: ${e instanceof Error ? e.message : e}`);
  }
}

/**
 * BENCH_REG_COMPARE=<checkout>: this checkout's server and another's (built), side by side on one
 * scratch database, measured in short alternating bursts at one level (A B, then B A, …), so that
 * the machine's drift, which reaches 2× within an hour here, falls on both alike.
 * BENCH_REG_COMPARE=pgbench: the same, with pgbench's bursts (the app's own statements, as in the full
 * run) as B: the app's share of pgbench, paired burst by burst instead of one run of each.
 * Prints each round, the medians of entries/s and of the server's CPU per entry, and B's over A's
 * paired round by round. BENCH_REG_PROCESSES (one number) sets the app's web processes.
 */
async function compareBench(admin: pg.Client, adminUrl: string, other: string) {
  const level = intEnv("BENCH_REG_LEVELS", 200);
  const rounds = intEnv("BENCH_REG_ROUNDS", 8);
  const withPgbench = other === "pgbench";
  // pgbench opens its clients' connections at the start of each burst: in bursts of 1 + 4 s it
  // measured 0.7–0.9× its rate in bursts of 2 + 8 s, the app not. So longer bursts against it.
  const measureMs = intEnv("BENCH_REG_SECONDS", withPgbench ? 8 : 4) * 1000;
  const warmupMs = (Number(process.env.BENCH_REG_WARMUP ?? (withPgbench ? 2 : 1)) || 0) * 1000;
  const processes = intEnv("BENCH_REG_PROCESSES", 1);
  const scratchDb = await freshScratch(admin, adminUrl);
  const benchUrl = scratchDb.benchUrl;
  const env = { ...scratchDb.env, WEB_CONCURRENCY: String(processes) };
  const servers: RunningServer[] = [];
  const db = new pg.Client({ connectionString: benchUrl });
  const dir = tempDataDir();
  try {
    servers.push(await startServer({ dataDir: dir, env, webProcesses: processes }));
    await db.connect();
    const prepared = await prepare(db, intEnv("BENCH_REG_CANDIDATES", 20_000));
    if (!withPgbench)
      servers.push(
        await startServer({ dataDir: tempDataDir(), env, root: path.resolve(other), webProcesses: processes }),
      );
    // pgbench's clients are counted once the app's pool is open (its first burst, not counted).
    await reset(db, prepared);
    await loadApp(servers[0], prepared.candidates, level, warmupMs, measureMs);
    const clients = withPgbench ? (await pgbenchClients(db, level)).clients : 0;
    const names = [
      `A (this checkout, ${processes} web process${processes > 1 ? "es" : ""})`,
      withPgbench ? `B (pgbench, ${clients} clients)` : `B (${other})`,
    ];
    const results: Array<Array<{ perSecond: number; cpu: number; pgCpu: number }>> = [[], []];
    const burst = async (side: number) => {
      await reset(db, prepared);
      if (side === 1 && withPgbench) {
        const raw = await runPgbench(benchUrl, dir, prepared, clients, warmupMs, measureMs);
        return { perSecond: raw.tps, cpu: NaN, pgCpu: raw.pgCpuMsPerTx ?? NaN };
      }
      const r = await loadApp(servers[side], prepared.candidates, level, warmupMs, measureMs);
      return { perSecond: r.perSecond, cpu: r.cpuMsPerOk ?? NaN, pgCpu: r.pgCpuMsPerOk ?? NaN };
    };
    await burst(1); // B warmed up once too
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const side of order) results[side].push(await burst(side));
      const [a, b] = [results[0][r], results[1][r]];
      console.log(
        `[compare] round ${r + 1}: A ${f0(a.perSecond)}/s, CPU per entry: server ${fms(a.cpu)}, PostgreSQL ${fms(a.pgCpu)} · B ${f0(b.perSecond)}/s${withPgbench ? "" : `, server ${fms(b.cpu)}`}, PostgreSQL ${fms(b.pgCpu)} · A/B ${(a.perSecond / b.perSecond).toFixed(2)}`,
      );
    }
    const median = (xs: number[]) =>
      percentile(
        [...xs].sort((x, y) => x - y),
        50,
      );
    console.log(
      `compare at ${level} concurrent, ${rounds} rounds of ${measureMs / 1000} s after ${warmupMs / 1000} s (medians); load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}:`,
    );
    for (const side of [0, 1])
      console.log(
        `  ${names[side]}: ${f0(median(results[side].map((x) => x.perSecond)))} entries/s, CPU per entry:${side === 1 && withPgbench ? "" : ` server ${median(results[side].map((x) => x.cpu)).toFixed(2)} ms,`} PostgreSQL ${median(results[side].map((x) => x.pgCpu)).toFixed(2)} ms`,
      );
    const paired = (f: (a: { perSecond: number; cpu: number }, b: { perSecond: number; cpu: number }) => number) =>
      median(results[0].map((a, i) => f(a, results[1][i])));
    console.log(
      withPgbench
        ? `  the app's share of pgbench, round by round: median ${(100 * paired((a, b) => a.perSecond / b.perSecond)).toFixed(0)} % (target ≥ ${TARGET_RATIO * 100} %)`
        : `  B / A, round by round: entries/s ${paired((a, b) => b.perSecond / a.perSecond).toFixed(3)}, server CPU per entry ${paired((a, b) => b.cpu / a.cpu).toFixed(3)}`,
    );
  } finally {
    for (const s of servers) await s.stop();
    await db.end().catch(() => {});
    await dropScratch(admin);
  }
}

export async function registrationBench() {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  const levels = (process.env.BENCH_REG_LEVELS ?? "50,200,500")
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  const measureMs = intEnv("BENCH_REG_SECONDS", 10) * 1000;
  const warmupMs = (Number(process.env.BENCH_REG_WARMUP ?? 2) || 0) * 1000;
  const nCandidates = intEnv("BENCH_REG_CANDIDATES", 20_000);
  const host = new URL(adminUrl).host;
  const loadBefore = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
    await admin.query("select 1");
  } catch (e) {
    console.log(
      `registration: skipped, PostgreSQL not reachable at ${host} (set DATABASE_URL): ${e instanceof Error ? e.message : e}`,
    );
    await admin.end().catch(() => {});
    return;
  }
  if (process.env.BENCH_REG_COMPARE) {
    try {
      return await compareBench(admin, adminUrl, process.env.BENCH_REG_COMPARE);
    } finally {
      await admin.end().catch(() => {});
    }
  }
  const pgbenchOk = spawnSync("pgbench", ["--version"], { stdio: "ignore" }).status === 0;

  let server: RunningServer | undefined;
  let db: pg.Client | undefined;
  let rushLine = "?";
  const peakRss: string[] = [];
  const dir = tempDataDir(); // the server's DATA_DIR, and pgbench's script and logs
  try {
    const { benchUrl, env } = await freshScratch(admin, adminUrl);
    // Issue 21 item 3: (a) one web process, (b) one per core (WEB_CONCURRENCY, decision 0047).
    const processCounts = [
      ...new Set(
        (process.env.BENCH_REG_PROCESSES ?? `1,${os.cpus().length}`)
          .split(",")
          .map((x) => Number(x.trim()))
          .filter((n) => Number.isInteger(n) && n > 0),
      ),
    ];

    const rows: Row[] = [];
    let refusals: RefusalResult[] = [];
    let prepared: Prepared | undefined;
    for (const [modeIndex, processes] of processCounts.entries()) {
      server = await startServer({
        dataDir: dir,
        env: { ...env, WEB_CONCURRENCY: String(processes) },
        webProcesses: processes,
      });
      rushLine = /registration rush limit: ([^\n]*)/.exec(server.log())?.[1] ?? "?";
      if (!db) {
        db = new pg.Client({ connectionString: benchUrl });
        await db.connect();
      }
      if (!prepared) {
        const tPrep = performance.now();
        prepared = await prepare(db, nCandidates);
        console.log(
          `[registration] ${nCandidates} candidates with sessions and registrations at ${SITE} in ${((performance.now() - tPrep) / 1000).toFixed(1)} s`,
        );
      }
      for (const c of levels) {
        await reset(db, prepared);
        const app = await loadApp(server, prepared.candidates, c, warmupMs, measureMs);
        const after = await counts(db, prepared);
        const consistent =
          after.entries === app.okTotal && after.total_taken === app.okTotal && after.taken === app.okTotal;
        const check = `entries ${after.entries}, total_taken ${after.total_taken}, subject taken ${after.taken} for ${app.okTotal} × 302${consistent ? "" : "  ← MISMATCH"}`;
        console.log(
          `[registration] app (${processes} process${processes > 1 ? "es" : ""}) ×${c}: ${f0(app.perSecond)} entries/s, p50 ${fms(app.p50)}, p99 ${fms(app.p99)}, ${app.busy} × 503, ${app.errors} errors${app.followed ? `, winners shown busy ${app.followed.busy} of ${app.followed.n}` : ""}; ${check}`,
        );

        // The yardsticks do not depend on the app's processes: run once, with the first mode.
        let raw: RawResult | null = null;
        let rawNote: string | null = null;
        let single: RawResult | null = null;
        if (modeIndex === 0 && pgbenchOk) {
          await reset(db, prepared);
          const { clients, note } = await pgbenchClients(db, c);
          rawNote = note;
          if (note) console.log(`[registration] ${note}`);
          try {
            raw = await runPgbench(benchUrl, dir, prepared, clients, warmupMs, measureMs);
            raw.entries = (await counts(db, prepared)).entries;
            console.log(
              `[registration] pgbench -c ${clients}: ${f0(raw.tps)} tps, p50 ${fms(raw.p50)}, p99 ${fms(raw.p99)} (pgbench: ${f0(raw.reportedTps)} tps, avg ${fms(raw.latencyAvg)}, ${raw.failed} failed)`,
            );
          } catch (e) {
            rawNote = `pgbench at ${c} failed: ${e instanceof Error ? e.message : e}`;
            console.log(`[registration] ${rawNote}`);
          }
          if (raw) {
            await reset(db, prepared);
            try {
              single = await runPgbench(benchUrl, dir, prepared, raw.clients, warmupMs, measureMs, true);
              console.log(
                `[registration] pgbench -c ${raw.clients}, single-row counters, locked transaction (before decisions 0051 and 0060): ${f0(single.tps)} tps, p50 ${fms(single.p50)}, p99 ${fms(single.p99)} (${single.failed} failed)`,
              );
            } catch (e) {
              console.log(`[registration] single-row pgbench at ${c} failed: ${e instanceof Error ? e.message : e}`);
            }
          }
        } else {
          const first = rows.find((r) => r.app.concurrency === c && r.raw);
          raw = first?.raw ?? null;
          single = first?.single ?? null;
        }
        rows.push({ processes, app, raw, single, rawNote, check });
      }

      // Issue 21 item 2: a "full" answer, as the page's form and as its script: one process only.
      if (modeIndex === 0) {
        await reset(db, prepared);
        await db.query(
          `update site_subject set capacity = 0 where sitting_id = $1 and org_id = $2 and subject_code = $3`,
          [prepared.sittingId, prepared.siteId, SUBJECT],
        );
        const c = Math.min(50, ...levels);
        refusals = [];
        for (const way of REFUSAL_WAYS) {
          const r = await loadRefusals(server, prepared.candidates, way, c, warmupMs, measureMs);
          refusals.push(r);
          console.log(
            `[registration] refusals ×${c}, ${r.way}: ${f0(r.perSecond)}/s, p50 ${fms(r.p50)}, p99 ${fms(r.p99)}, ${r.bytes} bytes, CPU ${r.cpuMsPerRefusal === null ? "n/a" : fms(r.cpuMsPerRefusal)} each${r.other ? `, ${r.other} other answers` : ""}`,
          );
        }
        await db.query(
          `update site_subject set capacity = 99999 where sitting_id = $1 and org_id = $2 and subject_code = $3`,
          [prepared.sittingId, prepared.siteId, SUBJECT],
        );
      }
      peakRss.push(`${processes}: ${mb(server.peakRssKb())}`);
      await server.stop();
      server = undefined;
    }

    // ---- the figures
    const cols = [
      "processes",
      "concurrency",
      "app entries/s",
      "app p50",
      "app p99",
      "busy 503",
      "errors",
      "pgbench tps",
      "pgbench p50/p99",
      "app/raw",
      "single-row pgbench tps",
      "single-row p50/p99",
    ];
    const table = rows.map(({ processes, app, raw, single }) => [
      String(processes),
      String(app.concurrency) + (raw && raw.clients !== app.concurrency ? ` (pgb ${raw.clients})` : ""),
      f0(app.perSecond),
      fms(app.p50),
      fms(app.p99),
      String(app.busy),
      String(app.errors),
      raw ? f0(raw.tps) : "n/a",
      raw ? `${fms(raw.p50)} / ${fms(raw.p99)}` : "n/a",
      raw && raw.tps > 0 ? `${((app.perSecond / raw.tps) * 100).toFixed(0)} %` : "n/a",
      single ? f0(single.tps) : "n/a",
      single ? `${fms(single.p50)} / ${fms(single.p99)}` : "n/a",
    ]);
    const widths = cols.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
    const fmt = (r: string[]) =>
      "  " + r.map((v, i) => (i <= 1 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(" | ");
    console.log(
      `registration: POST ${ENTRY_WAY.path} (one new entry each, ${ENTRY_WAY.name}), NODE_ENV=production, PostgreSQL ${host}/${DB_NAME}, ` +
        `PG_POOL_MAX ${env.PG_POOL_MAX}, rush limit ${rushLine}; ${warmupMs / 1000} s warm-up + ${measureMs / 1000} s measured per level`,
    );
    console.log(fmt(cols));
    console.log("  " + widths.map((w) => "-".repeat(w)).join("-|-"));
    for (const r of table) console.log(fmt(r));
    for (const { processes, app, raw, rawNote, check } of rows) {
      const notes: string[] = [];
      if (app.exhausted)
        notes.push(`candidates ran out after ${app.seconds.toFixed(1)} s (raise BENCH_REG_CANDIDATES)`);
      if (app.busy)
        notes.push(
          `503: ${app.busy - app.busyAfterWait} at once, ${app.busyAfterWait} after waiting in the queue (median ${fms(app.busyP50)})`,
        );
      for (const [k, n] of app.errorSamples) notes.push(`error ×${n} ${k.slice(0, 160)}`);
      notes.push(
        app.followed
          ? `winners shown busy (entry saved, confirmation page 503) ${app.followed.busy} of ${app.followed.n}${app.followed.other ? ` (${app.followed.other} other non-200 pages)` : ""}`
          : "winners shown busy: not measured (BENCH_REG_FOLLOW=1 fetches each saved page)",
      );
      if (app.cpuMsPerOk !== null)
        notes.push(
          `CPU per entry: server ${fms(app.cpuMsPerOk)}${app.followed ? " (its saved page included)" : ""}, PostgreSQL ${app.pgCpuMsPerOk === null ? "n/a" : fms(app.pgCpuMsPerOk)}, load generator ${app.generatorCpuMsPerOk === null ? "n/a" : fms(app.generatorCpuMsPerOk)}`,
        );
      notes.push(`app check: ${check}`);
      if (raw)
        notes.push(
          `pgbench: ${raw.clients} clients, own report ${f0(raw.reportedTps)} tps over ${Math.ceil((warmupMs + measureMs) / 1000)} s, avg ${fms(raw.latencyAvg)}, ${raw.failed} failed, ${raw.entries} entries, PostgreSQL CPU ${raw.pgCpuMsPerTx === null ? "n/a" : fms(raw.pgCpuMsPerTx)} per transaction`,
        );
      if (rawNote && !raw) notes.push(rawNote);
      console.log(`  ${processes} × at ${app.concurrency}: ${notes.join("; ")}`);
    }
    if (!pgbenchOk) console.log("  pgbench not found on PATH: no raw figures");
    console.log(
      `  target: ≥ ${TARGET_PER_SECOND} entries/s, ≥ ${TARGET_RATIO * 100} % of raw and p99 < ${TARGET_P99_MS} ms at ${TARGET_AT} concurrent`,
    );
    for (const at of rows.filter((r) => r.app.concurrency === TARGET_AT)) {
      const ratio = at.raw && at.raw.tps > 0 ? at.app.perSecond / at.raw.tps : NaN;
      console.log(
        `  ${at.processes} process${at.processes > 1 ? "es" : ""} at ${TARGET_AT}: ${f0(at.app.perSecond)} entries/s, ${Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)} % of raw` : "no raw figure"}, p99 ${fms(at.app.p99)}` +
          ` (${at.app.perSecond >= TARGET_PER_SECOND ? "rate on target" : "rate below target"}, ${Number.isFinite(ratio) && ratio >= TARGET_RATIO ? "ratio on target" : "ratio below target"}, ${at.app.p99 < TARGET_P99_MS ? "p99 on target" : "p99 above target"})`,
      );
    }
    if (refusals.length) {
      console.log(`  a "full" answer (subject ${SUBJECT} at capacity 0), one process:`);
      for (const r of refusals)
        console.log(
          `    ${r.way.padEnd(34)} ${f0(r.perSecond).padStart(5)}/s, p50 ${fms(r.p50)}, p99 ${fms(r.p99)}, ${r.bytes} bytes, server CPU ${r.cpuMsPerRefusal === null ? "n/a" : fms(r.cpuMsPerRefusal)} per refusal`,
        );
    }
    console.log(`  server peak RSS (its largest process) by processes: ${peakRss.join(", ")}`);
    console.log(
      `  host: ${os.cpus().length} CPUs (server, PostgreSQL, pgbench and this load generator share them), load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} at the end; before: ${loadBefore}`,
    );
  } finally {
    await server?.stop();
    await db?.end().catch(() => {});
    await dropScratch(admin);
    await admin.end().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
