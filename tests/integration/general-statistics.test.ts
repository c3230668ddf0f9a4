import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as pageRoute from "../../app/routes/admin.statistics";
import * as exportRoute from "../../app/routes/admin.statistics.export";
import { getDb } from "../../db/client";
import { load, makeRequest, newCandidate, orgId, run, sessionCookie } from "../factories";
import { makeRegistration } from "../factories/registrations";

// STAT-1 (issue 20 item 4, manual §五十三): general statistics over the viewer's scope (ORG-2), for
// administrators and finance staff (ORG-11). Registrations in province 99 (sites 990101, 990102 of
// city 9901 and 990201 of city 9902) and in province 50 (500101), counted by hand below.

let province99: string, province50: string, site1: string, finance1: string, city9902: string;
let candidate: string, invigilator: string;
let sittingId: number, id990101: number, id990102: number, id500101: number;
const names: string[] = [];
const idNumbers: string[] = [];

type View = {
  rowHeads: string[];
  pivotHeads: string[];
  metricHeads: Array<{ label: string; money: boolean }>;
  colKeys: Array<{ codes: string[]; labels: string[] }>;
  rows: Array<{ codes: string[]; labels: string[]; cells: number[]; total: number[] | null }>;
  totals: { cells: number[]; total: number[] | null };
  capped: boolean;
  chart: { bars: Array<{ label: string; value: number }> } | null;
};
type Page = {
  result: View | null;
  errors: string[];
  exportQuery: string | null;
  filterOptions: Record<string, unknown>;
};

const page = (query: string, cookie: string) => load<Page>(pageRoute, `/admin/statistics?${query}`, cookie);

/** The result as { "rowCodes": { "colCodes": [metric values] } }, with "total" for the totals. */
function byCode(v: View) {
  const M = v.metricHeads.length;
  const out: Record<string, Record<string, number[]>> = {};
  const put = (row: string, cells: number[], total: number[] | null) => {
    out[row] = {};
    v.colKeys.forEach((k, c) => (out[row][k.codes.join("|")] = cells.slice(c * M, c * M + M)));
    if (total) out[row].total = total;
  };
  for (const r of v.rows) put(r.codes.join("|"), r.cells, r.total);
  put("total", v.totals.cells, v.totals.total);
  return out;
}

async function exportOf(query: string, cookie: string) {
  return run(() =>
    exportRoute.loader({
      request: makeRequest(`/admin/statistics/export?${query}`, { cookie }),
      params: {},
      context: {},
    }),
  );
}

async function workbookRows(query: string, cookie: string) {
  const res = (await exportRoute.loader({
    request: makeRequest(`/admin/statistics/export?${query}`, { cookie }),
    params: {},
    context: {},
  })) as Response;
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const rows = (i: number) => {
    const out: Array<Array<string | number>> = [];
    wb.worksheets[i].eachRow((r) =>
      out.push((r.values as Array<string | number>).slice(1).map((x) => (x === undefined ? "" : x))),
    );
    return out;
  };
  return { result: rows(0), conditions: rows(1) };
}

/** The general-statistics queries run since the spy was set (marked with their comment). */
function spyQueries() {
  const spy = vi.spyOn(getDb().getExecutor(), "executeQuery");
  return () => spy.mock.calls.filter(([q]) => String((q as { sql: string }).sql).includes("STAT-1 general statistics"));
}
afterEach(() => vi.restoreAllMocks());

beforeAll(async () => {
  [province99, province50, site1, finance1, city9902] = await Promise.all(
    ["province99", "province50", "site990101", "finance990101", "city9902"].map((u) =>
      sessionCookie(`${u}@example.com`),
    ),
  );
  const db = getDb();
  sittingId = (await db.selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()).id;
  [id990101, id990102, id500101] = await Promise.all(["990101", "990102", "500101"].map(orgId));
  const id990201 = await orgId("990201");
  candidate = (await newCandidate()).cookie;

  // An invigilator of 990101 (DOC-9): checks candidates in, nothing else.
  const invId = randomUUID();
  await db
    .insertInto("account")
    .values({
      id: invId,
      email: "inv-stat@example.com",
      mobile: null,
      name: "监考员",
      password_hash: "x",
      role: "admin",
    })
    .execute();
  await db
    .insertInto("membership")
    .values({ account_id: invId, org_id: id990101, sitting_id: sittingId, role: "invigilator", name: "监考员" })
    .execute();
  invigilator = await sessionCookie("inv-stat@example.com");

  const reg = async (
    siteId: number,
    o: {
      name: string;
      subjects: string[];
      paid?: string[];
      gender: "1" | "2";
      channel?: "online" | "group";
      registry?: boolean;
      preferredDate?: string;
    },
  ) => {
    const r = await makeRegistration({
      siteId,
      sittingId,
      ...o,
      groupPaid: o.channel === "group",
    });
    names.push(o.name);
    idNumbers.push(r.idNumber);
    return r;
  };
  // 990101 (city 9901, province 99).
  const a = await reg(id990101, {
    name: "甲同学",
    subjects: ["14", "15"],
    paid: ["14"],
    gender: "2",
    registry: true,
    preferredDate: "2027-03-27",
  });
  const b = await reg(id990101, { name: "乙同学", subjects: ["14"], paid: ["14"], gender: "1", channel: "group" });
  const c = await reg(id990101, { name: "丙同学", subjects: ["65"], gender: "2" });
  const dd = await reg(id990101, { name: "丁同学", subjects: ["14", "65"], paid: ["14", "65"], gender: "1" });
  // 990102 (city 9901) and 990201 (city 9902).
  await reg(id990102, { name: "戊同学", subjects: ["14"], paid: ["14"], gender: "2" });
  await reg(id990102, { name: "己同学", subjects: ["65"], gender: "1", channel: "group" });
  await reg(id990201, { name: "庚同学", subjects: ["14"], paid: ["14"], gender: "2" });
  // Province 50: never in province 99's figures.
  await reg(id500101, { name: "辛同学", subjects: ["14"], paid: ["14"], gender: "1" });
  await reg(id500101, { name: "壬同学", subjects: ["15", "65"], gender: "2" });
  await db.updateTable("registration").set({ education: "30" }).where("id", "=", c.reg.id).execute();

  // Allocation: A's and D's 14 seated at 990101.
  const room = await db
    .insertInto("room")
    .values({ sitting_id: sittingId, org_id: id990101, number: "01", location: "", seats: 10 })
    .returning("id")
    .executeTakeFirstOrThrow();
  const batch = await db
    .insertInto("exam_batch")
    .values({
      sitting_id: sittingId,
      org_id: id990101,
      room_id: room.id,
      seq: 1,
      exam_date: "2027-03-27",
      start_min: 480,
      end_min: 600,
      capacity: 10,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const entry = (r: typeof a, code: string) => r.entries.find((e) => e.subject_code === code)!.id;
  await db.updateTable("entry").set({ batch_id: batch.id, seat: 1 }).where("id", "=", entry(a, "14")).execute();
  await db.updateTable("entry").set({ batch_id: batch.id, seat: 2 }).where("id", "=", entry(dd, "14")).execute();

  // Scores: A 85 (good), B 55 (fail), D 92 (excellent) in 14; D absent in 65.
  const score = (r: typeof a, code: string, s: number | null, grade: number) => ({
    entry_id: entry(r, code),
    sitting_id: sittingId,
    org_id: id990101,
    subject_code: code,
    registration_id: r.reg.id,
    score: s,
    grade_code: grade,
  });
  await db
    .insertInto("score")
    .values([score(a, "14", 85, 2), score(b, "14", 55, 0), score(dd, "14", 92, 3), score(dd, "65", null, -1)])
    .execute();
});

const BY_SITE_SUBJECT = "col=site&col=subject&pivot=subject&metric=entries&metric=paid&metric=candidates";

describe("general statistics (STAT-1)", () => {
  it("STAT-1/ORG-2: a province's pivot counts its own sites by hand and never another province's", async () => {
    const p = await page(BY_SITE_SUBJECT, province99);
    expect(p.status).toBe(200);
    const v = p.data!.result!;
    expect(v.rowHeads).toEqual(["考点"]);
    expect(v.metricHeads.map((m) => m.label)).toEqual(["报考科次", "已缴费科次", "考生人数"]);
    expect(v.colKeys.map((k) => k.codes[0])).toEqual(["14", "15", "65"]);
    // [entries, paid, candidates] per subject; the row's total counts each candidate once.
    expect(byCode(v)).toEqual({
      "990101": { "14": [3, 3, 3], "15": [1, 0, 1], "65": [2, 1, 2], total: [6, 4, 4] },
      "990102": { "14": [1, 1, 1], "15": [0, 0, 0], "65": [1, 0, 1], total: [2, 1, 2] },
      "990201": { "14": [1, 1, 1], "15": [0, 0, 0], "65": [0, 0, 0], total: [1, 1, 1] },
      total: { "14": [5, 5, 5], "15": [1, 0, 1], "65": [3, 1, 3], total: [9, 6, 7] },
    });
    expect(v.rows[0].labels[0]).toMatch(/^\(990101\) /);
    // Nothing of province 50 anywhere in the page: not its site, not its name, not in the filters.
    expect(JSON.stringify(p.data)).not.toMatch(/500101|重庆/);
    // Province 50 sees its own site only.
    const p50 = (await page("col=province&col=site&metric=entries", province50)).data!.result!;
    expect(byCode(p50)).toEqual({ "50|500101": { "": [3] }, total: { "": [3] } });
  });

  it("STAT-1/ORG-2: a city, a narrowed province and a site each see only their part; another's organisation is refused", async () => {
    const city = (await page("col=city&col=site&metric=entries", city9902)).data!.result!;
    expect(byCode(city)).toEqual({ "9902|990201": { "": [1] }, total: { "": [1] } });
    const narrowed = (await page(`col=site&metric=entries&site=${id990102}`, province99)).data!;
    expect(byCode(narrowed.result!)).toEqual({ "990102": { "": [2] }, total: { "": [2] } });
    expect(narrowed.exportQuery).toContain(`site=${id990102}`);
    const own = (await page("col=site&metric=entries&metric=fees", site1)).data!.result!;
    // Four paid entries at 110 yuan each (tests/factories/registrations.ts).
    expect(byCode(own)).toEqual({ "990101": { "": [6, 440] }, total: { "": [6, 440] } });
    expect(own.metricHeads[1]).toEqual({ label: "已缴科目费（元）", money: true });
    // A one-dimensional result is drawn as bars.
    expect(own.chart?.bars).toEqual([{ label: expect.stringMatching(/^\(990101\) /), value: 6 }]);

    const queries = spyQueries();
    for (const [cookie, other] of [
      [site1, id990102],
      [province99, id500101],
      [city9902, id990101],
    ] as const) {
      const r = await page(`col=site&metric=entries&site=${other}`, cookie);
      expect(r.status).toBe(403);
      expect((r.data as unknown as { message: string }).message).toBe("无权访问该机构的数据。");
      expect((await exportOf(`col=site&metric=entries&site=${other}`, cookie)).status).toBe(403);
    }
    expect(queries()).toHaveLength(0);
  });

  it("STAT-1: filters, grades, score metrics, allocation and payment state count as by hand", async () => {
    const grades = (await page("col=subject&col=grade&pivot=grade&metric=entries", site1)).data!.result!;
    expect(grades.colKeys.map((k) => k.codes[0])).toEqual(["excellent", "good", "fail", "absent", "none"]);
    expect(grades.colKeys.map((k) => k.labels[0])).toEqual(["优秀", "良好", "不及格", "缺考", "无成绩"]);
    expect(byCode(grades)).toMatchObject({
      "14": { excellent: [1], good: [1], fail: [1], absent: [0], none: [0], total: [3] },
      "15": { none: [1], total: [1] },
      "65": { absent: [1], none: [1], total: [2] },
    });
    const scores = (await page("col=subject&metric=score_gte&metric=score_range&gte=60&from=80&to=90", site1)).data!
      .result!;
    expect(scores.metricHeads.map((m) => m.label)).toEqual(["成绩≥60", "成绩[80,90)"]);
    expect(byCode(scores)).toMatchObject({ "14": { "": [2, 1] }, "65": { "": [0, 0] }, total: { "": [2, 1] } });
    const seating = (await page("col=subject&col=allocation&pivot=allocation&metric=entries", site1)).data!.result!;
    expect(byCode(seating)).toMatchObject({
      "14": { seated: [2], unseated: [1] },
      "65": { seated: [0], unseated: [2] },
      total: { seated: [2], unseated: [4], total: [6] },
    });
    const women = (await page("col=subject&metric=entries&f.gender=2", province99)).data!.result!;
    // A (14, 15), C (65) at 990101, E (14) at 990102, G (14) at 990201.
    expect(byCode(women)).toEqual({ "14": { "": [3] }, "15": { "": [1] }, "65": { "": [1] }, total: { "": [5] } });
    const mix = (await page("col=channel&col=registry&col=education&metric=candidates&f.site=990101", province99)).data!
      .result!;
    expect(byCode(mix)).toEqual({
      "online|registry|20": { "": [1] },
      "online|public|20": { "": [1] },
      "online|public|30": { "": [1] },
      "group|public|20": { "": [1] },
      total: { "": [4] },
    });
    expect(mix.rows[0].labels).toEqual(["个人网报", "学籍考生", "本科"]);
    const dates = (await page("col=preferred_date&col=payment&pivot=payment&metric=entries", site1)).data!.result!;
    expect(byCode(dates)).toMatchObject({
      "2027-03-27": { paid: [1], unpaid: [1] },
      none: { paid: [3], unpaid: [1] },
    });
    expect(dates.rows.map((r) => r.labels[0])).toEqual(["2027-03-27", "未选意向日期"]);
    const noDate = (await page("col=site&metric=entries&f.preferred_date=none", site1)).data!.result!;
    expect(byCode(noDate).total[""]).toEqual([4]);
    // Two pivot columns with one metric.
    const two = (await page("col=site&col=subject&col=gender&pivot=subject&pivot=gender&metric=entries", site1)).data!
      .result!;
    expect(two.pivotHeads).toEqual(["科目", "性别"]);
    expect(byCode(two)["990101"]).toMatchObject({ "14|1": [2], "14|2": [1], "15|2": [1], "65|1": [1], "65|2": [1] });
  });

  it("STAT-1: every preset runs province-wide", async () => {
    const { PIVOT_PRESETS, specParams } = await import("../../app/domain/pivot");
    for (const p of PIVOT_PRESETS) {
      const r = await page(specParams(p.spec).toString(), province99);
      expect(r.data!.errors, p.id).toEqual([]);
      expect(r.data!.result, p.id).not.toBeNull();
    }
  });

  it("STAT-1/ORG-11: finance staff get the counts, and no candidate's personal data in the page or the export", async () => {
    const query = "col=site&col=gender&col=education&col=preferred_date&pivot=gender&metric=entries&metric=fees";
    const p = await page(query, finance1);
    expect(p.status).toBe(200);
    expect(byCode(p.data!.result!).total.total).toEqual([6, 440]);
    const { result, conditions } = await workbookRows(query, finance1);
    for (const text of [JSON.stringify(p.data), JSON.stringify(result), JSON.stringify(conditions)]) {
      for (const n of names) expect(text).not.toContain(n);
      for (const id of idNumbers) expect(text).not.toContain(id.slice(-8));
      expect(text).not.toMatch(/\d{17}[\dXx]/);
      expect(text).not.toMatch(/1[3-9]\d{9}/);
    }
  });

  it("STAT-1/ORG-11: a candidate and an invigilator are refused, page and export", async () => {
    const c = await page(BY_SITE_SUBJECT, candidate);
    expect(c.status).toBe(302);
    expect(c.location).toBe("/candidate");
    expect((await exportOf(BY_SITE_SUBJECT, candidate)).status).toBe(302);
    const i = await page(BY_SITE_SUBJECT, invigilator);
    expect(i.status).toBe(403);
    expect((await exportOf(BY_SITE_SUBJECT, invigilator)).status).toBe(403);
    expect((await page(BY_SITE_SUBJECT, "")).status).toBe(302);
  });

  it("STAT-1: bad input gets its message and no query: three pivot columns, [90, 80), an unknown column posted by hand", async () => {
    const queries = spyQueries();
    const cases: Array<[string, string]> = [
      [
        "col=site&col=subject&col=gender&col=channel&pivot=subject&pivot=gender&pivot=channel&metric=entries",
        "行转列最多选 2 列。",
      ],
      [
        "col=site&col=subject&col=gender&pivot=subject&pivot=gender&metric=entries&metric=paid",
        "选择多个统计指标时，行转列只能选 1 列。",
      ],
      ["col=subject&metric=score_range&from=90&to=80", "[90,80) 不是有效的分数段：x 须小于 y。"],
      ["col=site&col=id_number&metric=entries", "没有“id_number”这个数据列，请从列表中选择。"],
      ["col=site&metric=entries&f.name=张三", "没有“name”这个数据列，请从列表中选择。"],
      ["col=site&metric=count(*)", "没有“count(*)”这个指标，请从列表中选择。"],
      ["col=site&metric=entries&f.subject=14'--", "筛选列“科目”的值“14'--”无效，请从列表中选择。"],
      ["col=site&metric=score_gte&gte=abc", "“≥”后面须是 0 到 100 的整数（现在是“abc”）。"],
      ["run=1&col=site", "请至少选择一个指标列。"],
    ];
    for (const [query, message] of cases) {
      const r = await page(query, province99);
      expect(r.status, query).toBe(200);
      expect(r.data!.errors, query).toContain(message);
      expect(r.data!.result, query).toBeNull();
      expect(r.data!.exportQuery, query).toBeNull();
      const x = await exportOf(query, province99);
      expect(x.status, query).toBe(400);
      expect((x.data as { message: string }).message, query).toBe(message);
    }
    expect(queries()).toHaveLength(0);
    // A blank page runs nothing either; a good request runs exactly one query.
    expect((await page("", province99)).data!.result).toBeNull();
    expect(queries()).toHaveLength(0);
    await page("col=site&metric=entries", province99);
    expect(queries()).toHaveLength(1);
  });

  it("STAT-1: the .xlsx export has the page's numbers, headers and totals, with its conditions", async () => {
    const query = `${BY_SITE_SUBJECT}&f.payment=paid`;
    const v = (await page(query, province99)).data!.result!;
    const { result, conditions } = await workbookRows(query, province99);
    const M = v.metricHeads.length;
    expect(result[0]).toEqual([
      "考点",
      ...v.colKeys.flatMap((k) => v.metricHeads.map((m) => `${k.labels[0]} / ${m.label}`)),
      ...v.metricHeads.map((m) => `合计 / ${m.label}`),
    ]);
    expect(result.slice(1, -1)).toEqual(v.rows.map((r) => [r.labels[0], ...r.cells, ...r.total!]));
    expect(result[result.length - 1]).toEqual(["合计", ...v.totals.cells, ...v.totals.total!]);
    // Paid: A, B, D (twice) at 990101, E at 990102, G at 990201.
    expect(v.totals.total).toEqual([6, 6, 5]);
    expect(result[1].length).toBe(1 + v.colKeys.length * M + M);
    expect(conditions.map((r) => r[0])).toEqual(["统计范围", "数据列", "行转列", "指标列", "筛选列", "统计时间"]);
    expect(conditions[4][1]).toBe("缴费状态 = 已缴费");
    // The same for a site, narrowed by a superior, and the fees in yuan.
    const site = await workbookRows(`col=site&metric=fees&site=${id990101}`, province99);
    expect(site.result).toEqual([
      ["考点", "已缴科目费（元）"],
      [expect.stringMatching(/^\(990101\) /), 440],
      ["合计", 440],
    ]);
  });
});
