import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { signCardToken, verifyCardToken } from "../app/domain/card-token";
import { childEnv, createScratchDb, dropScratchDbs, postgresReachable, runChild } from "./children";
import { ensureBuilt, ms, startServer, summary, tempDataDir } from "./server";
import { compliantPhoto } from "../tests/fixtures/photos";

// npm run bench -- checkin
//
// Issue 19 (DOC-9): check-in on exam morning. The built server on PostgreSQL with 2,000 numbered
// entries at 990101; scans arrive at 20 a second for 30 s: each opens the card page (GET /C/<token>,
// what the phone's camera opens) and checks the candidate in (POST). Next to it, a bare pg client
// doing the same work per scan (verify the token's HMAC, find the entry, insert the attendance) at
// the same rate. Target: p95 of the check-in < 50 ms. Figures only.
//
// BENCH_CHECKIN_RATE     scans a second (default 20)
// BENCH_CHECKIN_SECONDS  how long (default 30)
// DATABASE_URL           the PostgreSQL server for the scratch database (default postgres://postgres@127.0.0.1:5432/postgres)

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const SECRET = "bench-checkin-secret";

export async function checkinBench() {
  const rate = Number(process.env.BENCH_CHECKIN_RATE ?? 20);
  const seconds = Number(process.env.BENCH_CHECKIN_SECONDS ?? 30);
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  console.log(`\n[checkin] ${rate} scans a second for ${seconds} s on PostgreSQL`);
  if (!(await postgresReachable(adminUrl))) return;
  await ensureBuilt();
  const dir = tempDataDir();
  const photo = path.join(dir, "photo.jpg");
  fs.writeFileSync(photo, await compliantPhoto());
  const url = await createScratchDb(adminUrl, "kaowu_bench_checkin");
  const dataDir = path.join(dir, "data");
  const env = { DATABASE_URL: url, DATA_DIR: dataDir, CARD_TOKEN_SECRET: SECRET };
  const n = rate * seconds * 2;
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    const seeded = await runChild("bench/checkin-child.ts", "checkin seed", [String(n), photo], 300_000, childEnv(env));
    const sittingCode = String(seeded.sittingCode);
    const numbers = seeded.numbers as string[];
    server = await startServer({ dataDir, env });
    const base = server.url;
    const login = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
      body: new URLSearchParams({ login: "site990101@example.com", password: "Kaowu-demo-2026", redirectTo: "" }),
    });
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith("kaowu_session="))!
      .split(";")[0];
    const total = rate * seconds;
    const open: number[] = [];
    const checkIn: number[] = [];
    let failures = 0;
    const scan = async (i: number) => {
      const token = signCardToken(SECRET, sittingCode, numbers[i]);
      let t = performance.now();
      const page = await fetch(`${base}/C/${token}`, { headers: { Cookie: cookie } });
      await page.arrayBuffer();
      open.push(performance.now() - t);
      t = performance.now();
      // What the page's form sends with single fetch: the action's data, no page rendered.
      const res = await fetch(`${base}/C/${token}.data`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
        body: "",
      });
      await res.arrayBuffer();
      checkIn.push(performance.now() - t);
      if (page.status !== 200 || res.status !== 200) failures++;
    };
    await paced(total, rate, scan);
    const peak = server.peakRssKb();
    await server.stop();
    server = null;

    // The same work bare: verify, find, insert, on a pg pool, at the same rate (the other half of the numbers).
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const recorded = Number(
      (await pool.query(`select count(*) as n from attendance where checked_in_by_name <> 'bench'`)).rows[0].n,
    );
    const bare: number[] = [];
    await paced(total, rate, async (i) => {
      const t = performance.now();
      const parsed = verifyCardToken(SECRET, signCardToken(SECRET, sittingCode, numbers[total + i]))!;
      const e = await pool.query(
        `select e.id, e.org_id, e.sitting_id, e.batch_id from entry e join sitting t on t.id = e.sitting_id
         where t.code = $1 and e.admission_no = $2`,
        [parsed.sittingCode, parsed.admissionNo],
      );
      const r = e.rows[0];
      await pool.query(
        `insert into attendance (entry_id, sitting_id, org_id, batch_id, via, checked_in_by_name)
         values ($1, $2, $3, $4, 'scan', 'bench') on conflict (entry_id) do nothing`,
        [r.id, r.sitting_id, r.org_id, r.batch_id],
      );
      bare.push(performance.now() - t);
    });
    await pool.end();
    const line = (label: string, v: number[]) => {
      const s = summary(v);
      return `  ${label}: p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)}`;
    };
    console.log(
      [
        line("card page (GET /C/<token>)", open),
        line("check-in (POST, the answer)", checkIn) +
          ` (target p95 < 50 ms); ${recorded} of ${total} recorded, ${failures} answers not 200`,
        line("bare pg (verify, find, insert)", bare),
        `  server peak RSS ${peak ? `${Math.round(peak / 1024)} MB` : "n/a"}`,
      ].join("\n"),
    );
  } finally {
    await server?.stop();
    await dropScratchDbs("checkin");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `work(i)` for i < total, started `rate` times a second whatever the answers' pace (an open loop). */
async function paced(total: number, rate: number, work: (i: number) => Promise<void>) {
  const started: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    started.push(work(i));
  }
  await Promise.all(started);
}
