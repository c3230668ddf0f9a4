import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import * as exportRoute from "../../app/routes/admin.candidates.export";
import * as cancellationsRoute from "../../app/routes/admin.cancellations._index";
import * as cancellationRoute from "../../app/routes/admin.cancellations.$id";
import * as filesRoute from "../../app/routes/files.$id";
import { getDb } from "../../db/client";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, load, orgId, residentId, sessionCookie } from "../factories";
import { makeRegistration, type RegOpts } from "../factories/registrations";
import { privateSearchPath } from "../factories/private-search";

let site1: number, site2: number, site3: number, siteCq: number, sittingId: number;
let admin1: string, admin2: string, admin3: string, finance1: string, city1: string, province: string;
const SUBJECT_14 = "(14) 计算机基础及WPS Office应用";
const HEADER = ["考生序号", "姓名", "证件号码(后4位)", "考点代码", "班级", "报考科目", "报考科目总数", "报考科目序号"];

beforeAll(async () => {
  [site1, site2, site3, siteCq] = await Promise.all(["990101", "990102", "990201", "500101"].map(orgId));
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  [admin1, admin2, admin3, finance1, city1, province] = await Promise.all(
    ["site990101", "site990102", "site990201", "finance990101", "city9901", "province99"].map((u) =>
      sessionCookie(`${u}@example.com`),
    ),
  );
});

let seq = 0;
/** A registration with its entries at 990101 unless told, by the group channel and without photo unless told. */
const makeReg = (o: Partial<RegOpts> = {}) =>
  makeRegistration({ siteId: site1, sittingId, channel: "group", photo: false, ...o });

function uniqueClass() {
  return `导出班${++seq}`;
}

type Cell = ExcelJS.CellValue;

/** Downloads a stored file as the user would and reads its first sheet as rows of values. */
async function readXlsx(fileId: string, cookie: string): Promise<Cell[][]> {
  const dl = (await filesRoute.loader({
    request: new Request(`http://localhost/files/${fileId}`, { headers: { Cookie: cookie } }),
    params: { id: fileId },
    context: {},
  })) as Response;
  expect(dl.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await dl.arrayBuffer()) as unknown as Parameters<typeof wb.xlsx.load>[0]);
  const ws = wb.worksheets[0];
  const width = ws.getRow(1).cellCount;
  const rows: Cell[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    // Empty cells come back as holes (and trailing ones not at all): every row gets the header's width.
    rows.push(
      Array.from({ length: width }, (_, i) => {
        const v = (row.values as Cell[])[i + 1];
        return v === undefined || v === "" ? null : v;
      }),
    );
  });
  return rows;
}

async function finishedJob(jobId: string) {
  await waitForInlineIdle();
  const job = await getDb().selectFrom("job").selectAll().where("id", "=", jobId).executeTakeFirstOrThrow();
  expect(job.status, String(job.error)).toBe("done");
  expect(job.progress).toBe(100);
  return job as typeof job & { result: { fileId: string; rows: number } };
}

/** MGT-3: starts the export as the search page does (filter in the query string) and reads the file back. */
async function exportCandidates(cookie: string, query: string) {
  const r = await act(exportRoute, `/admin/candidates/export?${query}`, cookie, {});
  expect(r.status, JSON.stringify(r.data)).toBe(303);
  const jobId = new URL(r.location!, "http://localhost").searchParams.get("job")!;
  const job = await finishedJob(jobId);
  const rows = await readXlsx(job.result.fileId, cookie);
  return { jobId, job, header: rows[0], rows: rows.slice(1) };
}

/** no cell of the file holds a whole ID number of anyone in the database. */
async function expectNoWholeIdNumber(rows: Cell[][]) {
  const ids = [
    ...(await getDb().selectFrom("registration").select("id_number").execute()).map((r) => r.id_number),
    ...(await getDb().selectFrom("cancellation").select("id_number").execute()).map((r) => r.id_number),
  ];
  const cells = rows.flat().map((c) => String(c ?? ""));
  for (const id of ids) {
    expect(
      cells.some((c) => c.includes(id)),
      id,
    ).toBe(false);
    // Not even the first 14 characters (the birth date and order), which with the last 4 would rebuild it.
    expect(
      cells.some((c) => c.includes(id.slice(0, 14))),
      id,
    ).toBe(false);
  }
}

describe("candidate export (MGT-3)", () => {
  it("MGT-3: the export .xlsx has the manual's columns, one row per entry, and ID numbers only as their last 4 characters (X-4)", async () => {
    const cls = uniqueClass();
    const a = await makeReg({ className: cls, subjects: ["14", "15"], paid: ["14"] });
    const b = await makeReg({ className: cls, subjects: [] });
    const name15 = (
      await getDb().selectFrom("subject").select("name").where("code", "=", "15").executeTakeFirstOrThrow()
    ).name;
    const { header, rows, job } = await exportCandidates(admin1, new URLSearchParams({ className: cls }).toString());
    expect(header).toEqual(HEADER);
    expect(rows).toEqual([
      [1, a.reg.name, a.reg.id_number.slice(-4), "990101", cls, SUBJECT_14, 2, 1],
      [1, a.reg.name, a.reg.id_number.slice(-4), "990101", cls, `(15) ${name15}`, 2, 2],
      // A candidate with no entries: one row, no subject.
      [2, b.reg.name, b.reg.id_number.slice(-4), "990101", cls, null, 0, null],
    ]);
    // The last 4 characters stay text (a "0012" keeps its zeros).
    expect(typeof rows[0][2]).toBe("string");
    expect(job.result.rows).toBe(2);
    await expectNoWholeIdNumber([header, ...rows]);
    // Nor does the job's own record carry one.
    expect(JSON.stringify(job)).not.toContain(a.reg.id_number);
    const stored = await getDb()
      .selectFrom("stored_file")
      .selectAll()
      .where("id", "=", job.result.fileId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ kind: "candidate-export", org_id: site1, sitting_id: sittingId });
    expect(stored.name).toMatch(/^所有查询结果报考数据导出\(\d{14}\)\.xlsx$/);
  });

  it("X-2: the export page shows the user's exports and the count of the search, so leaving and coming back finds the file", async () => {
    const cls = uniqueClass();
    await makeReg({ className: cls });
    const { jobId } = await exportCandidates(admin1, `className=${encodeURIComponent(cls)}`);
    const page = await load(
      exportRoute,
      `/admin/candidates/export?className=${encodeURIComponent(cls)}&job=${jobId}`,
      admin1,
    );
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ count: 1, started: jobId, filter: `className=${encodeURIComponent(cls)}` });
    expect(page.data.exports.map((j: { id: string }) => j.id)).toContain(jobId);
    // Another administrator of the same site does not get this user's list.
    expect(
      (await load(exportRoute, "/admin/candidates/export", admin2)).data.exports.map((j: { id: string }) => j.id),
    ).not.toContain(jobId);
  });

  it("MGT-3/ORG-2: a site's export never contains another site's candidates; a city's and a province's cover their own sites only", async () => {
    const cls = uniqueClass();
    const r1 = await makeReg({ siteId: site1, className: cls });
    const r2 = await makeReg({ siteId: site2, className: cls });
    const r3 = await makeReg({ siteId: site3, className: cls });
    const rq = await makeReg({ siteId: siteCq, className: cls });
    const names = (rows: Cell[][]) => rows.map((r) => r[1]).sort();
    const q = `className=${encodeURIComponent(cls)}`;

    expect(names((await exportCandidates(admin1, q)).rows)).toEqual([r1.reg.name]);
    expect(names((await exportCandidates(admin2, q)).rows)).toEqual([r2.reg.name]);
    // Asking for another site narrows to nothing rather than reaching it.
    expect((await exportCandidates(admin1, `${q}&site=${site2}`)).rows).toEqual([]);
    expect(names((await exportCandidates(city1, q)).rows)).toEqual([r1.reg.name, r2.reg.name].sort());
    const prov = await exportCandidates(province, q);
    expect(names(prov.rows)).toEqual([r1.reg.name, r2.reg.name, r3.reg.name].sort());
    expect(prov.rows.map((r) => r[3]).sort()).toEqual(["990101", "990102", "990201"]);
    expect(names(prov.rows)).not.toContain(rq.reg.name);
    // A superior narrows to one of its sites.
    expect(names((await exportCandidates(province, `${q}&site=${site3}`)).rows)).toEqual([r3.reg.name]);
    // The file belongs to the requester's organisation: a site cannot download its province's export.
    const fileId = prov.job.result.fileId;
    expect((await load(filesRoute, `/files/${fileId}`, admin1, { id: fileId })).status).toBe(403);
    expect((await load(filesRoute, `/files/${fileId}`, province, { id: fileId })).status).toBe(200);
  });

  it("MGT-3: the search filter applies to the export (payment=all_paid, subject=14)", async () => {
    const cls = uniqueClass();
    const allPaid = await makeReg({ className: cls, subjects: ["14"], paid: ["14"] });
    const partly = await makeReg({ className: cls, subjects: ["14", "15"], paid: ["15"] });
    const other = await makeReg({ className: cls, subjects: ["15"], paid: ["15"] });
    const unpaid = await makeReg({ className: cls, subjects: ["65"] });
    const q = (extra: Record<string, string>) => new URLSearchParams({ className: cls, ...extra }).toString();
    const names = (rows: Cell[][]) => [...new Set(rows.map((r) => r[1]))].sort();

    expect(names((await exportCandidates(admin1, q({ payment: "all_paid" }))).rows)).toEqual(
      [allPaid.reg.name, other.reg.name].sort(),
    );
    const bySubject = await exportCandidates(admin1, q({ subject: "14" }));
    expect(names(bySubject.rows)).toEqual([allPaid.reg.name, partly.reg.name].sort());
    // The matching candidates' entries are all listed, each on its row.
    expect(bySubject.rows.filter((r) => r[1] === partly.reg.name).map((r) => [r[5], r[6], r[7]])).toEqual([
      [SUBJECT_14, 2, 1],
      [expect.stringMatching(/^\(15\) /), 2, 2],
    ]);
    expect(names((await exportCandidates(admin1, q({ payment: "all_paid", subject: "14" }))).rows)).toEqual([
      allPaid.reg.name,
    ]);
    expect(names((await exportCandidates(admin1, q({ payment: "none_paid" }))).rows)).toEqual([unpaid.reg.name]);
  });

  it("MGT-3: finance staff may not export personal data; the export has no time window and is audited", async () => {
    const refused = await act(exportRoute, "/admin/candidates/export", finance1, {});
    expect(refused.status).toBe(403);
    expect(refused.data.error).toContain("财务人员");
    expect((await load(exportRoute, "/admin/candidates/export", finance1)).status).toBe(403);

    // Every window of the site closed: exporting still works (manual: 无操作时间限制; WIN-3).
    const windows = await getDb()
      .selectFrom("window")
      .selectAll()
      .where("org_id", "=", site1)
      .where("sitting_id", "=", sittingId)
      .execute();
    await getDb()
      .updateTable("window")
      .set({ starts_at: new Date("2020-01-01T00:00:00Z"), ends_at: new Date("2020-01-02T00:00:00Z") })
      .where("org_id", "=", site1)
      .where("sitting_id", "=", sittingId)
      .execute();
    try {
      const cls = uniqueClass();
      const r = await makeReg({ className: cls });
      const { jobId, rows } = await exportCandidates(admin1, `className=${encodeURIComponent(cls)}`);
      expect(rows.map((x) => x[1])).toEqual([r.reg.name]);
      const audit = await getDb()
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "candidate.export")
        .where("entity_id", "=", jobId)
        .executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ org_id: site1, actor_name: "张老师" });
    } finally {
      for (const w of windows)
        await getDb()
          .updateTable("window")
          .set({ starts_at: w.starts_at, ends_at: w.ends_at })
          .where("id", "=", w.id)
          .execute();
    }
  });
});

let cseq = 0;
interface CancelOpts {
  siteId?: number;
  name?: string;
  className?: string;
  subjects?: string[];
  reason?: string;
  at?: Date;
  channel?: "online" | "group";
}

/** A cancellation row as the cancelling service leaves it: the registration's snapshot, its entries, who and why. */
async function makeCancellation(o: CancelOpts = {}) {
  const n = ++cseq;
  const siteId = o.siteId ?? site1;
  const idNumber = residentId("2001-02-03", 100 + n, n % 2 === 0);
  const subjects = o.subjects ?? ["14"];
  const at = o.at ?? new Date();
  const snapshot = {
    id: 100000 + n,
    sitting_id: sittingId,
    org_id: siteId,
    account_id: null,
    channel: o.channel ?? "online",
    id_type: "1",
    id_number: idNumber,
    name: o.name ?? `取消考生${n}`,
    gender: "1",
    birth_date: "2001-02-03",
    ethnicity: "01",
    education: "20",
    occupation: "",
    department: "计算机学院",
    major: "软件工程",
    class_name: o.className ?? "",
    student_no: `S${n}`,
    phone: "13800000000",
    email: `c${n}@example.com`,
    address: "学府路1号",
    postcode: "999001",
    extra_info: "",
    remark: "",
    registry_candidate: false,
    preferred_date: null,
    photo_id: null,
    locked: true,
    review_status: "none",
    person_fee_paid: true,
    created_at: new Date("2026-10-01T02:00:00Z").toISOString(),
  };
  const entries = subjects.map((code) => ({
    subject_code: code,
    paid: true,
    fee_fen: 11000,
    paid_at: new Date("2026-10-02T02:00:00Z").toISOString(),
    payment_id: `PAY${n}${code}`,
  }));
  const row = await getDb()
    .insertInto("cancellation")
    .values({
      sitting_id: sittingId,
      org_id: siteId,
      registration_id: 100000 + n,
      account_id: null,
      channel: o.channel ?? "online",
      id_type: "1",
      id_number: idNumber,
      name: snapshot.name,
      class_name: snapshot.class_name,
      registration: JSON.stringify(snapshot),
      entries: JSON.stringify(entries),
      subject_codes: subjects,
      paid_fen: 1000 + 11000 * subjects.length,
      reason: o.reason ?? "考点报错科目",
      cancelled_by: null,
      cancelled_by_name: "张老师",
      cancelled_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return row;
}

describe("cancellations (MGT-5)", () => {
  it("MGT-5: the list shows the site's cancellations with masked ID numbers, subjects, paid amount in yuan, reason, who and when", async () => {
    const cls = uniqueClass();
    const c = await makeCancellation({ className: cls, subjects: ["14", "15"], reason: "科目报错" });
    const r = await load(cancellationsRoute, `/admin/cancellations?className=${encodeURIComponent(cls)}`, admin1);
    expect(r.status).toBe(200);
    expect(r.data.total).toBe(1);
    expect(r.data.superior).toBe(false);
    expect(r.data.rows[0]).toMatchObject({
      id: c.id,
      name: c.name,
      className: cls,
      idNumber: `${"*".repeat(14)}${c.id_number.slice(-4)}`,
      paid: "230.00",
      reason: "科目报错",
      by: "张老师",
      channel: "online",
      subjects: [
        { code: "14", name: "计算机基础及WPS Office应用" },
        { code: "15", name: expect.any(String) },
      ],
    });
    // the whole number never reaches the page.
    expect(JSON.stringify(r.data)).not.toContain(c.id_number);
  });

  it("MGT-5: search by name, ID number (contains, normalised), class, subject and cancelled date range", async () => {
    const cls = uniqueClass();
    const early = await makeCancellation({
      className: cls,
      name: "欧阳早",
      subjects: ["14"],
      at: new Date("2026-11-01T04:00:00Z"),
    });
    const late = await makeCancellation({
      className: cls,
      name: "欧阳晚",
      subjects: ["15", "65"],
      at: new Date("2026-11-10T04:00:00Z"),
    });
    const ids = async (query: Record<string, string>) => {
      // the search form posts; the page is reached by a token, never the ID number in the URL.
      const r = await load(
        cancellationsRoute,
        await privateSearchPath(admin1, "/admin/cancellations", { className: cls, ...query }),
        admin1,
      );
      return r.data.rows.map((x: { id: number }) => x.id).sort((a: number, b: number) => a - b);
    };
    expect(await ids({})).toEqual([early.id, late.id]);
    expect(await ids({ name: "欧阳早" })).toEqual([early.id]);
    // Part of the ID number, typed with full-width digits and spaces, is normalised before matching.
    const part = late.id_number.slice(6, 14);
    const fullWidth = [...part].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join("");
    expect(await ids({ idNumber: ` ${fullWidth} ` })).toEqual(
      part === early.id_number.slice(6, 14) ? [early.id, late.id] : [late.id],
    );
    expect(await ids({ idNumber: late.id_number.slice(-6) })).toEqual([late.id]);
    expect(await ids({ subject: "65" })).toEqual([late.id]);
    expect(await ids({ subject: "14" })).toEqual([early.id]);
    expect(await ids({ from: "2026-11-05" })).toEqual([late.id]);
    expect(await ids({ to: "2026-11-01" })).toEqual([early.id]);
    expect(await ids({ from: "2026-11-02", to: "2026-11-09" })).toEqual([]);
    // The subject filter offers the subjects the scope's cancellations hold.
    const page = await load(cancellationsRoute, "/admin/cancellations", admin1);
    expect(page.data.subjects.map((s: { code: string }) => s.code)).toEqual(expect.arrayContaining(["14", "15", "65"]));
  });

  it("MGT-5: the list is paged", async () => {
    const cls = uniqueClass();
    for (let i = 0; i < 52; i++) await makeCancellation({ className: cls });
    const p1 = await load(cancellationsRoute, `/admin/cancellations?className=${encodeURIComponent(cls)}`, admin1);
    expect(p1.data).toMatchObject({ total: 52, page: 1, pages: 2 });
    expect(p1.data.rows).toHaveLength(50);
    const p2 = await load(
      cancellationsRoute,
      `/admin/cancellations?className=${encodeURIComponent(cls)}&page=2`,
      admin1,
    );
    expect(p2.data.rows).toHaveLength(2);
    const all = [...p1.data.rows, ...p2.data.rows].map((x: { id: number }) => x.id);
    expect(new Set(all).size).toBe(52);
  });

  it("MGT-5: the detail shows the snapshot read-only, the ID number masked, its entries, reason, who and when", async () => {
    const c = await makeCancellation({ className: uniqueClass(), subjects: ["14", "65"], reason: "考生申请取消" });
    const r = await load(cancellationRoute, `/admin/cancellations/${c.id}`, admin1, { id: String(c.id) });
    expect(r.status).toBe(200);
    const personal = Object.fromEntries(r.data.personal as Array<[string, string]>);
    expect(personal).toMatchObject({
      "cancel.f.name": c.name,
      "cancel.f.id_number": `${"*".repeat(14)}${c.id_number.slice(-4)}`,
      "cancel.f.id_type": "居民身份证",
      "cancel.f.gender": "男",
      "cancel.f.department": "计算机学院",
      "cancel.f.class": c.class_name,
      "cancel.f.birth_date": "2001-02-03",
    });
    expect(r.data.entries).toEqual([
      {
        subject: SUBJECT_14,
        paid: true,
        fee: "110.00",
        paidAt: "2026-10-02T02:00:00.000Z",
        paymentId: expect.stringMatching(/^PAY\d+14$/),
      },
      {
        subject: expect.stringMatching(/^\(65\) /),
        paid: true,
        fee: "110.00",
        paidAt: "2026-10-02T02:00:00.000Z",
        paymentId: expect.stringMatching(/^PAY\d+65$/),
      },
    ]);
    expect(r.data).toMatchObject({
      reason: "考生申请取消",
      by: "张老师",
      paid: "230.00",
      site: "(990101) 测试大学考点",
    });
    expect(JSON.stringify(r.data)).not.toContain(c.id_number);
    // A detail page has no action: nothing can be restored or changed.
    expect("action" in cancellationRoute).toBe(false);
    expect((await load(cancellationRoute, "/admin/cancellations/999999", admin1, { id: "999999" })).status).toBe(404);
    expect((await load(cancellationRoute, "/admin/cancellations/abc", admin1, { id: "abc" })).status).toBe(404);
  });

  it("MGT-5: the cancellations search exports to .xlsx with ID numbers as their last 4 characters; finance staff may not export", async () => {
    const cls = uniqueClass();
    const a = await makeCancellation({ className: cls, subjects: ["14"], reason: "原因甲", channel: "group" });
    const b = await makeCancellation({ className: cls, subjects: ["15", "65"], reason: "原因乙" });
    await makeCancellation({ siteId: site2, className: cls });
    const started = await act(
      cancellationsRoute,
      `/admin/cancellations?className=${encodeURIComponent(cls)}`,
      admin1,
      {},
    );
    expect(started.data.ok).toBe(true);
    const job = await finishedJob(started.data.jobId);
    expect(job.result.rows).toBe(2);
    const rows = await readXlsx(job.result.fileId, admin1);
    expect(rows[0]).toEqual([
      "序号",
      "考点代码",
      "姓名",
      "证件号码(后4位)",
      "班级",
      "报名方式",
      "取消的报考科目",
      "已缴费金额(元)",
      "取消原因",
      "操作人",
      "取消时间",
    ]);
    // Newest first.
    expect(rows.slice(1).map((r) => r.slice(0, 10))).toEqual([
      [
        1,
        "990101",
        b.name,
        b.id_number.slice(-4),
        cls,
        "考生注册",
        expect.stringMatching(/^\(15\) .+；\(65\) .+$/),
        230,
        "原因乙",
        "张老师",
      ],
      [2, "990101", a.name, a.id_number.slice(-4), cls, "集体报名", SUBJECT_14, 120, "原因甲", "张老师"],
    ]);
    await expectNoWholeIdNumber(rows);
    const stored = await getDb()
      .selectFrom("stored_file")
      .selectAll()
      .where("id", "=", job.result.fileId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ kind: "cancellation-export", org_id: site1 });
    // Coming back to the page finds the export.
    expect(
      (await load(cancellationsRoute, "/admin/cancellations", admin1)).data.exports.map((j: { id: string }) => j.id),
    ).toContain(started.data.jobId);

    const refused = await act(cancellationsRoute, "/admin/cancellations", finance1, {});
    expect(refused.status).toBe(403);
    // ORG-11: the cancellations name candidates: finance staff do not see them at all.
    const seen = await load(cancellationsRoute, `/admin/cancellations?className=${encodeURIComponent(cls)}`, finance1);
    expect(seen.status).toBe(403);
  });

  it("MGT-5/ORG-2: a city sees its sites' cancellations with the site code, can narrow to one site, and exports them", async () => {
    const cls = uniqueClass();
    const c1 = await makeCancellation({ siteId: site1, className: cls });
    const c2 = await makeCancellation({ siteId: site2, className: cls });
    const c3 = await makeCancellation({ siteId: site3, className: cls });
    const r = await load(cancellationsRoute, `/admin/cancellations?className=${encodeURIComponent(cls)}`, city1);
    expect(r.data.superior).toBe(true);
    expect(r.data.rows.map((x: { id: number; siteCode: string }) => [x.id, x.siteCode]).sort()).toEqual(
      [
        [c1.id, "990101"],
        [c2.id, "990102"],
      ].sort(),
    );
    expect(r.data.sites.map((s: { code: string }) => s.code)).toEqual(["990101", "990102"]);
    const one = await load(
      cancellationsRoute,
      `/admin/cancellations?className=${encodeURIComponent(cls)}&site=${site2}`,
      city1,
    );
    expect(one.data.rows.map((x: { id: number }) => x.id)).toEqual([c2.id]);
    // A site outside the city's subtree is not reachable by naming it.
    expect(
      (await load(cancellationsRoute, `/admin/cancellations?className=${encodeURIComponent(cls)}&site=${site3}`, city1))
        .data.total,
    ).toBe(0);
    expect((await load(cancellationRoute, `/admin/cancellations/${c2.id}`, city1, { id: String(c2.id) })).status).toBe(
      200,
    );
    expect((await load(cancellationRoute, `/admin/cancellations/${c3.id}`, city1, { id: String(c3.id) })).status).toBe(
      403,
    );
    const started = await act(
      cancellationsRoute,
      `/admin/cancellations?className=${encodeURIComponent(cls)}`,
      city1,
      {},
    );
    const rows = await readXlsx((await finishedJob(started.data.jobId)).result.fileId, city1);
    expect(
      rows
        .slice(1)
        .map((x) => x[1])
        .sort(),
    ).toEqual(["990101", "990102"]);
  });

  it("ORG-2: another site's cancellation detail is 403 and the list never shows it", async () => {
    const cls = uniqueClass();
    const mine = await makeCancellation({ siteId: site2, className: cls });
    const theirs = await makeCancellation({ siteId: site1, className: cls });
    const denied = await load(cancellationRoute, `/admin/cancellations/${theirs.id}`, admin2, {
      id: String(theirs.id),
    });
    expect(denied.status).toBe(403);
    expect(JSON.stringify(denied.data)).not.toContain(theirs.name);
    expect(
      (await load(cancellationRoute, `/admin/cancellations/${theirs.id}`, admin3, { id: String(theirs.id) })).status,
    ).toBe(403);
    const list = await load(cancellationsRoute, `/admin/cancellations?className=${encodeURIComponent(cls)}`, admin2);
    expect(list.data.rows.map((x: { id: number }) => x.id)).toEqual([mine.id]);
    // Naming the other site or its candidate finds nothing.
    expect(
      (
        await load(
          cancellationsRoute,
          `/admin/cancellations?className=${encodeURIComponent(cls)}&site=${site1}`,
          admin2,
        )
      ).data.total,
    ).toBe(0);
    expect(
      (await load(cancellationsRoute, `/admin/cancellations?name=${encodeURIComponent(theirs.name)}`, admin2)).data
        .total,
    ).toBe(0);
    expect(
      (
        await load(
          cancellationsRoute,
          await privateSearchPath(admin2, "/admin/cancellations", { idNumber: theirs.id_number }),
          admin2,
        )
      ).data.total,
    ).toBe(0);
    // A site sees no site column and no site filter.
    expect(list.data).toMatchObject({ superior: false, sites: [] });
    // Its export does not hold the other site's either.
    const started = await act(
      cancellationsRoute,
      `/admin/cancellations?className=${encodeURIComponent(cls)}`,
      admin2,
      {},
    );
    const rows = await readXlsx((await finishedJob(started.data.jobId)).result.fileId, admin2);
    expect(rows.slice(1).map((x) => x[2])).toEqual([mine.name]);
  });
});
