import { beforeAll, describe, expect, it } from "vitest";
import * as adminLayout from "../../app/routes/admin";
import * as homeRoute from "../../app/routes/admin._index";
import * as orgsRoute from "../../app/routes/admin.orgs";
import * as sittingsRoute from "../../app/routes/admin.sittings";
import * as windowsRoute from "../../app/routes/admin.windows";
import * as auditRoute from "../../app/routes/admin.audit";
import * as candidateRoute from "../../app/routes/candidate";
import { getDb } from "../../db/client";
import { act, load, orgId, sessionCookie } from "../factories";

let centre: string, site1: string, city1: string, candidate: string;
let past: number, current: number;

beforeAll(async () => {
  [centre, site1, city1, candidate] = await Promise.all(
    ["centre", "site990101", "city9901", "candidate"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  const rows = await getDb().selectFrom("sitting").select(["id", "code"]).execute();
  past = rows.find((r) => r.code === "78")!.id;
  current = rows.find((r) => r.code === "79")!.id;
});

describe("sittings", () => {
  it("ORG-7: an admin switches to a past sitting and reads it, but every change is refused by the server", async () => {
    const sw = await act(adminLayout, "/admin", site1, { sittingId: past, redirectTo: "/admin/orgs" });
    expect(sw.location).toBe("/admin/orgs");
    const home = await load(homeRoute, "/admin", site1);
    expect(home.data.sitting.code).toBe("78");
    expect(home.data.windows.find((w: { kind: string }) => w.kind === "registration").status).toBe("closed");
    // Issue 15 item 5: looking back, there is no "before registration" to-do list for a past sitting.
    expect(home.data.readiness).toEqual([]);
    const orgs = await load(orgsRoute, "/admin/orgs", site1);
    expect(orgs.status).toBe(200);
    expect(orgs.data.writable).toBe(false);

    const refused = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "update-info",
      orgId: await orgId("990101"),
      address: "past",
    });
    expect(refused.status).toBe(403);
    expect(refused.data.error).toContain("历史考次");
    const user = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "add-user",
      orgId: await orgId("990101"),
      login: "p@example.com",
      name: "p",
      role: "admin",
    });
    expect(user.status).toBe(403);
    // Reading and exporting the past sitting's audit log stay available.
    expect((await load(auditRoute, "/admin/audit", site1)).status).toBe(200);
    expect((await act(auditRoute, "/admin/audit", site1, {})).data.ok).toBe(true);

    await act(adminLayout, "/admin", site1, { sittingId: current, redirectTo: "/admin" });
    expect((await load(homeRoute, "/admin", site1)).data.sitting.code).toBe("79");
  });

  it("ORG-7: a superior cannot change a past sitting's windows", async () => {
    await act(adminLayout, "/admin", city1, { sittingId: past, redirectTo: "/admin" });
    const id = await orgId("990101");
    const r = await act(windowsRoute, "/admin/windows", city1, {
      intent: "save",
      kind: "registration",
      orgIds: `${id}`,
      [`start_${id}`]: "2026-07-01T00:00",
      [`end_${id}`]: "2026-07-02T00:00",
      [`orig_start_${id}`]: "",
      [`orig_end_${id}`]: "",
    });
    expect(r.status).toBe(403);
    await act(adminLayout, "/admin", city1, { sittingId: current, redirectTo: "/admin" });
  });

  it("ORG-6: only the centre creates a sitting, with a two-digit code", async () => {
    expect(
      (
        await act(sittingsRoute, "/admin/sittings", city1, {
          code: "80",
          name: "x",
          starts_on: "2027-09-18",
          ends_on: "2027-09-20",
        })
      ).status,
    ).toBe(403);
    const bad = await act(sittingsRoute, "/admin/sittings", centre, {
      code: "8",
      name: "x",
      starts_on: "2027-09-18",
      ends_on: "2027-09-20",
    });
    expect(bad.data.error).toContain("2 位数字");
    const dup = await act(sittingsRoute, "/admin/sittings", centre, {
      code: "78",
      name: "x",
      starts_on: "2027-09-18",
      ends_on: "2027-09-20",
    });
    expect(dup.data.error).toContain("已存在");
  });

  it("ORG-6: a new sitting becomes current and copies organisations, enablement and users", async () => {
    // Give the current sitting something distinctive to copy.
    const id990102 = await orgId("990102");
    await act(orgsRoute, "/admin/orgs", city1, { intent: "set-enabled", orgId: id990102, enabled: "false" });
    const before = await getDb()
      .selectFrom("membership")
      .select("account_id")
      .where("sitting_id", "=", current)
      .execute();
    const r = await act(sittingsRoute, "/admin/sittings", centre, {
      code: "80",
      name: "2027年9月 第80次",
      starts_on: "2027-09-18",
      ends_on: "2027-09-20",
    });
    expect(r.data).toMatchObject({ ok: true, orgs: 10, users: before.length });
    const s80 = await getDb().selectFrom("sitting").selectAll().where("code", "=", "80").executeTakeFirstOrThrow();
    expect(s80.is_current).toBe(true);
    const st = await getDb()
      .selectFrom("org_sitting")
      .selectAll()
      .where("sitting_id", "=", s80.id)
      .where("org_id", "=", id990102)
      .executeTakeFirstOrThrow();
    expect(st.enabled).toBe(false);
    const home = await load(homeRoute, "/admin", site1);
    expect(home.data.sitting.code).toBe("80");
    // Windows are not copied: the new sitting's calendar starts empty.
    expect(home.data.windows.every((w: { status: string }) => w.status === "not_set")).toBe(true);
    // 79 is now a past sitting and read-only.
    await act(adminLayout, "/admin", site1, { sittingId: current, redirectTo: "/admin" });
    expect(
      (
        await act(orgsRoute, "/admin/orgs", site1, {
          intent: "update-info",
          orgId: await orgId("990101"),
          address: "x",
        })
      ).status,
    ).toBe(403);
  });

  it("ORG-8: candidates see the current sitting only", async () => {
    const cand = await load(candidateRoute, "/candidate", candidate);
    expect(cand.data.sitting.code).toBe("80");
    // A candidate account never enters the admin area, whatever sitting it asks for.
    expect((await act(adminLayout, "/admin", candidate, { sittingId: past, redirectTo: "/admin" })).location).toBe(
      "/candidate",
    );
  });
});
