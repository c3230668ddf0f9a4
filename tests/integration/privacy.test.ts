import { beforeAll, describe, expect, it } from "vitest";
import * as siteRoute from "../../app/routes/candidate.site";
import * as detailsRoute from "../../app/routes/candidate.details";
import { getDb } from "../../db/client";
import { ID_LOOKUP_LIMIT } from "../../app/domain/id-lookup-throttle";
import * as recordsRoute from "../../app/routes/admin.records._index";
import { act, load, newCandidate, orgId, residentId, sessionCookie } from "../factories";
import { privateSearchPath } from "../factories/private-search";

// Issue 12 item 3: knowing an ID number reveals nothing (SR-6, X-4).

let site1: number, site3: number, sittingId: number;
const RECORD_ID = residentId("2005-07-09", 311, true);
const RECORD = {
  name: "韩学籍",
  phone: "13912345678",
  email: "hanxueji@example.com",
  address: "测试省第二地市师范路8号",
  postcode: "310012",
  class_name: "数学2501",
  department: "数学学院",
  major: "数学与应用数学",
  student_no: "2025311",
};

beforeAll(async () => {
  [site1, site3] = await Promise.all(["990101", "990201"].map(orgId));
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  await getDb()
    .insertInto("student_record")
    .values({
      org_id: site3,
      id_type: "1",
      id_number: RECORD_ID,
      gender: "2",
      birth_date: "2005-07-09",
      ethnicity: "01",
      education: "20",
      ...RECORD,
    })
    .execute();
  await getDb()
    .updateTable("site_setting")
    .set({ registry_enabled: true, only_province_registry: true })
    .where("org_id", "=", site3)
    .where("sitting_id", "=", sittingId)
    .execute();
});

function lookUp(cookie: string, idNumber: string, name: string) {
  return act(siteRoute, "/candidate/site", cookie, { idType: "1", idNumber, name });
}

function details(id: string, extra: Record<string, string> = {}) {
  return {
    name: "王小明",
    gender: "1",
    birth_date: "2004-05-06",
    id_type: "1",
    id_number: id,
    ethnicity: "01",
    education: "20",
    occupation: "",
    department: "",
    major: "",
    class_name: "计科2401",
    student_no: "",
    phone: "13800002222",
    address: "",
    postcode: "",
    email: "",
    ...extra,
  };
}

const refusals = (data: { sites: Array<{ code: string; refusal: string | null }> }) =>
  Object.fromEntries(data.sites.map((s) => [s.code, s.refusal]));

describe("knowing an ID number reveals nothing (SR-6, X-4)", () => {
  it("SR-6/X-4: a second candidate who knows an ID learns nothing: no contact or school data, no eligibility answer without the matching name", async () => {
    const stranger = await newCandidate("陌生人");
    expect((await lookUp(stranger.cookie, RECORD_ID, "陌生人")).status).toBe(302);
    const page = await load(detailsRoute, `/candidate/details?site=${site3}`, stranger.cookie);
    expect(page.status).toBe(200);
    expect(page.data.prefilled).toBe(false);
    const seen = JSON.stringify(page.data);
    for (const v of Object.values(RECORD)) expect(seen).not.toContain(v);
    // The eligibility answer is the one an unknown ID number gets: the record does not count.
    const withId = refusals((await load(siteRoute, "/candidate/site", stranger.cookie)).data);
    const unknown = await newCandidate("路人");
    await lookUp(unknown.cookie, residentId("2001-02-03", 312), "路人");
    expect(withId).toEqual(refusals((await load(siteRoute, "/candidate/site", unknown.cookie)).data));
    expect(withId["990201"]).toBe("eligibility.public_refused");
  });

  it("SR-6/X-4: with the matching name the record fills the school fields only, never phone, e-mail, address or postcode", async () => {
    const owner = await newCandidate("韩学籍");
    await lookUp(owner.cookie, RECORD_ID, "韩 学籍");
    expect(refusals((await load(siteRoute, "/candidate/site", owner.cookie)).data)["990201"]).toBeNull();
    const page = await load(detailsRoute, `/candidate/details?site=${site3}`, owner.cookie);
    expect(page.data.prefilled).toBe(true);
    expect(page.data.values).toMatchObject({
      id_number: RECORD_ID,
      class_name: RECORD.class_name,
      department: RECORD.department,
      major: RECORD.major,
      student_no: RECORD.student_no,
    });
    const seen = JSON.stringify(page.data);
    for (const v of [RECORD.phone, RECORD.email, RECORD.address, RECORD.postcode]) expect(seen).not.toContain(v);
    // The account's own e-mail stays the contact the form offers.
    expect(page.data.values.email).toBe(owner.email);
  });

  it("X-4: ID numbers never travel in URLs: the site and details pages ignore an ID number in the query string", async () => {
    const c = await newCandidate("查询者");
    const site = await load(siteRoute, `/candidate/site?idType=1&idNumber=${RECORD_ID}`, c.cookie);
    expect(site.data.idNumber).toBe("");
    expect(JSON.stringify(site.data)).not.toContain(RECORD_ID);
    const d = await load(detailsRoute, `/candidate/details?site=${site3}&idType=1&idNumber=${RECORD_ID}`, c.cookie);
    expect(d.status).toBe(302);
    expect(d.location).toBe("/candidate/site");
    // After the POST the site list links to the details page by site only.
    await lookUp(c.cookie, residentId("2001-02-03", 313), "查询者");
    expect((await load(siteRoute, "/candidate/site", c.cookie)).data.idNumber).toBe(residentId("2001-02-03", 313));
  });

  it("X-4: an ID number registered by someone else is refused without saying that it is registered", async () => {
    const id = residentId("2004-05-06", 314);
    const a = await newCandidate();
    const b = await newCandidate();
    expect((await act(detailsRoute, "/candidate/details", a.cookie, { site: site1, ...details(id) })).status).toBe(302);
    const r = await act(detailsRoute, "/candidate/details", b.cookie, {
      site: site1,
      ...details(id, { name: "别人" }),
    });
    expect(r.data.fieldErrors.id_number.key).toBe("privacy.id_unavailable");
    const { zhCN } = await import("../../app/i18n/zh-CN");
    const { en } = await import("../../app/i18n/en");
    expect(zhCN["privacy.id_unavailable"]).not.toMatch(/已报名|注册/);
    expect(en["privacy.id_unavailable"]).not.toMatch(/already|is registered|has been registered/i);
  });

  it("SR-6: ID-number look-ups are rate-limited per account; repeating the same look-up costs nothing; other accounts are not affected", async () => {
    const prober = await newCandidate("探测者");
    for (let i = 0; i < ID_LOOKUP_LIMIT.max; i++) {
      expect((await lookUp(prober.cookie, residentId("1999-01-01", 400 + i), "探测者")).status).toBe(302);
    }
    // The same ID and name again: not a new look-up.
    expect(
      (await lookUp(prober.cookie, residentId("1999-01-01", 400 + ID_LOOKUP_LIMIT.max - 1), "探测者")).status,
    ).toBe(302);
    const refused = await lookUp(prober.cookie, residentId("1999-01-01", 450), "探测者");
    expect(refused.status).toBe(429);
    expect(refused.data.error).toContain("查询次数过多");
    // A registration saved under yet another ID number counts too.
    const save = await act(detailsRoute, "/candidate/details", prober.cookie, {
      site: site1,
      ...details(residentId("2004-05-06", 451)),
    });
    expect(save.status).toBe(429);
    expect(
      await getDb().selectFrom("registration").select("id").where("account_id", "=", prober.id).executeTakeFirst(),
    ).toBeUndefined();
    const other = await newCandidate("别人");
    expect((await lookUp(other.cookie, residentId("1999-01-01", 452), "别人")).status).toBe(302);
  });

  it("X-4: an administrator's search by ID number keeps the number out of the URL; the token works for that account only", async () => {
    const [site201, other] = await Promise.all(
      ["site990201", "site990101"].map((u) => sessionCookie(`${u}@example.com`)),
    );
    const path = await privateSearchPath(site201, "/admin/records", { idNumber: RECORD_ID, name: "" });
    expect(path).toMatch(/^\/admin\/records\?.*pq=/);
    expect(decodeURIComponent(path)).not.toContain(RECORD_ID.slice(-8));
    const found = await load(recordsRoute, path, site201);
    expect(found.data.total).toBe(1);
    expect(found.data.idNumber).toBe(RECORD_ID);
    // An ID number typed into the URL by hand is not a filter; another account's token is not either.
    expect((await load(recordsRoute, `/admin/records?idNumber=${RECORD_ID}`, site201)).data.idNumber).toBe("");
    const stolen = await load(recordsRoute, path, other);
    expect(JSON.stringify(stolen.data)).not.toContain(RECORD_ID);
  });
});
