import { spawn } from "node:child_process";
import fs from "node:fs";
import ExcelJS from "exceljs";
import type { DbHandle } from "../db/client";
import type { SheetSpec } from "../app/imports/read-rows.server";
import {
  parseStudentRecordImportRow,
  STUDENT_RECORD_IMPORT_COLUMNS,
  STUDENT_RECORD_REQUIRED,
  STUDENT_RECORD_SHEET,
  type RowError,
  type StudentRecordImportValue,
} from "../app/domain/student-record";
import { HEADERS, residentId } from "../tests/fixtures/student-records";
import { memStatus, printResult, runAsScript } from "./child";

// One measurement of the import benchmark (bench/import.ts), run in its own process so that its
// peak RSS (VmHWM) is its own. Prints one JSON line on stdout, last; errors go to stderr. The
// database modules (PGlite's alone adds ~50 MB of RSS when loaded) are imported only by the modes
// that use them, so that the raw read's figure is exceljs's.
//
//   tsx bench/import-child.ts gen    <out.xlsx> <out.csv> <rows> <orgId>
//   tsx bench/import-child.ts read   <file.xlsx>
//   tsx bench/import-child.ts copy   <file.csv> <databaseUrl>
//   tsx bench/import-child.ts app    <file.xlsx> postgres <databaseUrl>
//   tsx bench/import-child.ts app    <file.xlsx> pglite

const SPEC: SheetSpec = {
  sheetName: STUDENT_RECORD_SHEET,
  headers: STUDENT_RECORD_IMPORT_COLUMNS,
  required: STUDENT_RECORD_REQUIRED,
};
const SITE_CODE = "990101";
const SITE_LOGIN = "site990101@example.com";

const heapMb = () => Math.round(process.memoryUsage().heapUsed / 1048576);

// ---------------------------------------------------------------------------------------------
// The rows: 100,000 distinct valid resident IDs. Birth dates run over 2000-01-01 … 2007-12-31
// (2,922 days); the k-th row on a given date gets sequence 100 + 2k (+1 for male), so (date, k)
// is unique and the ID's gender digit agrees with 性别. Area codes vary too.

const AREAS = [
  "110101",
  "110105",
  "120101",
  "310104",
  "320102",
  "330106",
  "340104",
  "350102",
  "370102",
  "410105",
  "420106",
  "430102",
  "440106",
  "500103",
  "510107",
  "610113",
];
const DAYS = 2922;
const DAY0 = Date.UTC(2000, 0, 1);
const ETHNICITY = [
  ["汉族", "01"],
  ["汉族", "01"],
  ["汉族", "01"],
  ["汉族", "01"],
  ["回族", "03"],
  ["满族", "11"],
  ["壮族", "08"],
  ["蒙古族", "02"],
] as const;
const EDUCATION = [
  ["本科", "20"],
  ["本科", "20"],
  ["专科", "30"],
  ["研究生", "10"],
  ["高中", "60"],
] as const;
const TRAINING = [
  ["学校课程", "3"],
  ["自学", "1"],
  ["参加社会培训", "2"],
] as const;
const DEPARTMENTS = [
  ["计算机学院", "软件工程"],
  ["信息学院", "电子信息工程"],
  ["经济管理学院", "会计学"],
  ["外国语学院", "英语"],
] as const;

interface BenchRow {
  /** As typed into the template (names, text dates). */
  cells: Record<string, unknown>;
  /** As the app stores it (codes), for the COPY baseline. */
  value: StudentRecordImportValue;
}

export function benchRow(i: number): BenchRow {
  const day = i % DAYS;
  const k = Math.floor(i / DAYS);
  const male = i % 2 === 0;
  const birth = new Date(DAY0 + day * 86_400_000).toISOString().slice(0, 10);
  const id = residentId(birth, 100 + 2 * k + (male ? 1 : 0), AREAS[(i + k) % AREAS.length]);
  const [ethName, ethCode] = ETHNICITY[i % ETHNICITY.length];
  const [eduName, eduCode] = EDUCATION[i % EDUCATION.length];
  const [trName, trCode] = TRAINING[i % TRAINING.length];
  const [dept, major] = DEPARTMENTS[i % DEPARTMENTS.length];
  const value: StudentRecordImportValue = {
    id_type: "1",
    id_number: id,
    name: `学生${i + 1}`,
    gender: male ? "1" : "2",
    birth_date: birth,
    ethnicity: ethCode,
    education: eduCode,
    occupation: "S",
    training_type: trCode,
    student_no: `2023${String(i).padStart(6, "0")}`,
    department: dept,
    major,
    class_name: `${major.slice(0, 2)}23${String(i % 40).padStart(2, "0")}`,
    phone: `138${String(i).padStart(8, "0")}`,
    email: `s${i}@example.com`,
    address: `测试省第一地市学府路${(i % 200) + 1}号`,
    postcode: "999001",
    remark: i % 10 === 0 ? "重修" : "",
    eligible_sites: null,
  };
  const cells: Record<string, unknown> = {
    序号: i + 1,
    姓名: value.name,
    性别: male ? "男" : "女",
    出生日期: birth,
    证件类型: "居民身份证",
    证件号码: id,
    民族: ethName,
    文化程度: eduName,
    职业: "学生",
    培训类型: trName,
    学号: value.student_no,
    院系: dept,
    专业: major,
    班级: value.class_name,
    联系电话: value.phone,
    电子邮箱: value.email,
    通讯地址: value.address,
    邮政编码: value.postcode,
    备注: value.remark,
  };
  return { cells, value };
}

const TEXT_COLUMNS = new Set(["证件号码", "联系电话", "学号", "邮政编码"]);
export const COPY_COLUMNS = [
  "org_id",
  "id_type",
  "id_number",
  "name",
  "gender",
  "birth_date",
  "ethnicity",
  "education",
  "occupation",
  "training_type",
  "student_no",
  "department",
  "major",
  "class_name",
  "phone",
  "email",
  "address",
  "postcode",
  "remark",
] as const;
const csvField = (v: unknown) => {
  const s = String(v ?? "");
  return /[",\r\n]/.test(s) || s === "" ? `"${s.replace(/"/g, '""')}"` : s;
};

async function gen(xlsx: string, csv: string, rows: number, orgId: number) {
  if (!(rows > 0 && rows <= DAYS * 450)) throw new Error(`rows: 1 … ${DAYS * 450} (three-digit sequence numbers)`);
  // The template as Excel saves it: data sheet first, shared strings, text format on the ID columns.
  const t0 = performance.now();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsx, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet(STUDENT_RECORD_SHEET);
  ws.columns = HEADERS.map((h) => {
    const key = h.replace("*", "");
    return { key, width: key === "证件号码" ? 22 : 12, style: TEXT_COLUMNS.has(key) ? { numFmt: "@" } : undefined };
  });
  ws.addRow(HEADERS).commit();
  for (let i = 0; i < rows; i++) {
    const { cells } = benchRow(i);
    ws.addRow(HEADERS.map((h) => cells[h.replace("*", "")] ?? null)).commit();
  }
  ws.commit();
  const help = wb.addWorksheet("填写说明");
  help.addRow([`只有“${STUDENT_RECORD_SHEET}”工作表会被导入。`]).commit();
  help.commit();
  const codes = wb.addWorksheet("码表");
  codes.addRow(["性别代码", "性别名称"]).commit();
  codes.addRow(["1", "男"]).commit();
  codes.addRow(["2", "女"]).commit();
  codes.commit();
  await wb.commit();
  const genMs = performance.now() - t0;

  // The same rows as the app would store them, for COPY.
  const t1 = performance.now();
  const out = fs.createWriteStream(csv);
  let buf = "";
  for (let i = 0; i < rows; i++) {
    const v = benchRow(i).value as unknown as Record<string, unknown>;
    buf += COPY_COLUMNS.map((c) => csvField(c === "org_id" ? orgId : v[c])).join(",") + "\n";
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once("drain", () => r()));
      buf = "";
    }
  }
  out.end(buf);
  await new Promise<void>((resolve, reject) => (out.on("finish", resolve), out.on("error", reject)));
  const csvMs = performance.now() - t1;

  // The CSV must hold what the app stores: check a sample through the app's own row parser.
  let mismatches = 0;
  for (let i = 0; i < rows; i += Math.max(1, Math.floor(rows / 500))) {
    const { cells, value } = benchRow(i);
    const r = parseStudentRecordImportRow(cells);
    if (!r.value || JSON.stringify(r.value) !== JSON.stringify(value)) {
      if (mismatches++ < 3)
        console.error(
          `[gen] row ${i}: app parses ${JSON.stringify(r.value ?? r.errors)}, CSV has ${JSON.stringify(value)}`,
        );
    }
  }
  printResult({ rows, genMs, bytes: fs.statSync(xlsx).size, csvMs, csvBytes: fs.statSync(csv).size, mismatches });
}

// ---------------------------------------------------------------------------------------------

/** exceljs's streaming reader with the app's options (read-rows.server.ts), counting rows: nothing else. */
async function rawRead(file: string) {
  const t0 = performance.now();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "emit",
  });
  let rows = 0;
  for await (const ws of reader as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader & { name?: string }>) {
    const data = ws.name === STUDENT_RECORD_SHEET;
    for await (const _row of ws) if (data) rows++;
  }
  printResult({ rows: rows - 1, ms: performance.now() - t0 });
}

/** `psql \copy … FROM file` into a copy of student_record's shape (same columns, defaults and indexes, no FK). */
async function rawCopy(csv: string, databaseUrl: string) {
  const { sql } = await import("kysely");
  const { createDb, migrateToLatest } = await import("../db/client");
  const handle = await createDb({ databaseUrl, poolMax: 2 });
  try {
    await migrateToLatest(handle.db);
    await sql`drop table if exists student_record_bench`.execute(handle.db);
    await sql`create table student_record_bench (like student_record including defaults including indexes)`.execute(
      handle.db,
    );
  } finally {
    await handle.db.destroy();
  }
  const copy = `\\copy student_record_bench (${COPY_COLUMNS.join(", ")}) from '${csv.replace(/'/g, "''")}' with (format csv)`;
  const t0 = performance.now();
  const child = spawn("psql", [databaseUrl, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", copy], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (out += b.toString()));
  // psql's own peak RSS, sampled while it runs (the server's memory is not counted anywhere).
  let psqlKb: number | null = null;
  const sample = () => {
    const kb = child.pid ? memStatus(child.pid).hwmKb : null;
    if (kb && (psqlKb === null || kb > psqlKb)) psqlKb = kb;
  };
  const timer = setInterval(sample, 5);
  const code = await new Promise<number | null>(
    (resolve, reject) => (child.on("error", reject), child.on("exit", resolve)),
  );
  clearInterval(timer);
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`psql \\copy exited with ${code}: ${out}`);
  const check = await createDb({ databaseUrl, poolMax: 1 });
  try {
    const n = await sql<{ n: number }>`select count(*)::int as n from student_record_bench`.execute(check.db);
    printResult({ rows: n.rows[0].n, ms, psqlPeakRssKb: psqlKb });
  } finally {
    await check.db.destroy();
  }
}

// ---------------------------------------------------------------------------------------------

/** The job's path (jobs/definitions/student-record-import.handler.ts): read → type every row → all-or-nothing write. */
async function appImport(file: string, kind: "postgres" | "pglite", databaseUrl?: string) {
  const { createDb, migrateToLatest, pgliteParsers, setDbHandle } = await import("../db/client");
  const { seedDemo } = await import("../db/seed");
  const { readXlsxRows } = await import("../app/imports/read-rows.server");
  const { importStudentRecords } = await import("../app/services/import-student-records.server");
  // PGlite in memory, as the tests use it; PostgreSQL with the app's pool settings.
  let handle: DbHandle;
  if (kind === "pglite") {
    const { PGlite } = await import("@electric-sql/pglite");
    handle = await createDb({ pglite: await PGlite.create({ parsers: pgliteParsers }) });
  } else {
    handle = await createDb({ databaseUrl });
  }
  const opened = memStatus();
  setDbHandle(handle);
  const db = handle.db;
  try {
    await migrateToLatest(db);
    await seedDemo(db);
    const site = await db.selectFrom("org").select("id").where("code", "=", SITE_CODE).executeTakeFirstOrThrow();
    const account = await db
      .selectFrom("account")
      .select(["id", "name"])
      .where("email", "=", SITE_LOGIN)
      .executeTakeFirstOrThrow();
    const sitting = await db
      .selectFrom("sitting")
      .select("id")
      .where("is_current", "=", true)
      .executeTakeFirstOrThrow();
    const before = memStatus();

    const t0 = performance.now();
    const rows: Array<{ row: number; value: StudentRecordImportValue }> = [];
    const errors: RowError[] = [];
    for await (const raw of readXlsxRows(file, SPEC)) {
      const r = parseStudentRecordImportRow(raw.cells);
      if (r.value) rows.push({ row: raw.row, value: r.value });
      else for (const e of r.errors) errors.push({ row: raw.row, ...e });
    }
    const readMs = performance.now() - t0;
    const afterRead = memStatus();
    const heapAfterReadMb = heapMb();
    if (errors.length) throw new Error(`${errors.length} row errors, first: ${JSON.stringify(errors[0])}`);

    // The job's progress callback writes the job row through getDb(); this one only notes the time
    // after each batch, which splits the write into its phases.
    const ticks: number[] = [];
    const t1 = performance.now();
    const outcome = await importStudentRecords(
      { accountId: account.id, name: account.name, orgId: site.id, sittingId: sitting.id, ip: null },
      site.id,
      rows,
      false,
      async () => void ticks.push(performance.now()),
    );
    const t2 = performance.now();
    const writeMs = t2 - t1;
    const gaps = ticks
      .slice(1)
      .map((t, i) => t - ticks[i])
      .sort((a, b) => a - b);
    const batchMedianMs = gaps.length ? gaps[Math.floor(gaps.length / 2)] : ticks.length ? ticks[0] - t1 : 0;
    if (!outcome.ok)
      throw new Error(`import refused: ${outcome.errors.length} errors, first: ${JSON.stringify(outcome.errors[0])}`);
    const stored = await db
      .selectFrom("student_record")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("org_id", "=", site.id)
      .executeTakeFirstOrThrow();
    printResult({
      rows: rows.length,
      stored: Number(stored.n),
      inserted: outcome.inserted,
      readMs,
      writeMs,
      totalMs: readMs + writeMs,
      batches: ticks.length,
      batchMedianMs,
      batchesMs: ticks.length ? ticks[ticks.length - 1] - ticks[0] + batchMedianMs : 0,
      // Before the first batch: advisory lock, findExisting (chunks of 5,000), the plan; after the last: audit entry and commit.
      beforeFirstBatchMs: ticks.length ? ticks[0] - t1 - batchMedianMs : 0,
      afterLastBatchMs: ticks.length ? t2 - ticks[ticks.length - 1] : 0,
      rssAfterOpenKb: opened.rssKb,
      rssBeforeKb: before.rssKb,
      peakAfterReadKb: afterRead.hwmKb,
      rssAfterReadKb: afterRead.rssKb,
      heapAfterReadMb,
      heapAfterWriteMb: heapMb(),
    });
  } finally {
    setDbHandle(undefined);
    await db.destroy(); // closes the pool, or the PGlite
  }
}

/**
 * The import as the job runs it on PostgreSQL (decision 0010): the stored upload through the job's
 * handler, which writes while it reads; one figure, the whole of it.
 */
async function jobImport(file: string, databaseUrl: string) {
  const { createDb, migrateToLatest, setDbHandle } = await import("../db/client");
  const { seedDemo } = await import("../db/seed");
  const { storeStream } = await import("../app/utils/file-store.server");
  const { default: handler } = await import("../jobs/definitions/student-record-import.handler");
  const handle = await createDb({ databaseUrl });
  setDbHandle(handle);
  const db = handle.db;
  try {
    await migrateToLatest(db);
    await seedDemo(db);
    const site = await db.selectFrom("org").select("id").where("code", "=", SITE_CODE).executeTakeFirstOrThrow();
    const sitting = await db
      .selectFrom("sitting")
      .select("id")
      .where("is_current", "=", true)
      .executeTakeFirstOrThrow();
    const stored = await storeStream(
      {
        kind: "upload",
        name: "student-records.xlsx",
        contentType: "application/octet-stream",
        orgId: site.id,
        sittingId: sitting.id,
        createdBy: null,
      },
      fs.createReadStream(file),
    );
    const t0 = performance.now();
    const result = await handler(
      {
        fileId: stored.id,
        siteId: site.id,
        overwrite: false,
        locale: "zh-CN",
        actorName: "bench",
        ip: null,
        kind: "xlsx",
      },
      { jobId: "bench", accountId: null, orgId: site.id, sittingId: sitting.id, progress: async () => {} },
    );
    const totalMs = performance.now() - t0;
    if (!result.ok) throw new Error(`import refused: ${JSON.stringify(result).slice(0, 400)}`);
    printResult({ rows: result.rows, totalMs });
  } finally {
    setDbHandle(undefined);
    await db.destroy();
  }
}

// ---------------------------------------------------------------------------------------------

async function main([mode, ...args]: string[]) {
  if (mode === "gen") await gen(args[0], args[1], Number(args[2]), Number(args[3]));
  else if (mode === "read") await rawRead(args[0]);
  else if (mode === "copy") await rawCopy(args[0], args[1]);
  else if (mode === "app" && (args[1] === "postgres" || args[1] === "pglite"))
    await appImport(args[0], args[1], args[2]);
  else if (mode === "job") await jobImport(args[0], args[1]);
  else throw new Error(`usage: import-child.ts gen|read|copy|app … (got ${mode ?? "nothing"})`);
}

// Run only as a script (benchRow is importable).
await runAsScript(import.meta.url, "import-child", main);
