import { beforeAll, describe, expect, it } from "vitest";
import * as homeRoute from "../../app/routes/admin._index";
import * as orgsRoute from "../../app/routes/admin.orgs";
import { getDb } from "../../db/client";
import { act, auditCount, load, orgId, sessionCookie } from "../factories";

let site1: string, site2: string, city1: string, province99: string, finance: string;
let id990101: number, id990102: number, id9901: number;

beforeAll(async () => {
  [site1, site2, city1, province99, finance] = await Promise.all(
    ["site990101", "site990102", "city9901", "province99", "finance990101"].map((u) =>
      sessionCookie(`${u}@example.com`),
    ),
  );
  [id990101, id990102, id9901] = await Promise.all(["990101", "990102", "9901"].map(orgId));
});

describe("organisations and users", () => {
  it("ORG-1: an administrator's organisation level decides its role", async () => {
    const home = await load(homeRoute, "/admin", site1);
    expect(home.data.org.level).toBe("site");
    expect((await load(homeRoute, "/admin", city1)).data.org.level).toBe("city");
    expect((await load(homeRoute, "/admin", province99)).data.org.level).toBe("province");
  });

  it("ORG-4/WIN-6: a site edits its own info at any time, even with its windows closed", async () => {
    // 990102's pre-registration and registration windows are closed in the demo data.
    const r = await act(orgsRoute, "/admin/orgs", site2, {
      intent: "update-info",
      orgId: id990102,
      address: "新地址 1 号",
      postcode: "999002",
      contact_phone: "0999-1234567",
    });
    expect(r.data).toMatchObject({ ok: true });
    const view = await load(orgsRoute, `/admin/orgs?org=${id990102}`, site2);
    expect(view.data.selected.address).toBe("新地址 1 号");
    expect(await auditCount("org.update_info")).toBeGreaterThan(0);
  });

  it("ORG-4: bad info is refused with a message and changes nothing", async () => {
    const r = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "update-info",
      orgId: id990101,
      address: "x",
      postcode: "12ab",
    });
    expect(r.status).toBe(400);
    expect(r.data.error).toContain("邮政编码");
    expect((await load(orgsRoute, "/admin/orgs", site1)).data.selected.address).not.toBe("x");
  });

  it("ORG-4: a site adds, edits and deletes its users, never itself", async () => {
    const add = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "add-user",
      orgId: id990101,
      login: "13912345678",
      name: "钱老师",
      role: "admin",
      phone: "",
    });
    expect(add.data.ok).toBe(true);
    let members = (await load(orgsRoute, "/admin/orgs", site1)).data.members as Array<{
      id: number;
      login: string;
      account_id: string;
      name: string;
    }>;
    const qian = members.find((m) => m.login === "13912345678")!;
    const upd = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "update-user",
      orgId: id990101,
      membershipId: qian.id,
      name: "钱二",
      phone: "1",
      role: "finance",
    });
    expect(upd.data.ok).toBe(true);
    const del = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "remove-user",
      orgId: id990101,
      membershipId: qian.id,
    });
    expect(del.data.ok).toBe(true);
    members = (await load(orgsRoute, "/admin/orgs", site1)).data.members;
    expect(members.some((m) => m.login === "13912345678")).toBe(false);

    const me = members.find((m) => m.login === "site990101@example.com")!;
    const self = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "remove-user",
      orgId: id990101,
      membershipId: me.id,
    });
    expect(self.status).toBe(400);
    expect(self.data.error).toContain("不能删除自己");
    const selfRole = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "update-user",
      orgId: id990101,
      membershipId: me.id,
      name: "张老师",
      phone: "",
      role: "finance",
    });
    expect(selfRole.status).toBe(400);
  });

  it("ORG-3: one account holds one role; an existing account is invited, never bound, and an unbound one is a candidate again", async () => {
    // A bound administrator is not bound twice: the inviter only learns that an invitation went out.
    const twice = await act(orgsRoute, "/admin/orgs", city1, {
      intent: "add-user",
      orgId: id990102,
      login: "site990101@example.com",
      name: "张",
      role: "admin",
    });
    expect(twice.data).toMatchObject({ ok: true, message: "invite.sent", oneTimePassword: null });
    const bound = await getDb()
      .selectFrom("membership")
      .innerJoin("account", "account.id", "membership.account_id")
      .select("membership.org_id")
      .where("account.email", "=", "site990101@example.com")
      .execute();
    expect(bound.every((m) => m.org_id === id990101)).toBe(true);

    // An existing candidate account keeps its role and password until its owner accepts (invitations.test.ts).
    const add = await act(orgsRoute, "/admin/orgs", city1, {
      intent: "add-user",
      orgId: id990102,
      login: "candidate@example.com",
      name: "陈",
      role: "admin",
    });
    expect(add.data).toMatchObject({ ok: true, message: "invite.sent", oneTimePassword: null });
    let acc = await getDb()
      .selectFrom("account")
      .select("role")
      .where("email", "=", "candidate@example.com")
      .executeTakeFirstOrThrow();
    expect(acc.role).toBe("candidate");

    // A new address is a new administrator account; removed from its organisation, it is a candidate again.
    const created = await act(orgsRoute, "/admin/orgs", city1, {
      intent: "add-user",
      orgId: id990102,
      login: "chen.new@example.com",
      name: "陈",
      role: "admin",
    });
    expect(created.data.oneTimePassword).toBeTruthy();
    const members = (await load(orgsRoute, `/admin/orgs?org=${id990102}`, city1)).data.members as Array<{
      id: number;
      login: string;
    }>;
    const m = members.find((x) => x.login === "chen.new@example.com")!;
    await act(orgsRoute, "/admin/orgs", city1, { intent: "remove-user", orgId: id990102, membershipId: m.id });
    acc = await getDb()
      .selectFrom("account")
      .select("role")
      .where("email", "=", "chen.new@example.com")
      .executeTakeFirstOrThrow();
    expect(acc.role).toBe("candidate");
  });

  it("ORG-5: reviewed info is read-only to the organisation itself; its superior can still edit and unreview it", async () => {
    expect(
      (await act(orgsRoute, "/admin/orgs", city1, { intent: "set-review", orgId: id990101, review_state: "reviewed" }))
        .data.ok,
    ).toBe(true);
    const refused = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "update-info",
      orgId: id990101,
      address: "改不了",
    });
    expect(refused.status).toBe(400);
    expect(refused.data.error).toContain("已审核");
    const bySuperior = await act(orgsRoute, "/admin/orgs", city1, {
      intent: "update-info",
      orgId: id990101,
      address: "测试省第一地市学府路1号 信息楼",
      postcode: "999001",
    });
    expect(bySuperior.data.ok).toBe(true);
    // Review state does not affect use: the site still works.
    expect((await load(homeRoute, "/admin", site1)).status).toBe(200);
    await act(orgsRoute, "/admin/orgs", city1, { intent: "set-review", orgId: id990101, review_state: "pending" });
    expect(
      (
        await act(orgsRoute, "/admin/orgs", site1, {
          intent: "update-info",
          orgId: id990101,
          address: "测试省第一地市学府路1号 信息楼",
        })
      ).data.ok,
    ).toBe(true);
  });

  it("ORG-4: a site cannot enable, disable or delete itself", async () => {
    expect(
      (await act(orgsRoute, "/admin/orgs", site1, { intent: "set-enabled", orgId: id990101, enabled: "false" })).status,
    ).toBe(403);
    expect((await act(orgsRoute, "/admin/orgs", site1, { intent: "delete-org", orgId: id990101 })).status).toBe(403);
  });

  it("ORG-4/ORG-10: a superior adds a site with a well-formed code, disables it, and deletes it", async () => {
    const bad = await act(orgsRoute, "/admin/orgs", city1, {
      intent: "add-org",
      parentId: id9901,
      code: "990201",
      name: "错码",
    });
    expect(bad.status).toBe(400);
    expect(bad.data.error).toContain("上级机构代码开头");
    const taken = await act(orgsRoute, "/admin/orgs", city1, {
      intent: "add-org",
      parentId: id9901,
      code: "990102",
      name: "重复",
    });
    expect(taken.data.error).toContain("已被使用");
    const ok = await act(orgsRoute, "/admin/orgs", city1, {
      intent: "add-org",
      parentId: id9901,
      code: "990109",
      name: "新考点",
    });
    expect(ok.data.ok).toBe(true);
    const newId = await orgId("990109");
    const added = await act(orgsRoute, "/admin/orgs", city1, {
      intent: "add-user",
      orgId: newId,
      login: "site990109@example.com",
      name: "新",
      role: "admin",
    });
    expect(added.data.oneTimePassword).toBeTruthy();
    expect(
      (await act(orgsRoute, "/admin/orgs", city1, { intent: "set-enabled", orgId: newId, enabled: "false" })).data.ok,
    ).toBe(true);
    const newSite = await sessionCookie("site990109@example.com");
    await getDb()
      .updateTable("account")
      .set({ must_change_password: false })
      .where("email", "=", "site990109@example.com")
      .execute();
    // ORG-4: a site disabled for the current sitting cannot enter the admin area.
    const denied = await load(homeRoute, "/admin", newSite);
    expect(denied.status).toBe(403);
    expect(denied.data.message).toContain("未启用");
    expect((await act(orgsRoute, "/admin/orgs", city1, { intent: "delete-org", orgId: newId })).data.ok).toBe(true);
    const tree = (await load(orgsRoute, "/admin/orgs", city1)).data.tree as Array<{ code: string }>;
    expect(tree.map((o) => o.code)).not.toContain("990109");
    expect(await auditCount("org.delete")).toBe(1);
  });

  it("ORG-4: an organisation with subordinates cannot be deleted", async () => {
    const r = await act(orgsRoute, "/admin/orgs", province99, { intent: "delete-org", orgId: id9901 });
    expect(r.status).toBe(400);
    expect(r.data.error).toContain("下级机构");
  });

  it("ORG-11: finance staff see their home page but not the organisation's users, and change nothing outside finance", async () => {
    expect((await load(homeRoute, "/admin", finance)).data.role).toBe("finance");
    const r = await act(orgsRoute, "/admin/orgs", finance, { intent: "update-info", orgId: id990101, address: "x" });
    expect(r.status).toBe(403);
    expect(r.data.error).toContain("财务人员");
    const v = await load(orgsRoute, "/admin/orgs", finance);
    expect(v.status).toBe(403);
    expect(v.data.message).toContain("财务人员");
  });

  it("ORG-4: a forged intent or id is a bad form (400, the form message), never a lookup; nothing changes", async () => {
    const before = await getDb()
      .selectFrom("org_sitting")
      .select(["org_id", "address"])
      .where("org_id", "=", id990101)
      .executeTakeFirstOrThrow();
    for (const form of <Record<string, string | number>[]>[
      { intent: "drop-everything", orgId: id990101 },
      { intent: "update-info", orgId: "abc", address: "伪造" },
      { intent: "update-info", orgId: -1, address: "伪造" },
      { intent: "remove-user", orgId: id990101, membershipId: "1 or 1=1" },
    ]) {
      const r = await act(orgsRoute, "/admin/orgs", site1, form);
      expect(r.status, JSON.stringify(form)).toBe(400);
      expect(r.data.error).toBe("提交的内容不完整或格式不正确。");
    }
    expect(
      await getDb()
        .selectFrom("org_sitting")
        .select(["org_id", "address"])
        .where("org_id", "=", id990101)
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
  });
});
