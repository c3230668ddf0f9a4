import { beforeAll, describe, expect, it } from "vitest";
import * as homeRoute from "../../app/routes/admin._index";
import * as settingsRoute from "../../app/routes/admin.setup.settings";
import * as subjectsRoute from "../../app/routes/admin.setup.subjects";
import * as feesRoute from "../../app/routes/admin.setup.fees";
import * as capacityRoute from "../../app/routes/admin.setup.capacity";
import * as eligibilityRoute from "../../app/routes/admin.setup.eligibility";
import * as windowsRoute from "../../app/routes/admin.windows";
import { formatWallClock } from "../../app/domain/windows";
import { getDb } from "../../db/client";
import { act, auditCount, load, orgId, sessionCookie } from "../factories";
import { setSeatsTaken, SITE_TOTAL } from "../factories/seats";

let centre: string,
  province99: string,
  province50: string,
  city1: string,
  site1: string,
  site2: string,
  finance: string;
let id990101: number, id990102: number, id500101: number;
let sittingId: number;

const DAY = 86_400_000;
const input = (d: Date) => formatWallClock(d, "Asia/Shanghai").replace(" ", "T");
const flags = { open: "on", group_registration: "on", review_required: "on", self_print: "on", max_entries: 2 };

beforeAll(async () => {
  [centre, province99, province50, city1, site1, site2, finance] = await Promise.all(
    ["centre", "province99", "province50", "city9901", "site990101", "site990102", "finance990101"].map((u) =>
      sessionCookie(`${u}@example.com`),
    ),
  );
  [id990101, id990102, id500101] = await Promise.all(["990101", "990102", "500101"].map(orgId));
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
});

const setting = (orgIdValue: number) =>
  getDb()
    .selectFrom("site_setting")
    .selectAll()
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", orgIdValue)
    .executeTakeFirstOrThrow();

describe("site registration settings", () => {
  it("SET-1: a site saves its registration settings inside its pre-registration window, audited", async () => {
    const r = await act(settingsRoute, "/admin/setup/settings", site1, { intent: "settings", ...flags });
    expect(r.data).toMatchObject({ ok: true });
    expect(await setting(id990101)).toMatchObject({
      open: true,
      group_registration: true,
      group_payment: false,
      review_required: true,
      max_entries: 2,
    });
    expect(await auditCount("setup.settings")).toBe(1);
  });

  it("SET-1/WIN-3: outside the window the same change is refused with the window's dates", async () => {
    const r = await act(settingsRoute, "/admin/setup/settings", site2, { intent: "settings", ...flags });
    expect(r.status).toBe(403);
    expect(r.data.error).toMatch(/^不在报名前设置时间内（\d{4}-\d{2}-\d{2} \d{2}:\d{2} 至/);
    expect((await setting(id990102)).group_registration).toBe(false);
    const page = await load(settingsRoute, "/admin/setup/settings", site2);
    expect(page.data.editable).toBe(false);
  });

  it("SET-1: at most 3 entries per candidate; finance staff and superiors cannot change a site's settings", async () => {
    expect(
      (await act(settingsRoute, "/admin/setup/settings", site1, { intent: "settings", ...flags, max_entries: 4 })).data
        .error,
    ).toContain("1 至 3");
    expect((await act(settingsRoute, "/admin/setup/settings", finance, { intent: "settings", ...flags })).status).toBe(
      403,
    );
    expect(
      (await act(settingsRoute, "/admin/setup/settings", province99, { intent: "settings", ...flags })).status,
    ).toBe(403);
  });

  it("SET-8: class options split on ';' or '；' are saved normalised; empty clears them", async () => {
    await act(settingsRoute, "/admin/setup/settings", site1, {
      intent: "classes",
      class_options: "会计一班; 会计二班；管理一班;;会计一班",
    });
    expect((await setting(id990101)).class_options).toBe("会计一班；会计二班；管理一班");
    expect((await load(settingsRoute, "/admin/setup/settings", site1)).data.classOptions).toEqual([
      "会计一班",
      "会计二班",
      "管理一班",
    ]);
    await act(settingsRoute, "/admin/setup/settings", site1, { intent: "classes", class_options: "" });
    expect((await setting(id990101)).class_options).toBe("");
  });

  it("SET-6: online registration needs dates inside the superior's bounds", async () => {
    const bounds = await getDb()
      .selectFrom("window")
      .select(["starts_at", "ends_at"])
      .where("org_id", "=", id990101)
      .where("kind", "=", "online_registration")
      .where("sitting_id", "=", sittingId)
      .executeTakeFirstOrThrow();
    const noDates = await act(settingsRoute, "/admin/setup/settings", site1, {
      intent: "online",
      enabled: "on",
      start: "",
      end: "",
    });
    expect(noDates.data.error).toContain("必须填写开始和截止时间");
    const outside = await act(settingsRoute, "/admin/setup/settings", site1, {
      intent: "online",
      enabled: "on",
      start: input(new Date(bounds.starts_at.getTime() - DAY)),
      end: input(bounds.ends_at!),
    });
    expect(outside.data.error).toContain("上级给定的范围内");
    const start = new Date(bounds.starts_at.getTime() + DAY);
    const ok = await act(settingsRoute, "/admin/setup/settings", site1, {
      intent: "online",
      enabled: "on",
      start: input(start),
      end: input(new Date(bounds.ends_at!.getTime() - DAY)),
    });
    expect(ok.data).toMatchObject({ ok: true });
    expect((await setting(id990101)).online_starts_at!.getTime()).toBe(start.getTime());
    // Turning it off keeps the dates for later.
    await act(settingsRoute, "/admin/setup/settings", site1, { intent: "online", start: "", end: "" });
    expect(await setting(id990101)).toMatchObject({ online_enabled: false });
    await act(settingsRoute, "/admin/setup/settings", site1, {
      intent: "online",
      enabled: "on",
      start: input(start),
      end: input(new Date(bounds.ends_at!.getTime() - DAY)),
    });
  });
});

describe("offered subjects", () => {
  it("SET-2: a site adds a subject from its province's, inside the province's range; the range is fixed once added", async () => {
    const page = await load(subjectsRoute, "/admin/setup/subjects", site1);
    expect(page.data.available.map((s: { code: string }) => s.code)).toContain("28");
    expect(page.data.available.map((s: { code: string }) => s.code)).not.toContain("17"); // the province does not offer 17
    const outside = await act(subjectsRoute, "/admin/setup/subjects", site1, {
      intent: "add",
      code: "28",
      start: "2027-03-26",
      end: "2027-03-28",
    });
    expect(outside.data.error).toContain("必须在上级范围内（2027-03-27 至 2027-03-29）");
    const notOffered = await act(subjectsRoute, "/admin/setup/subjects", site1, {
      intent: "add",
      code: "17",
      start: "2027-03-27",
      end: "2027-03-27",
    });
    expect(notOffered.data.error).toContain("未由上级开考");
    expect(
      (
        await act(subjectsRoute, "/admin/setup/subjects", site1, {
          intent: "add",
          code: "28",
          start: "2027-03-28",
          end: "2027-03-28",
        })
      ).data.ok,
    ).toBe(true);
    const again = await act(subjectsRoute, "/admin/setup/subjects", site1, {
      intent: "add",
      code: "28",
      start: "2027-03-27",
      end: "2027-03-29",
    });
    expect(again.data.error).toContain("已开考");
  });

  it("SET-2/SET-10: a subject with a capacity or with entries cannot be deleted; without, it can", async () => {
    const withCapacity = await act(subjectsRoute, "/admin/setup/subjects", site1, { intent: "remove", code: "14" });
    expect(withCapacity.data.error).toContain("已设置容量");
    // Three entries hold seats of 15 (decision 0051: a capacity at least as large comes with them).
    const cap15 = (
      await getDb()
        .selectFrom("site_subject")
        .select("capacity")
        .where("org_id", "=", id990101)
        .where("sitting_id", "=", sittingId)
        .where("subject_code", "=", "15")
        .executeTakeFirstOrThrow()
    ).capacity;
    await getDb()
      .updateTable("site_subject")
      .set({ capacity: 3 })
      .where("org_id", "=", id990101)
      .where("sitting_id", "=", sittingId)
      .where("subject_code", "=", "15")
      .execute();
    await setSeatsTaken(sittingId, id990101, "15", 3);
    await getDb()
      .updateTable("site_subject")
      .set({ capacity: 0 })
      .where("org_id", "=", id990101)
      .where("subject_code", "=", "15")
      .where("taken", "<=", 0)
      .execute();
    expect(
      (await act(subjectsRoute, "/admin/setup/subjects", site1, { intent: "remove", code: "15" })).data.error,
    ).toMatch(/已设置容量|已有考生报考/);
    expect((await act(subjectsRoute, "/admin/setup/subjects", site1, { intent: "remove", code: "28" })).data.ok).toBe(
      true,
    );
    await setSeatsTaken(sittingId, id990101, "15", 0);
    await getDb()
      .updateTable("site_subject")
      .set({ capacity: cap15 })
      .where("org_id", "=", id990101)
      .where("sitting_id", "=", sittingId)
      .where("subject_code", "=", "15")
      .execute();
  });

  it("SET-2: a province offers a subset of the centre's subjects and cannot withdraw one its sites offer; the centre keeps the catalogue", async () => {
    expect(
      (
        await act(subjectsRoute, "/admin/setup/subjects", province99, {
          intent: "add",
          code: "17",
          start: "2027-03-27",
          end: "2027-03-28",
        })
      ).data.ok,
    ).toBe(true);
    expect(
      (await act(subjectsRoute, "/admin/setup/subjects", province99, { intent: "remove", code: "14" })).data.error,
    ).toContain("下级机构已开考");
    expect(
      (await act(subjectsRoute, "/admin/setup/subjects", centre, { intent: "remove", code: "17" })).data.error,
    ).toContain("下级机构已开考");
    expect(
      (await act(subjectsRoute, "/admin/setup/subjects", province99, { intent: "remove", code: "17" })).data.ok,
    ).toBe(true);
    expect((await act(subjectsRoute, "/admin/setup/subjects", centre, { intent: "remove", code: "18" })).data.ok).toBe(
      true,
    );
    expect(
      (
        await act(subjectsRoute, "/admin/setup/subjects", centre, {
          intent: "add",
          code: "18",
          start: "2027-03-27",
          end: "2027-03-29",
        })
      ).data.ok,
    ).toBe(true);
    expect(
      (
        await act(subjectsRoute, "/admin/setup/subjects", centre, {
          intent: "add",
          code: "26",
          start: "2027-03-27",
          end: "2027-03-29",
        })
      ).data.error,
    ).toContain("已停考");
    // The centre's ranges lie inside the sitting's exam days.
    await act(subjectsRoute, "/admin/setup/subjects", centre, { intent: "remove", code: "18" });
    expect(
      (
        await act(subjectsRoute, "/admin/setup/subjects", centre, {
          intent: "add",
          code: "18",
          start: "2027-03-26",
          end: "2027-03-29",
        })
      ).data.error,
    ).toContain("2027-03-27 至 2027-03-29");
    expect(
      (
        await act(subjectsRoute, "/admin/setup/subjects", city1, {
          intent: "add",
          code: "14",
          start: "2027-03-27",
          end: "2027-03-29",
        })
      ).status,
    ).toBe(403);
  });
});

describe("fees", () => {
  it("SET-3: the province sets a site's fees; the site sees them read-only and 'not set' plainly", async () => {
    const r = await act(feesRoute, `/admin/setup/fees?site=${id990102}`, province99, {
      siteId: id990102,
      per_person: "12.5",
      fee_14: "110",
      fee_65: "",
    });
    expect(r.data).toMatchObject({ ok: true });
    expect((await setting(id990102)).per_person_fee_fen).toBe(1250);
    const view = await load(feesRoute, "/admin/setup/fees", site2);
    expect(view.data.editable).toBe(false);
    expect(view.data.perPerson).toBe("12.50");
    expect(view.data.subjects.find((s: { code: string }) => s.code === "65").fee).toBeNull();
    expect(view.data.subjects.find((s: { code: string }) => s.code === "14").fee).toBe("110.00");
  });

  it("SET-3/ORG-2: a site cannot set its own fees, a city cannot, and another province cannot touch this province's sites", async () => {
    expect((await act(feesRoute, "/admin/setup/fees", site1, { siteId: id990101, per_person: "0" })).status).toBe(403);
    expect((await act(feesRoute, "/admin/setup/fees", city1, { siteId: id990101, per_person: "0" })).status).toBe(403);
    expect((await act(feesRoute, "/admin/setup/fees", province50, { siteId: id990101, per_person: "0" })).status).toBe(
      403,
    );
    expect((await setting(id990101)).per_person_fee_fen).toBe(1000);
    const bad = await act(feesRoute, "/admin/setup/fees", province99, { siteId: id990101, per_person: "abc" });
    expect(bad.data.error).toContain("金额格式不正确");
  });
});

describe("province tools for many sites (issue 15 item 9)", () => {
  const feesOf = (id: number) =>
    getDb()
      .selectFrom("site_fee")
      .select(["subject_code", "fee_fen"])
      .where("sitting_id", "=", sittingId)
      .where("org_id", "=", id)
      .orderBy("subject_code")
      .execute();

  it("SET-3: one save sets the same fees at the ticked sites and at every site of a ticked city, each audited", async () => {
    const id990201 = await orgId("990201");
    const city2 = await orgId("9902");
    const before = await auditCount("setup.fees");
    const r = await act(feesRoute, `/admin/setup/fees?site=${id990101}`, province99, {
      siteId: id990101,
      per_person: "15",
      fee_14: "95",
      also_site: [id990102],
      also_city: [city2],
    });
    expect(r.data).toMatchObject({ ok: true, sites: 3 });
    for (const id of [id990101, id990102, id990201]) {
      expect((await setting(id)).per_person_fee_fen).toBe(1500);
      expect((await feesOf(id)).find((f) => f.subject_code === "14")?.fee_fen).toBe(9500);
    }
    expect(await auditCount("setup.fees")).toBe(before + 3);
  });

  it("SET-3/ORG-2: a forged site of another province among the ticked ones refuses the whole save, and nothing changes", async () => {
    const r = await act(feesRoute, "/admin/setup/fees", province99, {
      siteId: id990101,
      per_person: "99",
      also_site: [id990102, id500101],
    });
    expect(r.status).toBe(403);
    expect((await setting(id990101)).per_person_fee_fen).toBe(1500);
    expect((await setting(id990102)).per_person_fee_fen).toBe(1500);
    expect((await setting(id500101)).per_person_fee_fen).not.toBe(9900);
  });

  it("SET-3: 'copy from another site' fills the form with that site's fees and saves nothing; a site outside scope is refused", async () => {
    await act(feesRoute, "/admin/setup/fees", province99, { siteId: id990102, per_person: "7", fee_14: "77" });
    const page = await load(feesRoute, `/admin/setup/fees?site=${id990101}&from=${id990102}`, province99);
    expect(page.data.site.code).toBe("990101");
    expect(page.data.from).toEqual({ code: "990102", name: expect.any(String) });
    expect(page.data.perPerson).toBe("7.00");
    expect(page.data.subjects.find((s: { code: string }) => s.code === "14").fee).toBe("77.00");
    expect((await setting(id990101)).per_person_fee_fen).toBe(1500);
    expect((await load(feesRoute, `/admin/setup/fees?site=${id990101}&from=${id500101}`, province99)).status).toBe(403);
    const cities = page.data.sites.map((s: { code: string; city: { code: string } | null }) => [s.code, s.city?.code]);
    expect(cities).toEqual(
      expect.arrayContaining([
        ["990101", "9901"],
        ["990201", "9902"],
      ]),
    );
  });

  it("SET-9: eligibility saved to several sites at once, or filled in from another site", async () => {
    const id990201 = await orgId("990201");
    const r = await act(eligibilityRoute, "/admin/setup/eligibility", province99, {
      siteId: id990102,
      registry_enabled: "on",
      only_site_registry: "on",
      also_site: [id990201],
    });
    expect(r.data).toMatchObject({ ok: true, sites: 2 });
    for (const id of [id990102, id990201])
      expect(await setting(id)).toMatchObject({
        registry_enabled: true,
        only_site_registry: true,
        only_province_registry: false,
      });
    const page = await load(eligibilityRoute, `/admin/setup/eligibility?site=${id990101}&from=${id990201}`, province99);
    expect(page.data.flags).toEqual({
      registry_enabled: true,
      only_province_registry: false,
      only_site_registry: true,
    });
    expect(
      (await act(eligibilityRoute, "/admin/setup/eligibility", city1, { siteId: id990102, also_site: [id990201] }))
        .status,
    ).toBe(403);
  });
});

describe("capacity and preferred dates", () => {
  it("SET-4: the total is at least 100 and at most 99999; 0 closes a subject", async () => {
    const low = await act(capacityRoute, "/admin/setup/capacity", site1, { intent: "capacity", total: 99, cap_14: 10 });
    expect(low.data.error).toContain("100 至 99999");
    const ok = await act(capacityRoute, "/admin/setup/capacity", site1, {
      intent: "capacity",
      total: 99999,
      cap_14: 0,
      cap_24: 99999,
    });
    expect(ok.data).toMatchObject({ ok: true });
    const page = await load(capacityRoute, "/admin/setup/capacity", site1);
    expect(page.data.total.remaining).toBe(Infinity);
    expect(page.data.subjects.find((s: { code: string }) => s.code === "14").level).toBe("not_offered"); // one capacity-level rule and name for both pages (issue 14 item 5);
  });

  it("SET-10: during registration a capacity can never be lowered below the entries already taken (SET-4), even by a direct write", async () => {
    await setSeatsTaken(sittingId, id990101, "65", 120);
    await setSeatsTaken(sittingId, id990101, SITE_TOTAL, 300);
    const subj = await act(capacityRoute, "/admin/setup/capacity", site1, {
      intent: "capacity",
      total: 800,
      cap_65: 100,
    });
    expect(subj.data.error).toContain("不能小于已报考的人数（120）");
    const total = await act(capacityRoute, "/admin/setup/capacity", site1, { intent: "capacity", total: 250 });
    expect(total.data.error).toContain("（300）");
    // The database refuses it too: the rule does not live in the app alone.
    await expect(
      getDb()
        .updateTable("site_subject")
        .set({ capacity: 10 })
        .where("org_id", "=", id990101)
        .where("subject_code", "=", "65")
        .execute(),
    ).rejects.toThrow();
    expect(
      (await act(capacityRoute, "/admin/setup/capacity", site1, { intent: "capacity", total: 800, cap_65: 120 })).data
        .ok,
    ).toBe(true);
    await setSeatsTaken(sittingId, id990101, "65", 0);
    await setSeatsTaken(sittingId, id990101, SITE_TOTAL, 0);
  });

  it("SET-5: quotas only once the province enables preferred dates; each ≥ 1 and ≤ half the total, summing to at most the total", async () => {
    await act(capacityRoute, "/admin/setup/capacity", site1, { intent: "capacity", total: 300 });
    const q = (a: number, b: number, c: number) => ({
      intent: "quotas",
      "quota_2027-03-27": a,
      "quota_2027-03-28": b,
      "quota_2027-03-29": c,
    });
    expect((await act(capacityRoute, "/admin/setup/capacity", site1, q(10, 10, 10))).data.error).toContain(
      "省里未启用",
    );
    expect(
      (await act(capacityRoute, "/admin/setup/capacity", site1, { intent: "preferred-enabled", enabled: "on" })).status,
    ).toBe(403);
    expect(
      (await act(capacityRoute, "/admin/setup/capacity", province99, { intent: "preferred-enabled", enabled: "on" }))
        .data.ok,
    ).toBe(true);
    expect((await act(capacityRoute, "/admin/setup/capacity", site1, q(0, 10, 10))).data.error).toContain("至少为 1");
    expect((await act(capacityRoute, "/admin/setup/capacity", site1, q(151, 10, 10))).data.error).toContain(
      "一半（150）",
    );
    expect((await act(capacityRoute, "/admin/setup/capacity", site1, q(150, 150, 1))).data.error).toContain(
      "不能超过总科次（300）",
    );
    expect((await act(capacityRoute, "/admin/setup/capacity", site1, q(100, 100, 100))).data.ok).toBe(true);
    // A total that would break the quotas is refused.
    expect(
      (await act(capacityRoute, "/admin/setup/capacity", site1, { intent: "capacity", total: 150 })).data.error,
    ).toContain("意向考试日期");
    await act(capacityRoute, "/admin/setup/capacity", province99, { intent: "preferred-enabled" });
  });
});

describe("eligibility", () => {
  it("SET-9: the province sets a site's student-record eligibility; the site reads it", async () => {
    const r = await act(eligibilityRoute, "/admin/setup/eligibility", province99, {
      siteId: id990101,
      registry_enabled: "on",
      only_province_registry: "on",
    });
    expect(r.data).toMatchObject({ ok: true });
    const view = await load(eligibilityRoute, "/admin/setup/eligibility", site1);
    expect(view.data).toMatchObject({
      editable: false,
      flags: { registry_enabled: true, only_province_registry: true, only_site_registry: false },
    });
    expect((await act(eligibilityRoute, "/admin/setup/eligibility", site1, { siteId: id990101 })).status).toBe(403);
    expect((await act(eligibilityRoute, "/admin/setup/eligibility", province50, { siteId: id990101 })).status).toBe(
      403,
    );
  });

  it("ORG-2: a site cannot read another site's settings; a province cannot read another province's sites", async () => {
    expect((await load(settingsRoute, `/admin/setup/settings?site=${id990102}`, site1)).data.site.code).toBe("990101");
    expect((await load(feesRoute, `/admin/setup/fees?site=${id500101}`, province99)).status).toBe(403);
    expect((await load(capacityRoute, `/admin/setup/capacity?site=${id500101}`, city1)).status).toBe(403);
    expect((await load(eligibilityRoute, `/admin/setup/eligibility?site=${id990102}`, city1)).data.site.code).toBe(
      "990102",
    );
  });
});

describe("readiness", () => {
  it("X-6: a ready site shows nothing missing; a half-configured one lists what it lacks", async () => {
    const ready = await load(homeRoute, "/admin", site1);
    expect(ready.data.readiness).toEqual([expect.objectContaining({ code: "990101", missing: [] })]);
    const half = await load(homeRoute, "/admin", site2);
    expect(half.data.readiness[0].missing).toEqual(["fees_not_set", "capacity_not_set", "online_window_not_set"]);
    // Issue 15 item 5: the subjects are named, as candidates cannot choose them (CAN-2).
    const offered = await getDb()
      .selectFrom("site_subject")
      .select("subject_code")
      .where("org_id", "=", id990102)
      .where("capacity", "is", null)
      .orderBy("subject_code")
      .execute();
    expect(offered.length, "the seed leaves some of 990102's subjects without capacity").toBeGreaterThan(0);
    expect(half.data.readiness[0].subjects.capacity_not_set).toEqual(offered.map((o) => o.subject_code));
  });

  it("X-6/WIN-5: the city's roll-up follows as the city extends 990102's window and the site fixes its setup", async () => {
    const before = (await load(homeRoute, "/admin", city1)).data.readiness as Array<{
      code: string;
      missing: string[];
    }>;
    expect(before.filter((s) => s.missing.length === 0).map((s) => s.code)).toEqual(["990101"]);
    // WIN-5: the city extends 990102's pre-registration window for the late change.
    const cityWin = await getDb()
      .selectFrom("window")
      .select(["starts_at", "ends_at"])
      .where("org_id", "=", await orgId("9901"))
      .where("kind", "=", "pre_registration")
      .where("sitting_id", "=", sittingId)
      .executeTakeFirstOrThrow();
    const w = await getDb()
      .selectFrom("window")
      .select(["starts_at", "ends_at"])
      .where("org_id", "=", id990102)
      .where("kind", "=", "pre_registration")
      .where("sitting_id", "=", sittingId)
      .executeTakeFirstOrThrow();
    await act(windowsRoute, "/admin/windows", city1, {
      intent: "save",
      kind: "pre_registration",
      orgIds: `${id990102}`,
      [`start_${id990102}`]: input(w.starts_at),
      [`end_${id990102}`]: input(cityWin.ends_at!),
      [`orig_start_${id990102}`]: input(w.starts_at),
      [`orig_end_${id990102}`]: input(w.ends_at!),
    });
    await act(feesRoute, "/admin/setup/fees", province99, {
      siteId: id990102,
      per_person: "10",
      fee_14: "110",
      fee_65: "110",
    });
    expect(
      (
        await act(capacityRoute, "/admin/setup/capacity", site2, {
          intent: "capacity",
          total: 200,
          cap_14: 100,
          cap_65: 100,
        })
      ).data.ok,
    ).toBe(true);
    expect(
      (await act(settingsRoute, "/admin/setup/settings", site2, { intent: "online", start: "", end: "" })).data.ok,
    ).toBe(true);
    expect((await load(homeRoute, "/admin", site2)).data.readiness[0].missing).toEqual([]);
    const after = (await load(homeRoute, "/admin", city1)).data.readiness as Array<{ code: string; missing: string[] }>;
    expect(
      after
        .filter((s) => s.missing.length === 0)
        .map((s) => s.code)
        .sort(),
    ).toEqual(["990101", "990102"]);
    // The province sees its whole tree, the centre everything.
    const prov = (await load(homeRoute, "/admin", province99)).data.readiness as Array<{ code: string }>;
    expect(prov.map((s) => s.code).sort()).toEqual(["990101", "990102", "990201"]);
  });
});
