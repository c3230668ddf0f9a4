import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as importRoute from "../../app/routes/admin.scores.import";
import * as scoresRoute from "../../app/routes/admin.scores._index";
import * as statusRoute from "../../app/routes/candidate._index";
import * as statsRoute from "../../app/routes/admin.scores.stats";
import * as downloadRoute from "../../app/routes/admin.scores.download";
import * as mailingRoute from "../../app/routes/admin.scores.mailing";
import * as receiptsRoute from "../../app/routes/admin.scores.receipts";
import * as columnsRoute from "../../app/routes/admin.scores.columns";
import { havePdftoppm, pdfText } from "../factories/pdf-render";
import { downloadFile, readDbf, unzipBuffer } from "../factories/files";
import * as statsExportRoute from "../../app/routes/admin.scores.stats.export";
import { waitForInlineIdle } from "../../jobs/runner";
import { getDb } from "../../db/client";
import { parseScoreRow } from "../../app/domain/scores";
import { openScoreImport } from "../../app/services/scores.server";
import { act, auditCount, load, newCandidate, orgId, run, sessionCookie } from "../factories";
import { numberedSite } from "../factories/rooms";
import { shown } from "../factories/shown";

// SCO-1 (issue 19 item 3) and the candidate's status page (item 7): 990102 after its exam.
let site1: string, site2: string, province99: string, finance1: string;
let id990102: number, sittingId: number;
type Row = { id: number; admission_no: string; name: string; id_number: string; subject_code: string; reg: number };
let entries: Row[];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-scores-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  [site1, site2, province99, finance1] = await Promise.all(
    ["site990101", "site990102", "province99", "finance990101"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  id990102 = await orgId("990102");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  await numberedSite(site2, {
    siteId: id990102,
    sittingId,
    rooms: [{ number: "01", seats: 10 }],
    candidates: [
      { name: "赵一", subjects: ["14"] },
      { name: "钱二", subjects: ["14", "65"] },
      { name: "孙三", subjects: ["65"] },
      { name: "李四", subjects: ["14"] },
    ],
  });
  entries = (await getDb()
    .selectFrom("entry as e")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .select(["e.id", "e.admission_no", "g.name", "g.id_number", "e.subject_code", "g.id as reg"])
    .where("e.org_id", "=", id990102)
    .where("e.admission_no", "is not", null)
    .orderBy("e.admission_no")
    .execute()) as Row[];
});

const HEAD = "ZKZH,ZJH,XM,KSKM,CJ,DJ,ZSBH,BZ";
const line = (e: Row, cj: string, dj: string, over: { name?: string; id?: string; cert?: string } = {}) =>
  [e.admission_no, over.id ?? e.id_number, over.name ?? e.name, e.subject_code, cj, dj, over.cert ?? "", ""].join(",");

/** Uploads to any of the .csv import routes (the score file's, the certificate mailing's). */
async function uploadTo(route: typeof importRoute, name: string, body: Buffer) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(body)]), name);
  const request = new Request("http://localhost:3000/admin/scores/x", {
    method: "POST",
    body: form,
    headers: { Cookie: site2, "x-kaowu-client-ip": "127.0.0.1" },
  });
  const r = await run(() => route.action({ request, params: {}, context: {} }));
  await waitForInlineIdle();
  return r;
}

async function upload(
  name: string,
  body: Buffer,
  checks: { checkViolations?: boolean; checkMissingNumber?: boolean; checkIdentity?: boolean } = {},
  cookie = site2,
) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  const form = new FormData();
  form.append("file", new Blob([fs.readFileSync(file)]), name);
  for (const k of ["checkViolations", "checkMissingNumber", "checkIdentity"] as const)
    if (checks[k] !== false) form.append(k, "on");
  const request = new Request("http://localhost:3000/admin/scores/import", {
    method: "POST",
    body: form,
    headers: { Cookie: cookie, "x-kaowu-client-ip": "127.0.0.1" },
  });
  const r = await run(() => importRoute.action({ request, params: {}, context: {} }));
  await waitForInlineIdle();
  return r;
}
const last = async () => shown((await load(importRoute, "/admin/scores/import", site2)).data.last?.result);
const gb = (text: string, bom = false) =>
  Buffer.concat([bom ? Buffer.from([0x84, 0x31, 0x95, 0x33]) : Buffer.alloc(0), iconv.encode(text, "gb18030")]);
const scoreCount = async () => (await getDb().selectFrom("score").selectAll().execute()).length;

describe("score import (SCO-1)", () => {
  it("SCO-1: a name or ID that differs blocks the import and every mismatch is listed; nothing is written", async () => {
    const [a, b] = entries;
    const csv = [HEAD, line(a, "95", "3", { name: "赵壹" }), line(b, "72", "1", { id: "110101199003071234" })].join(
      "\r\n",
    );
    expect((await upload("scores.csv", gb(csv))).data).toMatchObject({ ok: true });
    const refused = await last();
    expect(refused.ok).toBe(false);
    expect(refused.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [2, "XM"],
      [3, "ZJH"],
    ]);
    expect(refused.errors[0].message).toBe(`姓名与报名信息（${a.name}）不一致。`);
    expect(await scoreCount()).toBe(0);
  });

  it("SCO-1: confirmed (the identity check off), the file's name and ID win, audited with the ID masked", async () => {
    const [a, b] = entries;
    const csv = [HEAD, line(a, "95", "3", { name: "赵壹" }), line(b, "72", "1", { id: "110101199003071234" })].join(
      "\r\n",
    );
    await upload("scores.csv", gb(csv), { checkIdentity: false });
    expect(await last()).toMatchObject({ ok: true, imported: 2, identityUpdated: 2 });
    const regs = await getDb()
      .selectFrom("registration")
      .select(["id", "name", "id_number"])
      .where("id", "in", [a.reg, b.reg])
      .execute();
    expect(regs.find((r) => r.id === a.reg)?.name).toBe("赵壹");
    expect(regs.find((r) => r.id === b.reg)?.id_number).toBe("110101199003071234");
    expect(await auditCount("registration.score_identity")).toBe(2);
    const logged = await getDb()
      .selectFrom("audit_log")
      .select("changes")
      .where("action", "=", "registration.score_identity")
      .execute();
    expect(JSON.stringify(logged)).not.toContain("110101199003071234");
    // Put them back for the tests that follow.
    for (const e of [a, b])
      await getDb()
        .updateTable("registration")
        .set({ name: e.name, id_number: e.id_number })
        .where("id", "=", e.reg)
        .execute();
  });

  it("SCO-1: GB18030 with and without BOM, UTF-8 with BOM, CRLF: the 16-digit admission number stays exact", async () => {
    const [a] = entries;
    for (const [name, body] of [
      ["gb.csv", gb([HEAD, line(a, "88", "2")].join("\r\n"))],
      ["gb-bom.csv", gb([HEAD, line(a, "91", "3")].join("\r\n"), true)],
      ["utf8.csv", Buffer.from(`\uFEFF${[HEAD, line(a, "61", "1")].join("\r\n")}\r\n`, "utf8")],
    ] as const) {
      await upload(name, body);
      expect(await last(), name).toMatchObject({ ok: true, imported: 1 });
    }
    const s = await getDb().selectFrom("score").selectAll().where("entry_id", "=", a.id).executeTakeFirstOrThrow();
    expect(s).toMatchObject({ score: 61, grade_code: 1 });
    const listed = await load(scoresRoute, `/admin/scores?q=${a.admission_no}`, site2);
    expect(listed.data.rows[0]).toMatchObject({ admission_no: a.admission_no, score: 61 });
    expect(listed.data.rows[0].id_number).toMatch(/^\*+[0-9X]{4}$/);
  });

  it("SCO-1: written while read, an error in a later part rolls back the parts already written; a clean file commits", async () => {
    const options = { checkViolations: false, checkMissingNumber: true, checkIdentity: true };
    const actor = { accountId: null, name: "test", orgId: id990102, sittingId, ip: null };
    const typed = (e: Row, cj: string, dj: string, row: number) => {
      const r = parseScoreRow({
        ZKZH: e.admission_no,
        ZJH: e.id_number,
        XM: e.name,
        KSKM: e.subject_code,
        CJ: cj,
        DJ: dj,
      });
      return { row, value: r.value! };
    };
    const snapshot = () => getDb().selectFrom("score").selectAll().orderBy("entry_id").execute();
    const before = await snapshot();
    const failing = await openScoreImport(actor, id990102, options);
    failing.push([typed(entries[0], "95", "3", 2)], false);
    failing.push([typed(entries[1], "70", "1", 3)], false);
    // The last part's grade disagrees with its score.
    failing.push([typed(entries[2], "50", "3", 4)], false);
    const out = await failing.finish(false);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.errors.map((e) => [e.row, e.key])).toEqual([[4, "scores.grade_mismatch"]]);
    expect(await snapshot()).toEqual(before);
    // A row that failed to type elsewhere rolls back too, with the plan's errors still listed.
    const typingFailed = await openScoreImport(actor, id990102, options);
    typingFailed.push([typed(entries[0], "95", "3", 2)], true);
    expect(await typingFailed.finish(true)).toEqual({ ok: false, errors: [] });
    expect(await snapshot()).toEqual(before);
    // A part the database refuses (here a trigger standing in for any failed write) fails the import
    // even though the parts are planned ahead of their writes, and nothing of it stays.
    await sql`create function refuse_score() returns trigger language plpgsql as $$
      begin raise exception 'refused by the test'; end $$`.execute(getDb());
    await sql`create trigger refuse_score before insert on score for each row
      when (new.entry_id = ${sql.lit(entries[1].id)}) execute function refuse_score()`.execute(getDb());
    try {
      const refused = await openScoreImport(actor, id990102, options);
      refused.push([typed(entries[1], "70", "1", 2)], false);
      refused.push([typed(entries[3], "61", "1", 3)], false);
      await expect(refused.finish(false)).rejects.toThrow(/refused by the test/);
      expect(await snapshot()).toEqual(before);
      const aborted = await openScoreImport(actor, id990102, options);
      aborted.push([typed(entries[1], "70", "1", 2)], false);
      aborted.push([typed(entries[3], "61", "1", 3)], false);
      await aborted.abort();
      expect(await snapshot()).toEqual(before);
    } finally {
      await sql`drop trigger refuse_score on score`.execute(getDb());
      await sql`drop function refuse_score()`.execute(getDb());
    }
    const clean = await openScoreImport(actor, id990102, options);
    clean.push([typed(entries[0], "95", "3", 2)], false);
    clean.push([typed(entries[3], "61", "1", 3)], false);
    expect(await clean.finish(false)).toMatchObject({ ok: true, imported: 2 });
    const written = await getDb()
      .selectFrom("score")
      .select(["entry_id", "score"])
      .where("entry_id", "in", [entries[0].id, entries[3].id])
      .orderBy("entry_id")
      .execute();
    expect(written.map((w) => w.score)).toEqual([95, 61]);
    // Leave the scores as the other tests had them.
    await getDb().deleteFrom("score").where("entry_id", "in", [entries[0].id, entries[3].id]).execute();
    const kept = before.filter((b) => b.entry_id === entries[0].id || b.entry_id === entries[3].id);
    if (kept.length) await getDb().insertInto("score").values(kept).execute();
  });

  it("SCO-1: rows without an admission number block with the check and are left out without it", async () => {
    const [, , c] = entries;
    const csv = [HEAD, line(c, "55", "0"), ",,无名,14,70,1,,"].join("\r\n");
    await upload("missing.csv", gb(csv));
    expect((await last()).errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([[3, "ZKZH"]]);
    await upload("missing.csv", gb(csv), { checkMissingNumber: false });
    expect(await last()).toMatchObject({ ok: true, imported: 1, skipped: 1 });
  });

  it("SCO-1: violations must agree both ways; unticked, the file's update the violation table", async () => {
    const [, , , d] = entries;
    await getDb()
      .insertInto("violation")
      .values({ entry_id: d.id, sitting_id: sittingId, org_id: id990102, kind: "absent", source: "manual" })
      .execute();
    const [a] = entries;
    const csv = [HEAD, line(a, "", "-3"), line(d, "66", "1")].join("\r\n");
    await upload("violations.csv", gb(csv));
    const refused = await last();
    expect(refused.errors.map((e: { row: number; message: string }) => [e.row, e.message])).toEqual([
      [2, "违规信息不一致：成绩文件为“作弊”，违规表为“无”。"],
      [3, "违规信息不一致：成绩文件为“无”，违规表为“缺考”。"],
    ]);
    await upload("violations.csv", gb(csv), { checkViolations: false });
    expect(await last()).toMatchObject({ ok: true, imported: 2, violationsUpdated: 2 });
    const v = await getDb().selectFrom("violation").select(["entry_id", "kind", "source"]).execute();
    expect(v).toEqual([{ entry_id: a.id, kind: "cheating", source: "score_file" }]);
  });

  it("ORG-2/X-3: another site's candidate is no such number; a CSV renamed .xlsx is read as CSV; an .xlsx is refused; a formula-looking name is text", async () => {
    const [a] = entries;
    const before = await scoreCount();
    await upload("other.csv", gb([HEAD, line(a, "99", "3")].join("\r\n")), {}, site1);
    const other = shown((await load(importRoute, "/admin/scores/import", site1)).data.last?.result);
    expect(other.errors.map((e: { message: string }) => e.message)).toEqual(["本考点本考次没有这个准考证号。"]);
    const c = entries[2];
    await upload("renamed.xlsx", gb([HEAD, line(c, "90", "3")].join("\r\n")));
    expect(await last()).toMatchObject({ ok: true, imported: 1 });
    const { default: ExcelJS } = await import("exceljs");
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("成绩").addRow(HEAD.split(","));
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const refused = await upload("scores.xlsx", xlsx);
    expect(refused.data.error).toBe("成绩文件须为 .csv 格式；请从阅卷系统导出 CSV 后再上传。");
    await upload("formula.csv", gb([HEAD, line(c, "90", "3", { name: "=1+2" })].join("\r\n")));
    const f = await last();
    expect(f.errors[0]).toMatchObject({ column: "XM", value: "=1+2" });
    expect(await scoreCount()).toBe(before);
    // A superior reads scores, never imports them.
    expect((await upload("p.csv", gb(HEAD), {}, province99)).status).toBe(403);
  });

  it("SCO-1 (item 7): the candidate's status page shows the score and grade once imported", async () => {
    const c = entries[2];
    const me = await newCandidate(c.name);
    await getDb().updateTable("registration").set({ account_id: me.id }).where("id", "=", c.reg).execute();
    const page = await load(statusRoute, "/candidate", me.cookie);
    expect(page.data.scores).toEqual([expect.objectContaining({ score: 90, grade: 3 })]);
  });

  it("SCO-3: statistics per subject in the manual's columns match the scores; a province sees its sites, another site none", async () => {
    const rows = await getDb()
      .selectFrom("score as c")
      .innerJoin("entry as e", "e.id", "c.entry_id")
      .select(["e.subject_code", "c.grade_code", "e.registration_id"])
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    const mine = await load(statsRoute, "/admin/scores/stats", site2);
    expect(mine.data.total.total).toBe(rows.length);
    expect(mine.data.total.excellent).toBe(rows.filter((r) => r.grade_code === 3).length);
    expect(mine.data.total.cheating).toBe(rows.filter((r) => r.grade_code === -3).length);
    expect(mine.data.people).toBe(new Set(rows.map((r) => r.registration_id)).size);
    for (const s of mine.data.subjects) expect(s.total).toBe(rows.filter((r) => r.subject_code === s.code).length);
    const province = await load(statsRoute, "/admin/scores/stats", province99);
    expect(province.data.total.total).toBe(rows.length);
    expect(province.data.sites.find((x: { id: number }) => x.id === id990102).counts.total).toBe(rows.length);
    expect((await load(statsRoute, "/admin/scores/stats", site1)).data.total.total).toBe(0);
    expect((await load(statsRoute, `/admin/scores/stats?site=${id990102}`, site1)).status).toBe(403);
    const res = (await statsExportRoute.loader({
      request: new Request("http://localhost/admin/scores/stats/export", { headers: { Cookie: province99 } }),
      params: {},
      context: {},
    })) as Response;
    const { default: ExcelJS } = await import("exceljs");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(["按科目", "按考点"]);
    expect(wb.worksheets[0].getRow(1).values).toContain("优秀");
  });

  it("SCO-3/WIN-2: score files only inside the post-exam downloads window; the .dbf in GBK with its code page, the .csv reads back", async () => {
    const closed = await act(downloadRoute, "/admin/scores/download", site2, { kind: "score_dbf" });
    expect(closed.status).toBe(403);
    expect(closed.data.error).toContain("考后资料下载");
    await getDb()
      .updateTable("window")
      .set({ starts_at: new Date(Date.now() - 3_600_000) })
      .where("sitting_id", "=", sittingId)
      .where("kind", "=", "post_exam_downloads")
      .execute();
    // A site without scores has nothing to generate.
    const none = await act(downloadRoute, "/admin/scores/download", site1, { kind: "score_csv" });
    expect(none.data.error).toBe("本考点还没有导入成绩，导入后才能生成成绩文件。");
    // A forged kind (another page's file) is no choice here.
    expect((await act(downloadRoute, "/admin/scores/download", site2, { kind: "cbt_data" })).status).toBe(400);
    for (const kind of ["score_dbf", "score_csv"])
      expect((await act(downloadRoute, "/admin/scores/download", site2, { kind })).data).toMatchObject({ ok: true });
    await waitForInlineIdle();
    const page = await load(downloadRoute, "/admin/scores/download", site2);
    const [dbfFile, csvFile] = page.data.kinds.map((k: { file: { fileId: string; stale: boolean } }) => k.file);
    expect(dbfFile.stale).toBe(false);
    const scores = await getDb()
      .selectFrom("score as c")
      .innerJoin("entry as e", "e.id", "c.entry_id")
      .innerJoin("registration as g", "g.id", "e.registration_id")
      .select(["e.admission_no", "g.name", "c.score", "c.grade_code"])
      .where("c.org_id", "=", id990102)
      .orderBy("e.admission_no")
      .execute();
    const zip = await unzipBuffer(Buffer.from(await (await downloadFile(dbfFile.fileId, site2)).arrayBuffer()));
    expect([...zip.keys()]).toEqual(["990102_CJ.DBF"]);
    const dbf = readDbf(zip.get("990102_CJ.DBF")!);
    expect(dbf.codePage).toBe(0x7a);
    expect(dbf.fields.map((f) => `${f.name}:${f.type}${f.size}`).slice(0, 6)).toEqual([
      "ZKZH:C20",
      "ZJH:C18",
      "XM:C30",
      "KSKM:C2",
      "CJ:N3",
      "DJ:C2",
    ]);
    expect(dbf.rows.map((r) => [r.ZKZH, r.XM, r.CJ.trim() === "" ? null : Number(r.CJ), Number(r.DJ)])).toEqual(
      scores.map((x) => [x.admission_no, x.name, x.score, x.grade_code]),
    );
    // The .csv is the score file again: imported back, it changes nothing and agrees on every check.
    const csv = Buffer.from(await (await downloadFile(csvFile.fileId, site2)).arrayBuffer());
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    await upload("again.csv", csv);
    expect(await last()).toMatchObject({ ok: true, imported: scores.length, identityUpdated: 0 });
    // A score changed since: the files are stale.
    await getDb().updateTable("score").set({ remark: "复核" }).where("org_id", "=", id990102).execute();
    const after = await load(downloadRoute, "/admin/scores/download", site2);
    expect(after.data.kinds.every((k: { file: { stale: boolean } }) => k.file.stale)).toBe(true);
    // Finance never downloads them (personal data), nor does another site.
    for (const who of [finance1, site1]) {
      const refused = (await downloadFile(dbfFile.fileId, who)) as unknown as { status: number };
      const status = refused.status ?? (refused as unknown as { init?: { status?: number } }).init?.status;
      expect([403, 404], JSON.stringify(refused)).toContain(status);
    }
  });

  it("SCO-2: certificate mailing from .csv: only a passed entry, the certificate number agreeing; the candidate sees the tracking number", async () => {
    const c = entries[2];
    await getDb().updateTable("score").set({ certificate_no: "14799010000001" }).where("entry_id", "=", c.id).execute();
    const [fail] = await getDb()
      .selectFrom("score as s")
      .innerJoin("entry as e", "e.id", "s.entry_id")
      .select("e.admission_no")
      .where("s.grade_code", "<", 1)
      .where("e.org_id", "=", id990102)
      .execute();
    const head = "准考证号,证书编号,收件人,联系电话,邮寄地址,邮政编码,快递公司,邮件单号,寄出日期";
    const bad = [
      head,
      `${c.admission_no},14799010000002,${c.name},13800138000,北京市海淀区学院路 1 号,100083,EMS,1234567890123,2027-05-20`,
      `${fail.admission_no},,某人,12345,地址,1000,EMS,99,`,
    ].join("\r\n");
    await uploadTo(mailingRoute, "mailing.csv", gb(bad));
    const refused = shown((await load(mailingRoute, "/admin/scores/mailing", site2)).data.last?.result);
    expect(refused.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [2, "ZSBH"],
      [3, "LXDH"],
      [3, "YZBM"],
    ]);
    const good = [
      head,
      `${c.admission_no},14799010000001,${c.name},13800138000,北京市海淀区学院路 1 号,100083,EMS,1234567890123,2027-05-20`,
    ].join("\r\n");
    await uploadTo(mailingRoute, "mailing.csv", gb(good));
    expect(shown((await load(mailingRoute, "/admin/scores/mailing", site2)).data.last?.result)).toMatchObject({
      ok: true,
      imported: 1,
    });
    const notPassed = [head, `${fail.admission_no},,某人,13800138000,地址,100083,EMS,99,`].join("\r\n");
    await uploadTo(mailingRoute, "mailing.csv", gb(notPassed));
    const np = shown((await load(mailingRoute, "/admin/scores/mailing", site2)).data.last?.result);
    expect(np.errors[0].message).toBe("这名考生这个科目没有及格的成绩，没有证书可寄。");
    const me = await newCandidate(c.name);
    await getDb().updateTable("registration").set({ account_id: me.id }).where("id", "=", c.reg).execute();
    const page = await load(statusRoute, "/candidate", me.cookie);
    expect(page.data.mailings).toEqual([expect.objectContaining({ tracking_no: "1234567890123", courier: "EMS" })]);
  });

  // pdftotext reads the forms back (poppler-utils: .ci/run installs it; a machine without it skips).
  it.skipIf(!havePdftoppm())(
    "DOC-7: certificate receipt forms by class and by room list who passed, with certificate number, masked ID and a box to sign",
    async () => {
      // (The post-exam downloads window was opened by the score files test above.)
      const passed = await getDb()
        .selectFrom("score as c")
        .innerJoin("entry as e", "e.id", "c.entry_id")
        .innerJoin("registration as g", "g.id", "e.registration_id")
        .select(["e.admission_no", "g.name", "g.id_number", "g.class_name", "c.certificate_no"])
        .where("c.org_id", "=", id990102)
        .where("c.grade_code", ">=", 1)
        .execute();
      expect(passed.length).toBeGreaterThan(0);
      expect(
        (await act(receiptsRoute, "/admin/scores/receipts", site1, { kind: "receipts_by_class" })).data.error,
      ).toBe("本考点还没有及格的成绩，没有证书领取确认单可生成。");
      for (const kind of ["receipts_by_class", "receipts_by_room"])
        expect((await act(receiptsRoute, "/admin/scores/receipts", site2, { kind })).data).toMatchObject({ ok: true });
      await waitForInlineIdle();
      const page = await load(receiptsRoute, "/admin/scores/receipts", site2);
      const [byClass, byRoom] = page.data.kinds.map((k: { file: { fileId: string } }) => k.file);
      const zip = await unzipBuffer(Buffer.from(await (await downloadFile(byClass.fileId, site2)).arrayBuffer()));
      const classes = new Set(passed.map((p) => p.class_name || "未填班级"));
      expect(zip.size).toBe(classes.size);
      const text = (await Promise.all([...zip.values()].map((pdf) => pdfText(pdf)))).join("\n");
      for (const p of passed) {
        expect(text).toContain(p.name);
        expect(text).toContain(p.admission_no);
        if (p.certificate_no) expect(text).toContain(p.certificate_no);
        expect(text).not.toContain(p.id_number);
        expect(text).toContain(p.id_number.slice(-4));
      }
      expect(text).toContain("领取人签名");
      const rooms = await unzipBuffer(Buffer.from(await (await downloadFile(byRoom.fileId, site2)).arrayBuffer()));
      expect([...rooms.keys()].every((n) => /^990102\/\d{3}-第 \d\d 考场\.pdf$/.test(n))).toBe(true);
    },
  );

  it("SCO-1: the centre names the deployment's own columns; a site's file with them imports; nobody else changes them", async () => {
    const centre = await sessionCookie("centre@example.com");
    const form = { kind: "scores", f_CJ: "分数，卷面成绩", f_DJ: "等级码" };
    expect((await act(columnsRoute, "/admin/scores/columns", site2, form)).status).toBe(403);
    const taken = await act(columnsRoute, "/admin/scores/columns", centre, { kind: "scores", f_CJ: "准考证号" });
    expect(taken.data.error).toBe("列名“准考证号”已经属于字段 ZKZH，不能再给字段 CJ。");
    expect((await act(columnsRoute, "/admin/scores/columns", centre, form)).data).toMatchObject({ ok: true });
    expect(await auditCount("score.columns")).toBe(1);
    const c = entries[2];
    await upload("own.csv", gb(["准考证号,分数,等级码", `${c.admission_no},81,2`].join("\r\n")));
    expect(await last()).toMatchObject({ ok: true, imported: 1 });
    expect(
      await getDb().selectFrom("score").select(["score", "grade_code"]).where("entry_id", "=", c.id).executeTakeFirst(),
    ).toEqual({ score: 81, grade_code: 2 });
  });

  it("X-3: a 2 GB score file is refused while it streams (the upload cap); nothing is stored or queued", async () => {
    const count = async (t: "stored_file" | "job") =>
      Number(
        (
          await getDb()
            .selectFrom(t)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await Promise.all([count("stored_file"), count("job")]);
    let pulled = 0;
    const chunk = new TextEncoder().encode("1479990102010001,90,3,\r\n".repeat(10_000));
    const boundary = "----kaowu";
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scores.csv"\r\nContent-Type: text/csv\r\n\r\nZKZH,CJ,DJ,BZ\r\n`,
    );
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(head);
      },
      pull(c) {
        if (pulled >= 2 * 1024 ** 3) return c.close();
        pulled += chunk.length;
        c.enqueue(chunk);
      },
    });
    const request = new Request("http://localhost:3000/admin/scores/import", {
      method: "POST",
      body,
      duplex: "half",
      headers: { Cookie: site2, "Content-Type": `multipart/form-data; boundary=${boundary}` },
    } as RequestInit);
    const r = await run(() => importRoute.action({ request, params: {}, context: {} }));
    expect([400, 413]).toContain(r.status);
    expect(r.data.error).toBeTruthy();
    expect(pulled).toBeLessThan(300 * 1024 ** 2);
    expect(await Promise.all([count("stored_file"), count("job")])).toEqual(before);
  });
});
