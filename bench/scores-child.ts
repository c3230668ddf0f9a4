import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import iconv from "iconv-lite";
import { peakRssKb, postgresCpuSeconds, printResult, runAsScript } from "./child";

// The child of bench/scores.ts: DATABASE_URL's scratch database seeded with the demo, 990101 given
// n numbered entries; a GB18030 score file of those n rows; then, in this order and in this one
// process: the bare pipeline (iconv-lite → csv-parse → psql \copy into a table of score's shape), the
// app's score import (the job's handler: read, type, plan, write), and the province's score
// statistics `repeat` times.
await runAsScript(import.meta.url, "scores-child", async ([nArg, photo, dir, repeatArg]) => {
  const n = Number(nArg);
  const { boot, shutdown } = await import("../app/boot.server");
  const { getDb } = await import("../db/client");
  const { sql } = await import("kysely");
  const { seedNumberedSite } = await import("./seed-numbered");
  await boot({ seed: true, runJobs: false });
  const { sittingId, siteId } = await seedNumberedSite(n, photo, 40);
  const db = getDb();
  const rows = await db
    .selectFrom("entry as e")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .select(["e.admission_no", "g.id_number", "g.name"])
    .where("e.org_id", "=", siteId)
    .where("e.sitting_id", "=", sittingId)
    .execute();
  const grade = (s: number) => (s >= 90 ? 3 : s >= 80 ? 2 : s >= 60 ? 1 : 0);
  const lines = ["ZKZH,ZJH,XM,KSKM,CJ,DJ,ZSBH,BZ"];
  rows.forEach((r, i) => {
    const absent = i % 50 === 7;
    const s = (i * 37) % 101;
    lines.push(
      [
        r.admission_no,
        r.id_number,
        r.name,
        "14",
        absent ? "" : s,
        absent ? -1 : grade(s),
        "",
        absent ? "缺考" : "",
      ].join(","),
    );
  });
  // Absent rows agree with the violation table (the default check is on).
  await sql`insert into violation (entry_id, sitting_id, org_id, kind, source)
    select e.id, e.sitting_id, e.org_id, 'absent', 'manual' from entry e
    where e.org_id = ${siteId} and e.admission_no = any(${rows.filter((_, i) => i % 50 === 7).map((r) => r.admission_no)}::text[])`.execute(
    db,
  );
  const file = path.join(dir, "scores.csv");
  fs.writeFileSync(file, iconv.encode(`${lines.join("\r\n")}\r\n`, "gb18030"));
  const bytes = fs.statSync(file).size;

  // Bare: the same file decoded, parsed and copied, streaming.
  await sql`create table bare_score (admission_no text, id_number text, name text, subject text, score smallint, grade_code smallint, certificate_no text, remark text)`.execute(
    db,
  );
  let t = performance.now();
  const url = process.env.DATABASE_URL!;
  const psql = spawn("psql", [url, "-q", "-c", "\\copy bare_score from stdin with (format csv)"], {
    stdio: ["pipe", "inherit", "inherit"],
  });
  const done = new Promise<void>((res, rej) =>
    psql.on("exit", (code) => (code === 0 ? res() : rej(new Error(`psql ${code}`)))),
  );
  let first = true;
  // Lines gathered into 64 KB writes: one pipe write a row would time the pipe, not the libraries
  // (per-row writes took 1.2 s here against 0.55 s batched, making the app look twice as close).
  let batch = "";
  await pipeline(
    fs.createReadStream(file),
    iconv.decodeStream("gb18030", { stripBOM: true }),
    parse({ relax_column_count: true }),
    new Transform({
      objectMode: true,
      transform(rec: string[], _e, cb) {
        if (first) {
          first = false;
          return cb();
        }
        batch += `${rec.map((v) => (v.includes(",") ? `"${v}"` : v)).join(",")}\n`;
        if (batch.length < 65_536) return cb();
        const out = batch;
        batch = "";
        cb(null, out);
      },
      flush(cb) {
        cb(null, batch || undefined);
      },
    }),
    psql.stdin,
  );
  await done;
  const bareMs = performance.now() - t;
  const bareRows = Number((await sql<{ n: string }>`select count(*) as n from bare_score`.execute(db)).rows[0].n);

  // The app: the job's handler on the stored upload.
  const { storeStream } = await import("../app/utils/file-store.server");
  const { default: handler } = await import("../jobs/definitions/score-import.handler");
  const stored = await storeStream(
    { kind: "upload", name: "scores.csv", contentType: "text/csv", orgId: siteId, sittingId, createdBy: null },
    fs.createReadStream(file),
  );
  // The app's reading and typing alone (the first half of the handler), for the breakdown.
  const { readCsvRows } = await import("../app/imports/read-rows.server");
  const { parseScoreRow, SCORE_COLUMNS, SCORE_HEADERS, SCORE_REQUIRED } = await import("../app/domain/scores");
  t = performance.now();
  let typed = 0;
  for await (const raw of readCsvRows(file, {
    sheetName: "",
    headers: SCORE_HEADERS,
    required: SCORE_REQUIRED,
    aliases: SCORE_COLUMNS,
  }))
    if (parseScoreRow(raw.cells).value) typed++;
  const readMs = performance.now() - t;
  const rssBefore = peakRssKb();
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpuSeconds();
  t = performance.now();
  const result = await handler(
    {
      fileId: stored.id,
      siteId,
      overwrite: false,
      locale: "zh-CN",
      actorName: "bench",
      ip: null,
      kind: "csv",
      checkViolations: true,
      checkMissingNumber: true,
      checkIdentity: true,
    },
    { jobId: "bench", accountId: null, orgId: siteId, sittingId, progress: async () => {} } as never,
  );
  const appMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const pg1 = postgresCpuSeconds();
  if (!result.ok) throw new Error(`import refused: ${JSON.stringify(result).slice(0, 400)}`);

  // The province's statistics (every site of province 99), as the page asks for them.
  const { scoreStatistics } = await import("../app/services/score-statistics.server");
  const { listSitesUnder } = await import("../db/queries/statistics");
  const province = await db.selectFrom("org").select("id").where("code", "=", "99").executeTakeFirstOrThrow();
  const sites = await listSitesUnder(db, province.id, sittingId);
  const stats: number[] = [];
  let total = 0;
  for (let i = 0; i < Number(repeatArg); i++) {
    t = performance.now();
    const s = await scoreStatistics(sittingId, sites);
    stats.push(performance.now() - t);
    total = s.total.total;
  }
  await shutdown();
  printResult({
    n,
    bytes,
    bareMs,
    bareRows,
    appMs,
    appCpuMs: (cpu.user + cpu.system) / 1000,
    appPgCpuMs: pg0 !== null && pg1 !== null ? (pg1 - pg0) * 1000 : null,
    readMs,
    typed,
    imported: result.imported,
    rssBeforeKb: rssBefore,
    stats,
    statsTotal: total,
    sites: sites.length,
  });
});
