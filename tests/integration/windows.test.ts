import { beforeAll, describe, expect, it } from "vitest";
import * as homeRoute from "../../app/routes/admin._index";
import * as orgsRoute from "../../app/routes/admin.orgs";
import * as windowsRoute from "../../app/routes/admin.windows";
import * as candidateRoute from "../../app/routes/candidate";
import { getDb } from "../../db/client";
import { formatWallClock } from "../../app/domain/windows";
import { requireAdminMutation } from "../../app/utils/permissions.server";
import { act, auditCount, load, makeRequest, orgId, sessionCookie } from "../factories";

const tz = "Asia/Shanghai";
const input = (d: Date) => formatWallClock(d, tz).replace(" ", "T");
const DAY = 86_400_000;

let centre: string, province99: string, city1: string, site1: string, site2: string;
let id9901: number, id990101: number, id990102: number;

beforeAll(async () => {
  [centre, province99, city1, site1, site2] = await Promise.all(
    ["centre", "province99", "city9901", "site990101", "site990102"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  [id9901, id990101, id990102] = await Promise.all(["9901", "990101", "990102"].map(orgId));
});

async function windowOf(code: string, kind: string) {
  return getDb()
    .selectFrom("window")
    .innerJoin("org", "org.id", "window.org_id")
    .select(["starts_at", "ends_at"])
    .where("org.code", "=", code)
    .where("kind", "=", kind)
    .where(
      "sitting_id",
      "=",
      (await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()).id,
    )
    .executeTakeFirst();
}

function saveForm(kind: string, id: number, start: string, end: string, orig = { start: "", end: "" }) {
  return {
    intent: "save",
    kind,
    orgIds: `${id}`,
    [`start_${id}`]: start,
    [`end_${id}`]: end,
    [`orig_start_${id}`]: orig.start,
    [`orig_end_${id}`]: orig.end,
  };
}

describe("time windows", () => {
  it("WIN-3: a site sees its windows read-only, each open or not, on its home page", async () => {
    const home = await load(homeRoute, "/admin", site1);
    const byKind = Object.fromEntries(
      home.data.windows.map((w: { kind: string; status: string }) => [w.kind, w.status]),
    );
    expect(byKind).toMatchObject({
      pre_registration: "open",
      registration: "open",
      allocation: "upcoming",
      card_print: "upcoming",
    });
    const closed = await load(homeRoute, "/admin", site2);
    expect(closed.data.windows.find((w: { kind: string }) => w.kind === "registration").status).toBe("closed");
    const page = await load(windowsRoute, "/admin/windows", site1);
    expect(page.data.subordinates).toEqual([]);
    expect(page.data.ownEditable).toBe(false);
  });

  it("WIN-3: a gated mutation outside its window is refused by the server with the window's name and dates", async () => {
    try {
      await requireAdminMutation(makeRequest("/admin/x", { cookie: site2, form: {} }), { window: "registration" });
      throw new Error("not refused");
    } catch (e) {
      expect((e as { key: string }).key).toBe("window.closed");
      const w = await windowOf("990102", "registration");
      expect((e as { params: Record<string, string> }).params).toMatchObject({
        windowKey: "window.kind.registration",
        from: formatWallClock(w!.starts_at, tz),
        to: formatWallClock(w!.ends_at!, tz),
      });
    }
    // The same guard lets the open site through.
    const ok = await requireAdminMutation(makeRequest("/admin/x", { cookie: site1, form: {} }), {
      window: "registration",
    });
    expect(ok.org.code).toBe("990101");
  });

  it("WIN-3: a window that is not set refuses mutations too", async () => {
    await getDb().deleteFrom("window").where("org_id", "=", id990101).where("kind", "=", "violations").execute();
    await expect(
      requireAdminMutation(makeRequest("/x", { cookie: site1, form: {} }), { window: "violations" }),
    ).rejects.toMatchObject({ key: "window.closed_not_set" });
  });

  it("WIN-1: a superior sets a subordinate's window inside its own; outside it is refused and nothing changes", async () => {
    const city = (await windowOf("9901", "registration"))!;
    const start = new Date(city.starts_at.getTime() + DAY);
    const end = new Date(city.ends_at!.getTime() - DAY);
    const ok = await act(
      windowsRoute,
      "/admin/windows",
      city1,
      saveForm("registration", id990102, input(start), input(end)),
    );
    expect(ok.data).toMatchObject({ ok: true, changed: 1 });
    expect((await windowOf("990102", "registration"))!.starts_at.getTime()).toBe(start.getTime());

    const tooLate = await act(
      windowsRoute,
      "/admin/windows",
      city1,
      saveForm("registration", id990102, input(start), input(new Date(city.ends_at!.getTime() + DAY))),
    );
    expect(tooLate.status).toBe(400);
    expect(tooLate.data.error).toContain("必须在上级时间范围内");
    // Issue 15 items 1 and 9: the refusal names the row it is about, so the grid marks that row.
    expect(tooLate.data.errorRow).toBe("990102");
    expect((await windowOf("990102", "registration"))!.ends_at!.getTime()).toBe(end.getTime());
  });

  it("issue 15 item 9: the grid lists subordinates in tree order with their depth, for the province's search and level filter", async () => {
    const page = await load(windowsRoute, "/admin/windows?kind=registration", province99);
    const rows = page.data.subordinates.map((s: { code: string; level: string; depth: number }) => [
      s.code,
      s.level,
      s.depth,
    ]);
    expect(rows).toEqual([
      ["9901", "city", 0],
      ["990101", "site", 1],
      ["990102", "site", 1],
      ["9902", "city", 0],
      ["990201", "site", 1],
    ]);
    expect(page.data.levels).toEqual(["city", "site"]);
  });

  it("WIN-1: a subordinate's window can only be set once its superior's is set", async () => {
    await getDb().deleteFrom("window").where("org_id", "=", id9901).where("kind", "=", "post_exam_downloads").execute();
    const now = Date.now();
    const r = await act(
      windowsRoute,
      "/admin/windows",
      province99,
      saveForm("post_exam_downloads", id990101, input(new Date(now)), input(new Date(now + DAY))),
    );
    expect(r.status).toBe(400);
    expect(r.data.error).toContain("尚未设置");
  });

  it("WIN-1: 'set for all' sets every subordinate of a level, cities before sites", async () => {
    const prov = (await windowOf("99", "allocation"))!;
    const start = new Date(prov.starts_at.getTime() + 2 * DAY);
    const end = new Date(prov.ends_at!.getTime() - 2 * DAY);
    const cities = await act(windowsRoute, "/admin/windows", province99, {
      intent: "set-all",
      kind: "allocation",
      level: "city",
      start_all: input(start),
      end_all: input(end),
    });
    expect(cities.data).toMatchObject({ ok: true, changed: 2 });
    const sites = await act(windowsRoute, "/admin/windows", province99, {
      intent: "set-all",
      kind: "allocation",
      level: "site",
      start_all: input(start),
      end_all: input(end),
    });
    expect(sites.data).toMatchObject({ ok: true, changed: 3 });
    expect((await windowOf("990201", "allocation"))!.starts_at.getTime()).toBe(start.getTime());
  });

  it("WIN-3: a superior closes a site's window and the site's module turns read-only at once", async () => {
    const city = (await windowOf("9901", "pre_registration"))!;
    const start = new Date(city.starts_at.getTime() + 3_600_000);
    const end = new Date(city.starts_at.getTime() + 2 * 3_600_000);
    await act(
      windowsRoute,
      "/admin/windows",
      province99,
      saveForm("pre_registration", id990101, input(start), input(end)),
    );
    const home = await load(homeRoute, "/admin", site1);
    expect(home.data.windows.find((w: { kind: string }) => w.kind === "pre_registration").status).toBe("closed");
    await expect(
      requireAdminMutation(makeRequest("/x", { cookie: site1, form: {} }), { window: "pre_registration" }),
    ).rejects.toMatchObject({ key: "window.closed" });
  });

  it("WIN-5: a superior extends a site's window for a late change, and the extension is audited", async () => {
    const city = (await windowOf("9901", "registration"))!;
    const w = (await windowOf("990102", "registration"))!;
    const longer = new Date(city.ends_at!.getTime());
    const before = await auditCount("window.extend");
    const r = await act(
      windowsRoute,
      "/admin/windows",
      city1,
      saveForm("registration", id990102, input(w.starts_at), input(longer), {
        start: input(w.starts_at),
        end: input(w.ends_at!),
      }),
    );
    expect(r.data).toMatchObject({ ok: true, changed: 1 });
    expect(await auditCount("window.extend")).toBe(before + 1);
    const entry = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "window.extend")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(entry.entity_id).toBe("990102:registration");
    expect(Object.keys(entry.changes)).toContain("ends_at");
  });

  it("WIN-1: an unchanged row never blocks saving another (only edited rows are saved)", async () => {
    const r = await act(windowsRoute, "/admin/windows", city1, {
      intent: "save",
      kind: "registration",
      orgIds: `${id990101},${id990102}`,
      [`start_${id990101}`]: "garbage",
      [`orig_start_${id990101}`]: "garbage",
      [`end_${id990101}`]: "",
      [`orig_end_${id990101}`]: "",
      [`start_${id990102}`]: "",
      [`orig_start_${id990102}`]: "",
      [`end_${id990102}`]: "",
      [`orig_end_${id990102}`]: "",
    });
    expect(r.data).toMatchObject({ ok: true, changed: 0 });
  });

  it("WIN-1: the centre sets its own windows (the national calendar); a province cannot set its own", async () => {
    const centreId = await orgId("000000");
    const w = (await windowOf("000000", "violations"))!;
    const later = new Date(w.ends_at!.getTime() + DAY);
    const r = await act(windowsRoute, "/admin/windows", centre, {
      intent: "save",
      kind: "violations",
      orgIds: "self",
      start_self: input(w.starts_at),
      end_self: input(later),
      orig_start_self: input(w.starts_at),
      orig_end_self: input(w.ends_at!),
    });
    expect(r.data).toMatchObject({ ok: true, changed: 1 });
    expect((await windowOf("000000", "violations"))!.ends_at!.getTime()).toBe(later.getTime());
    const prov = await act(windowsRoute, "/admin/windows", province99, {
      intent: "save",
      kind: "violations",
      orgIds: "self",
      start_self: "2026-01-01T00:00",
      end_self: "2030-01-01T00:00",
      orig_start_self: "",
      orig_end_self: "",
    });
    expect(prov.status).toBe(403);
    expect(centreId).toBeGreaterThan(0);
  });

  it("WIN-6: user and organisation management are never window-gated", async () => {
    // 990102's setup and registration windows are closed; it still manages its own users.
    const r = await act(orgsRoute, "/admin/orgs", site2, {
      intent: "add-user",
      orgId: id990102,
      login: "helper990102@example.com",
      name: "助手",
      role: "admin",
    });
    expect(r.data.ok).toBe(true);
  });

  it("WIN-4: site windows control administrators only: with every site window closed, a candidate's pages still answer", async () => {
    const candidate = await sessionCookie("candidate@example.com");
    await getDb()
      .updateTable("window")
      .set({ starts_at: new Date("2020-01-01T00:00:00Z"), ends_at: new Date("2020-01-02T00:00:00Z") })
      .where("kind", "!=", "card_print")
      .where("org_id", "in", [id990101, id990102])
      .execute();
    const home = await load(candidateRoute, "/candidate", candidate);
    expect(home.status).toBe(200);
    expect(home.data.sitting.code).toBe("79");
    // …while the admins of those sites are now refused.
    await expect(
      requireAdminMutation(makeRequest("/x", { cookie: site1, form: {} }), { window: "registration" }),
    ).rejects.toMatchObject({ key: "window.closed" });
    // A candidate never passes the admins' guard at all.
    const asAdmin = await load(homeRoute, "/admin", candidate);
    expect(asAdmin.location).toBe("/candidate");
  });
});
