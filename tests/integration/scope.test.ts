import { beforeAll, describe, expect, it } from "vitest";
import * as orgsRoute from "../../app/routes/admin.orgs";
import * as windowsRoute from "../../app/routes/admin.windows";
import * as auditRoute from "../../app/routes/admin.audit";
import { act, load, orgId, sessionCookie } from "../factories";

let site1: string, city1: string, province99: string;
let id990101: number, id990102: number, id990201: number, id500101: number;

beforeAll(async () => {
  [site1, city1, province99] = await Promise.all([
    sessionCookie("site990101@example.com"),
    sessionCookie("city9901@example.com"),
    sessionCookie("province99@example.com"),
  ]);
  [id990101, id990102, id990201, id500101] = await Promise.all(["990101", "990102", "990201", "500101"].map(orgId));
});

describe("ORG-2: scope is the own organisation and its descendants", () => {
  it("ORG-2: a site admin reads its own site", async () => {
    const r = await load(orgsRoute, `/admin/orgs?org=${id990101}`, site1);
    expect(r.status).toBe(200);
    expect(r.data.selected.code).toBe("990101");
    expect(r.data.tree.map((o: { code: string }) => o.code)).toEqual(["990101"]);
  });

  it("ORG-2: a site admin cannot read a sibling site or its users", async () => {
    const r = await load(orgsRoute, `/admin/orgs?org=${id990102}`, site1);
    expect(r.status).toBe(403);
    expect(r.data.message).toContain("无权访问");
  });

  it("ORG-2: a site admin cannot change a sibling site's info or users", async () => {
    const info = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "update-info",
      orgId: id990102,
      address: "hacked",
    });
    expect(info.status).toBe(403);
    const add = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "add-user",
      orgId: id990102,
      login: "intruder@example.com",
      name: "x",
      role: "admin",
    });
    expect(add.status).toBe(403);
    const ms = await load(orgsRoute, `/admin/orgs?org=${id990102}`, city1);
    expect(ms.data.members.map((m: { login: string }) => m.login)).not.toContain("intruder@example.com");
    expect(ms.data.selected.address).not.toBe("hacked");
  });

  it("ORG-2: a city admin reads its own sites and not another city's", async () => {
    const tree = await load(orgsRoute, "/admin/orgs", city1);
    expect(tree.data.tree.map((o: { code: string }) => o.code).sort()).toEqual(["9901", "990101", "990102"]);
    expect((await load(orgsRoute, `/admin/orgs?org=${id990102}`, city1)).status).toBe(200);
    expect((await load(orgsRoute, `/admin/orgs?org=${id990201}`, city1)).status).toBe(403);
  });

  it("ORG-2: a province admin cannot read or change another province's sites", async () => {
    expect((await load(orgsRoute, `/admin/orgs?org=${id500101}`, province99)).status).toBe(403);
    const r = await act(orgsRoute, "/admin/orgs", province99, {
      intent: "set-enabled",
      orgId: id500101,
      enabled: "false",
    });
    expect(r.status).toBe(403);
  });

  it("ORG-2: a site cannot set its own or a sibling's windows", async () => {
    const form = {
      intent: "save",
      kind: "registration",
      orgIds: `${id990102}`,
      [`start_${id990102}`]: "2026-01-01T00:00",
      [`end_${id990102}`]: "2030-01-01T00:00",
      [`orig_start_${id990102}`]: "",
      [`orig_end_${id990102}`]: "",
    };
    expect((await act(windowsRoute, "/admin/windows", site1, form)).status).toBe(403);
    const self = {
      ...form,
      orgIds: `${id990101}`,
      [`start_${id990101}`]: "2026-01-01T00:00",
      [`end_${id990101}`]: "2030-01-01T00:00",
      [`orig_start_${id990101}`]: "",
      [`orig_end_${id990101}`]: "",
    };
    expect((await act(windowsRoute, "/admin/windows", site1, self)).status).toBe(403);
  });

  it("ORG-2/X-1: the audit log shows only the admin's scope", async () => {
    await act(orgsRoute, "/admin/orgs", city1, {
      intent: "update-info",
      orgId: id990102,
      address: "地址二",
      postcode: "999002",
    });
    const mine = await load(auditRoute, "/admin/audit?action=org.update_info", site1);
    expect(mine.data.rows.every((r: { org_code: string }) => r.org_code === "990101")).toBe(true);
    const city = await load(auditRoute, "/admin/audit?action=org.update_info", city1);
    expect(city.data.rows.some((r: { org_code: string }) => r.org_code === "990102")).toBe(true);
  });
});
