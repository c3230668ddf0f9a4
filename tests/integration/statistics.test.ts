import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import * as statsRoute from "../../app/routes/admin.stats";
import * as exportRoute from "../../app/routes/admin.stats.export";
import { getDb } from "../../db/client";
import { load, makeRequest, orgId, sessionCookie } from "../factories";
import { makeRegistration, type RegOpts } from "../factories/registrations";

// MGT-6 registration statistics: a small known data set at three sites of province 99, made
// directly in the database (tests/factories/registrations.ts), then read through the route modules.

const PAGE = "/admin/stats";
let site1: number, site2: number, site3: number, site4: number, sittingId: number;
let admin1: string, admin2: string, finance1: string, province: string, city1: string;

/** A registration of the data set, without photo; its `paid` subjects paid by the payment `paymentId`, with their seats counted. */
const makeReg = (o: Omit<RegOpts, "sittingId">) => makeRegistration({ sittingId, photo: false, subjects: [], ...o });

async function payment(
  siteId: number,
  o: { amount: number; perPerson: number; status: "paid" | "pending" | "refund_due"; paymentBatchId?: number },
) {
  const id = `T${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  await getDb()
    .insertInto("payment")
    .values({
      id,
      sitting_id: sittingId,
      org_id: siteId,
      registration_id: null,
      account_id: null,
      provider: "simulated",
      amount_fen: o.amount,
      per_person_fen: o.perPerson,
      entry_ids: [],
      subject_codes: [],
      status: o.status,
      payment_batch_id: o.paymentBatchId ?? null,
      expires_at: new Date(Date.now() + 3600_000),
      finished_at: o.status === "pending" ? null : new Date(),
    })
    .execute();
  return id;
}

async function setSubjectCapacity(siteId: number, code: string, capacity: number) {
  await getDb()
    .updateTable("site_subject")
    .set({ capacity })
    .where("org_id", "=", siteId)
    .where("sitting_id", "=", sittingId)
    .where("subject_code", "=", code)
    .execute();
}

beforeAll(async () => {
  [site1, site2, site3, site4] = await Promise.all(["990101", "990102", "990201", "500101"].map(orgId));
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  [admin1, admin2, finance1, province, city1] = await Promise.all(
    [
      "site990101@example.com",
      "site990102@example.com",
      "finance990101@example.com",
      "province99@example.com",
      "city9901@example.com",
    ].map(sessionCookie),
  );
  // The current sitting starts empty (the demo's past sitting 78 has its own season).
  expect(
    await getDb().selectFrom("registration").select("id").where("sitting_id", "=", sittingId).executeTakeFirst(),
  ).toBeUndefined();

  // 990101: A online ♂ registry, 14+15 paid individually; B online ♀, 14 unpaid (a payment pending);
  // C group ♀, 14 paid by a group payment batch, 24 unpaid; D group ♂ without entries; a refund due.
  const p1 = await payment(site1, { amount: 23000, perPerson: 1000, status: "paid" });
  await payment(site1, { amount: 12000, perPerson: 1000, status: "pending" });
  const paymentBatch = await getDb()
    .insertInto("payment_batch")
    .values({
      sitting_id: sittingId,
      org_id: site1,
      status: "paid",
      candidate_count: 1,
      entry_count: 1,
      per_person_count: 1,
      per_person_fen: 1000,
      subject_fen: 11000,
      amount_fen: 12000,
      subject_codes: ["14"],
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const p3 = await payment(site1, { amount: 12000, perPerson: 1000, status: "paid", paymentBatchId: paymentBatch.id });
  await payment(site1, { amount: 5000, perPerson: 0, status: "refund_due" });
  await makeReg({
    siteId: site1,
    channel: "online",
    gender: "1",
    registry: true,
    preferredDate: "2027-03-27",
    subjects: ["14", "15"],
    paid: ["14", "15"],
    paymentId: p1,
  });
  await makeReg({ siteId: site1, channel: "online", gender: "2", preferredDate: "2027-03-28", subjects: ["14"] });
  await makeReg({ siteId: site1, channel: "group", gender: "2", subjects: ["14", "24"], paid: ["14"], paymentId: p3 });
  await makeReg({ siteId: site1, channel: "group", gender: "1" });
  // 990102 (its registration window is closed): E online ♂, 14 paid; F group ♀ registry, 65 unpaid.
  const p5 = await payment(site2, { amount: 12000, perPerson: 1000, status: "paid" });
  await makeReg({ siteId: site2, channel: "online", gender: "1", subjects: ["14"], paid: ["14"], paymentId: p5 });
  await makeReg({ siteId: site2, channel: "group", gender: "2", registry: true, subjects: ["65"] });
  // 990201 (city 9902): G online ♀, 14 and 16 unpaid.
  await makeReg({ siteId: site3, channel: "online", gender: "2", preferredDate: "2027-03-27", subjects: ["14", "16"] });
  // 500101 (province 50): never in province 99's figures.
  await makeReg({ siteId: site4, channel: "online", gender: "1", preferredDate: "2027-03-29" });
  // 990101's capacities: 14 plenty (157 of 160 left), 15 tight (3 of 4), 24 full (0 of 1), 65 and 66 untouched.
  await setSubjectCapacity(site1, "15", 4);
  await setSubjectCapacity(site1, "24", 1);
});

async function view(cookie: string, v: string, site?: number) {
  const r = await load(statsRoute, `${PAGE}?view=${v}${site ? `&site=${site}` : ""}`, cookie);
  expect(r.status, JSON.stringify(r.data)).toBe(200);
  return r.data;
}

const bySubject = (subjects: Array<{ code: string; entries: number; paid: number; unpaid: number }>) =>
  Object.fromEntries(subjects.map((s) => [s.code, [s.entries, s.paid, s.unpaid]]));

describe("registration statistics", () => {
  it("MGT-6: a site's entries, payments, candidates and capacity are right for a known data set", async () => {
    const e = await view(admin1, "entries");
    expect(e.scope).toMatchObject({ root: { id: site1, level: "site" }, narrowed: false, drillDown: false });
    expect(e.scope.sites.map((s: { code: string }) => s.code)).toEqual(["990101"]);
    expect(bySubject(e.data.subjects)).toEqual({ "14": [3, 2, 1], "15": [1, 1, 0], "24": [1, 0, 1] });
    expect(e.data.total).toEqual({ entries: 5, paid: 3, unpaid: 2, paidRate: 60 });

    const p = await view(admin1, "payments");
    expect(p.data.total).toEqual({
      paid_payments: 2,
      individual_payments: 1,
      group_payments: 1,
      individual_fen: 23000,
      group_fen: 12000,
      paid_fen: 35000,
      per_person_fen: 2000,
      pending_payments: 1,
      refund_due_payments: 1,
      refund_due_fen: 5000,
      candidates: 4,
      fully_paid: 1,
      partly_paid: 1,
      unpaid: 1,
      no_entries: 1,
      paid_entries: 3,
      unpaid_entries: 2,
      subject_fen: 33000,
    });

    const c = await view(admin1, "candidates");
    expect(c.data.total).toEqual({ candidates: 4, online: 2, group: 2, male: 2, female: 2, registry: 1, public: 3 });
    expect(c.data.dates).toEqual([
      { date: "2027-03-27", candidates: 1 },
      { date: "2027-03-28", candidates: 1 },
      { date: null, candidates: 2 },
    ]);

    const k = await view(admin1, "capacity");
    expect(k.data.total).toEqual({ capacity: 800, taken: 5, remaining: 795, unlimited: false, level: "plenty" });
    const levels = Object.fromEntries(
      k.data.subjects.map((s: { code: string; figure: { remaining: number; level: string } }) => [
        s.code,
        [s.figure.remaining, s.figure.level],
      ]),
    );
    expect(levels).toEqual({
      "14": [157, "plenty"],
      "15": [3, "tight"],
      "24": [0, "full"],
      "65": [160, "plenty"],
      "66": [160, "plenty"],
    });

    // Finance staff see the same (ORG-11).
    expect((await view(finance1, "payments")).data.total.paid_fen).toBe(35000);
  });

  it("MGT-6: a site sees only its own figures (ORG-2)", async () => {
    const denied = await load(statsRoute, `${PAGE}?view=entries&site=${site2}`, admin1);
    expect(denied.status).toBe(403);
    expect(denied.data.message).toBe("无权访问该机构的数据。");
    expect((await load(exportRoute, `${PAGE}/export?site=${site2}`, admin1)).status).toBe(403);
    expect((await load(statsRoute, `${PAGE}?view=entries&site=abc`, admin1)).status).toBe(400);
    // Its own id is fine, and its totals never include 990102's (14 has 4 entries in the province).
    const own = await view(admin1, "entries", site1);
    expect(own.data.total.entries).toBe(5);
    expect(bySubject(own.data.subjects)["14"]).toEqual([3, 2, 1]);
    expect((await view(admin1, "candidates")).data.total.candidates).toBe(4);
    expect((await view(admin1, "payments")).data.total.paid_fen).toBe(35000);
    // A city sees its two sites, not the other city's.
    const city = await view(city1, "entries");
    expect(city.scope.sites.map((s: { code: string }) => s.code)).toEqual(["990101", "990102"]);
    expect(city.data.total).toMatchObject({ entries: 7, paid: 4, unpaid: 3 });
    expect((await load(statsRoute, `${PAGE}?site=${site3}`, city1)).status).toBe(403);
  });

  it("MGT-6: the province sees totals summed over its sites and a drill-down to each site", async () => {
    const e = await view(province, "entries");
    expect(e.scope).toMatchObject({ narrowed: false, drillDown: true });
    expect(e.scope.sites.map((s: { code: string; city: string }) => [s.code, s.city])).toEqual([
      ["990101", "(9901) 测试省第一地市"],
      ["990102", "(9901) 测试省第一地市"],
      ["990201", "(9902) 测试省第二地市"],
    ]);
    expect(bySubject(e.data.subjects)).toEqual({
      "14": [5, 3, 2],
      "15": [1, 1, 0],
      "16": [1, 0, 1],
      "24": [1, 0, 1],
      "65": [1, 0, 1],
    });
    expect(e.data.total).toEqual({ entries: 9, paid: 4, unpaid: 5, paidRate: 44.4 });
    expect(
      e.data.sites.map(
        (r: { site: { code: string }; entries: number; paid: number; bySubject: Record<string, number> }) => [
          r.site.code,
          r.entries,
          r.paid,
          r.bySubject,
        ],
      ),
    ).toEqual([
      ["990101", 5, 3, { "14": 3, "15": 1, "24": 1 }],
      ["990102", 2, 1, { "14": 1, "65": 1 }],
      ["990201", 2, 0, { "14": 1, "16": 1 }],
    ]);

    const p = await view(province, "payments");
    expect(p.data.total).toMatchObject({
      paid_payments: 3,
      individual_fen: 35000,
      group_fen: 12000,
      paid_fen: 47000,
      per_person_fen: 3000,
      subject_fen: 44000,
      candidates: 7,
      fully_paid: 2,
      partly_paid: 1,
      unpaid: 3,
      no_entries: 1,
      paid_entries: 4,
      unpaid_entries: 5,
      refund_due_fen: 5000,
    });
    expect(
      p.data.sites.map((r: { site: { code: string }; paid_fen: number; candidates: number }) => [
        r.site.code,
        r.paid_fen,
        r.candidates,
      ]),
    ).toEqual([
      ["990101", 35000, 4],
      ["990102", 12000, 2],
      ["990201", 0, 1],
    ]);

    const c = await view(province, "candidates");
    expect(c.data.total).toEqual({ candidates: 7, online: 4, group: 3, male: 3, female: 4, registry: 2, public: 5 });
    expect(c.data.dates).toEqual([
      { date: "2027-03-27", candidates: 2 },
      { date: "2027-03-28", candidates: 1 },
      { date: null, candidates: 4 },
    ]);
    expect(c.data.sites[2]).toMatchObject({ site: { code: "990201" }, candidates: 1, dates: { "2027-03-27": 1 } });

    const k = await view(province, "capacity");
    // 990102 had no capacity set; its two candidates' entries come with the least total a site can set
    // (100, tests/factories/seats.ts: seats are never held without a capacity, decision 0051).
    expect(k.data.total).toEqual({ capacity: 1200, taken: 9, remaining: 1191, unlimited: false, level: "plenty" });
    const s14 = k.data.subjects.find((s: { code: string }) => s.code === "14");
    // 990102's subject 14 likewise: its one entry came with one seat.
    expect(s14.figure).toEqual({ capacity: 261, taken: 5, remaining: 256, unlimited: false, level: "plenty" });
    const row2 = k.data.sites.find((r: { site: { code: string } }) => r.site.code === "990102");
    expect(row2.total).toMatchObject({ capacity: 100, taken: 2 });
    expect(row2.subjects["14"]).toMatchObject({ capacity: 1, taken: 1 });

    // Drill-down: one site's own figures, the same as its own admin sees.
    const one = await view(province, "entries", site2);
    expect(one.scope).toMatchObject({ root: { id: site2, code: "990102" }, narrowed: true, drillDown: false });
    expect(bySubject(one.data.subjects)).toEqual({ "14": [1, 1, 0], "65": [1, 0, 1] });
    expect((await view(province, "payments", site1)).data.total.paid_fen).toBe(35000);
    // Another province's site is out of scope.
    expect((await load(statsRoute, `${PAGE}?site=${site4}`, province)).status).toBe(403);
  });

  it("MGT-6: the export is an .xlsx whose cells hold the figures", async () => {
    const res = (await exportRoute.loader({
      request: makeRequest(`${PAGE}/export?view=all`, { cookie: province }),
      params: {},
      context: {},
    })) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("Content-Disposition")).toContain(encodeURIComponent("报名统计-99.xlsx"));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "报考统计",
      "报考统计-分考点",
      "支付统计",
      "支付统计-分考点",
      "考生统计",
      "意向考试日期",
      "考生统计-分考点",
      "科目容量统计",
      "科目容量统计-分考点",
    ]);
    const rows = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    const entries = rows("报考统计");
    expect(entries[0]).toEqual(["科目代码", "科目名称", "总科次", "已缴费科次", "未缴费科次", "缴费率"]);
    expect(entries.find((r) => r[0] === "14")).toEqual(["14", expect.any(String), 5, 3, 2, 60]);
    expect(entries.at(-1)).toEqual(["合计", "", 9, 4, 5, 44.4]);
    const perSite = rows("报考统计-分考点");
    expect(perSite.find((r) => r[0] === "990102")!.slice(0, 5)).toEqual(["990102", "测试职业技术学院考点", 2, 1, 1]);
    // Issue 15 item 9: each city's sites, then its subtotal (the sum of its sites), as on the page.
    const sub1 = perSite.findIndex((r) => r[0] === "(9901) 测试省第一地市 小计");
    const city1 = perSite.slice(1, sub1);
    expect(city1.map((r) => r[0])).toEqual(["990101", "990102"]);
    expect(perSite[sub1].slice(2, 5)).toEqual(
      [2, 3, 4].map((i) => city1.reduce((sum, r) => sum + (r[i] as number), 0)),
    );
    expect(perSite.some((r) => r[0] === "(9902) 测试省第二地市 小计")).toBe(true);
    expect(wb.getWorksheet("报考统计-分考点")!.getRow(sub1 + 1).font?.bold).toBe(true);

    const pay = rows("支付统计");
    expect(pay[0].slice(0, 4)).toEqual(["统计范围", "已收金额", "个人缴费金额", "集体缴费金额"]);
    expect(pay[1].slice(0, 4)).toEqual(["(99) 测试省", 470, 350, 120]);
    const cand = rows("考生统计");
    expect(cand[1]).toEqual(["(99) 测试省", 7, 4, 3, 3, 4, 2, 5]);
    expect(rows("意向考试日期")).toEqual([
      ["意向考试日期", "考生人数"],
      ["2027-03-27", 2],
      ["2027-03-28", 1],
      ["未选择", 4],
    ]);
    const cap = rows("科目容量统计");
    expect(cap[1]).toEqual(["总科次数", "", 1200, 9, 1191, "充足"]);
    const capSites = rows("科目容量统计-分考点");
    expect(capSites.find((r) => r[0] === "990102")!.slice(0, 5)).toEqual([
      "990102",
      "测试职业技术学院考点",
      "是",
      100,
      98,
    ]);

    // One view for a site: one sheet, its own figures only.
    const own = (await exportRoute.loader({
      request: makeRequest(`${PAGE}/export?view=entries`, { cookie: admin1 }),
      params: {},
      context: {},
    })) as Response;
    const wb1 = new ExcelJS.Workbook();
    await wb1.xlsx.load(await own.arrayBuffer());
    expect(wb1.worksheets.map((w) => w.name)).toEqual(["报考统计"]);
    let last: unknown[] = [];
    wb1.getWorksheet("报考统计")!.eachRow((row) => {
      last = (row.values as unknown[]).slice(1);
    });
    expect(last).toEqual(["合计", "", 5, 3, 2, 60]);
  });

  it("MGT-6: statistics are available with the registration window closed (WIN-6)", async () => {
    const w = await getDb()
      .selectFrom("window")
      .select("ends_at")
      .where("org_id", "=", site2)
      .where("kind", "=", "registration")
      .where("sitting_id", "=", sittingId)
      .executeTakeFirstOrThrow();
    expect(w.ends_at!.getTime()).toBeLessThan(Date.now());
    const e = await view(admin2, "entries");
    expect(bySubject(e.data.subjects)).toEqual({ "14": [1, 1, 0], "65": [1, 0, 1] });
    expect((await view(admin2, "payments")).data.total).toMatchObject({
      paid_fen: 12000,
      individual_fen: 12000,
      candidates: 2,
      fully_paid: 1,
      unpaid: 1,
    });
    expect((await view(admin2, "candidates")).data.total).toEqual({
      candidates: 2,
      online: 1,
      group: 1,
      male: 1,
      female: 1,
      registry: 1,
      public: 1,
    });
    expect((await view(admin2, "capacity")).data.total).toMatchObject({ capacity: 100, taken: 2 });
    const x = await load(exportRoute, `${PAGE}/export?view=capacity`, admin2);
    expect(x.status).toBe(200);
  });
});
