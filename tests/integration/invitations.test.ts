import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as homeRoute from "../../app/routes/admin._index";
import * as adminLayout from "../../app/routes/admin";
import * as auditRoute from "../../app/routes/admin.audit";
import * as orgsRoute from "../../app/routes/admin.orgs";
import * as candidateLayout from "../../app/routes/candidate";
import * as invitationsRoute from "../../app/routes/invitations";
import { getDb } from "../../db/client";
import { act, load, orgId, sessionCookie } from "../factories";
import { makeRegistration } from "../factories/registrations";

let site500101: number, site990101: number, site990201: number, sittingId: number, pastSittingId: number;
let cqAdmin: string, site1: string;

beforeAll(async () => {
  [site500101, site990101, site990201] = await Promise.all(["500101", "990101", "990201"].map(orgId));
  const db = getDb();
  sittingId = (await db.selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()).id;
  pastSittingId = (
    await db.selectFrom("sitting").select("id").where("is_current", "=", false).executeTakeFirstOrThrow()
  ).id;
  // Site 500101 has no user of its own in the demo data: its province's administrator acts for it.
  [cqAdmin, site1] = await Promise.all(["province50@example.com", "site990101@example.com"].map(sessionCookie));
});

let seq = 0;
/** A signed-up candidate account (no registration unless told) and its session. */
async function account(opts: { registrationAt?: number; sitting?: number } = {}) {
  const email = `invitee${++seq}-${randomUUID().slice(0, 6)}@example.com`;
  const id = randomUUID();
  await getDb()
    .insertInto("account")
    .values({ id, email, mobile: null, name: `真实姓名${seq}`, password_hash: "x", role: "candidate" })
    .execute();
  if (opts.registrationAt)
    await makeRegistration({
      siteId: opts.registrationAt,
      sittingId: opts.sitting ?? sittingId,
      accountId: id,
      photo: false,
    });
  return { id, email, cookie: await sessionCookie(email) };
}

const invite = (cookie: string, org: number, login: string, role = "admin") =>
  act(orgsRoute, "/admin/orgs", cookie, { intent: "add-user", orgId: org, login, name: "受邀老师", phone: "", role });

const accountRow = (id: string) =>
  getDb().selectFrom("account").select(["role", "password_hash"]).where("id", "=", id).executeTakeFirstOrThrow();
const membershipOf = (id: string) =>
  getDb()
    .selectFrom("membership")
    .selectAll()
    .where("account_id", "=", id)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirst();
const myInvitations = async (cookie: string) =>
  (await load(invitationsRoute, "/invitations", cookie)).data.invitations as Array<{
    id: number;
    orgCode: string;
    role: string;
  }>;
const answer = (cookie: string, invitationId: number, intent: "accept" | "decline") =>
  act(invitationsRoute, "/invitations", cookie, { intent, invitationId });

describe("administrators cannot take over accounts (ORG-2, ORG-3)", () => {
  it("ORG-2/ORG-3: 'add user' with an existing candidate's e-mail (registered at another branch) does not bind it: the account stays a candidate, unbound", async () => {
    const c = await account({ registrationAt: site990201 });
    const r = await invite(cqAdmin, site500101, c.email);
    expect(r.data).toMatchObject({ ok: true, oneTimePassword: null });
    expect(await accountRow(c.id)).toMatchObject({ role: "candidate", password_hash: "x" });
    expect(await membershipOf(c.id)).toBeUndefined();
    const members = (await load(orgsRoute, `/admin/orgs?org=${site500101}`, cqAdmin)).data.members as Array<{
      login: string;
    }>;
    expect(members.map((m) => m.login)).not.toContain(c.email);
  });

  it("ORG-3: the inviter learns only 'invitation sent': the same answer for a free account, a registered candidate and a bound administrator, and no name", async () => {
    const free = await account();
    const registered = await account({ registrationAt: site990201 });
    const answers = [];
    for (const login of [free.email, registered.email, "site990201@example.com"]) {
      const r = await invite(cqAdmin, site500101, login);
      expect(r.status, login).toBe(200);
      answers.push({ ...r.data, login: undefined, params: undefined });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({ ok: true, message: "invite.sent" });
    // The organisation's page lists what the inviter typed, never the account's own name, role or registrations.
    const page = await load(orgsRoute, `/admin/orgs?org=${site500101}`, cqAdmin);
    const text = JSON.stringify(page.data);
    expect(text).not.toContain("真实姓名");
    expect(text).not.toContain("candidate");
    const listed = page.data.invitations as Array<{ login: string; name: string; state: string }>;
    for (const login of [free.email, registered.email, "site990201@example.com"]) {
      expect(listed.find((i) => i.login === login)).toMatchObject({ name: "受邀老师", state: "pending" });
    }
    // The audit entries name neither the invitee's login nor its name.
    const log = JSON.stringify((await load(auditRoute, "/admin/audit?action=user.invite", cqAdmin)).data.rows);
    expect(log).not.toContain(free.email);
    expect(log).not.toContain("真实姓名");
  });

  it("ORG-3: accepting binds the account to the inviting organisation as an administrator account, audited in that organisation's log", async () => {
    const c = await account();
    await invite(cqAdmin, site500101, c.email, "finance");
    const mine = await myInvitations(c.cookie);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ orgCode: "500101", role: "finance" });
    // The candidate area points to it.
    expect((await load(candidateLayout, "/candidate", c.cookie)).data.invitations).toBe(1);
    const r = await answer(c.cookie, mine[0].id, "accept");
    expect(r.status).toBe(302);
    expect(r.location).toBe("/admin");
    expect((await accountRow(c.id)).role).toBe("admin");
    expect(await membershipOf(c.id)).toMatchObject({ org_id: site500101, role: "finance", name: "受邀老师" });
    expect((await load(homeRoute, "/admin", c.cookie)).data.org.code).toBe("500101");
    const log = (await load(auditRoute, "/admin/audit?action=user.invite_accept", cqAdmin)).data.rows as Array<{
      org_code: string;
      actor_name: string;
    }>;
    expect(log.some((e) => e.org_code === "500101" && e.actor_name === "受邀老师")).toBe(true);
    // Answered: it can be neither accepted again nor withdrawn.
    expect((await answer(c.cookie, mine[0].id, "accept")).status).toBe(404);
  });

  it("ORG-3: declining binds nothing and is recorded for the inviter without the invitee's name or address", async () => {
    const c = await account();
    await invite(cqAdmin, site500101, c.email);
    const [inv] = await myInvitations(c.cookie);
    const r = await answer(c.cookie, inv.id, "decline");
    expect(r.data).toMatchObject({ ok: true, message: "invite.declined" });
    expect(await membershipOf(c.id)).toBeUndefined();
    expect((await accountRow(c.id)).role).toBe("candidate");
    expect(await myInvitations(c.cookie)).toEqual([]);
    expect((await answer(c.cookie, inv.id, "accept")).status).toBe(404);
    const listed = (await load(orgsRoute, `/admin/orgs?org=${site500101}`, cqAdmin)).data.invitations as Array<{
      id: number;
      state: string;
    }>;
    expect(listed.find((i) => i.id === inv.id)!.state).toBe("declined");
    const log = (await load(auditRoute, "/admin/audit?action=user.invite_decline", cqAdmin)).data.rows as Array<{
      ip: string | null;
      actor_name: string;
    }>;
    expect(log.length).toBeGreaterThan(0);
    expect(JSON.stringify(log)).not.toContain("真实姓名");
  });

  it("ORG-3: a candidate with a registration (in any sitting) is refused on acceptance and stays a candidate", async () => {
    for (const sitting of [sittingId, pastSittingId]) {
      const c = await account({ registrationAt: site990201, sitting });
      await invite(cqAdmin, site500101, c.email);
      const page = await load(invitationsRoute, "/invitations", c.cookie);
      expect(page.data.refusal).toBe("invite.has_registration");
      const r = await answer(c.cookie, page.data.invitations[0].id, "accept");
      expect(r.status).toBe(409);
      expect(r.data.error).toContain("报名记录");
      expect(await membershipOf(c.id)).toBeUndefined();
      expect((await accountRow(c.id)).role).toBe("candidate");
    }
  });

  it("ORG-3: an account already bound to an organisation in the current sitting cannot accept a second one", async () => {
    const bound = await sessionCookie("site990201@example.com");
    await invite(cqAdmin, site500101, "site990201@example.com");
    const page = await load(invitationsRoute, "/invitations", bound);
    expect(page.data.refusal).toBe("invite.already_bound");
    // The admin area links to it.
    expect((await load(adminLayout, "/admin", bound)).data.invitations).toBeGreaterThan(0);
    const r = await answer(bound, page.data.invitations[0].id, "accept");
    expect(r.status).toBe(409);
    const m = await getDb()
      .selectFrom("membership")
      .select("org_id")
      .innerJoin("account", "account.id", "membership.account_id")
      .where("account.email", "=", "site990201@example.com")
      .where("membership.sitting_id", "=", sittingId)
      .execute();
    expect(m.map((x) => x.org_id)).toEqual([site990201]);
  });

  it("ORG-3: an expired invitation is refused", async () => {
    const c = await account();
    await invite(cqAdmin, site500101, c.email);
    const [inv] = await myInvitations(c.cookie);
    await getDb()
      .updateTable("invitation")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", inv.id)
      .execute();
    expect(await myInvitations(c.cookie)).toEqual([]);
    const r = await answer(c.cookie, inv.id, "accept");
    expect(r.status).toBe(404);
    expect(await membershipOf(c.id)).toBeUndefined();
    const listed = (await load(orgsRoute, `/admin/orgs?org=${site500101}`, cqAdmin)).data.invitations as Array<{
      id: number;
      state: string;
    }>;
    expect(listed.find((i) => i.id === inv.id)!.state).toBe("expired");
  });

  it("ORG-3: a withdrawn invitation is refused; only the inviting organisation (or its superiors) withdraws it", async () => {
    const c = await account();
    await invite(cqAdmin, site500101, c.email);
    const [inv] = await myInvitations(c.cookie);
    // ORG-2: another branch cannot withdraw (or even see) it.
    const foreign = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "withdraw-invite",
      orgId: site500101,
      invitationId: inv.id,
    });
    expect(foreign.status).toBe(403);
    const wrongOrg = await act(orgsRoute, "/admin/orgs", site1, {
      intent: "withdraw-invite",
      orgId: site990101,
      invitationId: inv.id,
    });
    expect(wrongOrg.status).toBe(404);
    const w = await act(orgsRoute, "/admin/orgs", cqAdmin, {
      intent: "withdraw-invite",
      orgId: site500101,
      invitationId: inv.id,
    });
    expect(w.data).toMatchObject({ ok: true, message: "invite.withdrawn" });
    expect(await myInvitations(c.cookie)).toEqual([]);
    expect((await answer(c.cookie, inv.id, "accept")).status).toBe(404);
    expect(await membershipOf(c.id)).toBeUndefined();
  });

  it("ORG-3: nobody answers someone else's invitation", async () => {
    const owner = await account();
    const other = await account();
    await invite(cqAdmin, site500101, owner.email);
    const [inv] = await myInvitations(owner.cookie);
    expect((await answer(other.cookie, inv.id, "accept")).status).toBe(404);
    expect(await membershipOf(other.id)).toBeUndefined();
    expect(await myInvitations(owner.cookie)).toHaveLength(1);
  });

  it("ORG-3: inviting again renews the open invitation instead of adding a second one", async () => {
    const c = await account();
    await invite(cqAdmin, site500101, c.email);
    await invite(cqAdmin, site500101, c.email, "finance");
    const mine = await myInvitations(c.cookie);
    expect(mine).toHaveLength(1);
    expect(mine[0].role).toBe("finance");
  });

  it("ORG-9: a new address still creates an administrator account with a one-time password at once", async () => {
    const r = await invite(cqAdmin, site500101, "brand.new.teacher@example.com");
    expect(r.data).toMatchObject({ ok: true, message: "user.added" });
    expect(r.data.oneTimePassword).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const members = (await load(orgsRoute, `/admin/orgs?org=${site500101}`, cqAdmin)).data.members as Array<{
      login: string;
    }>;
    expect(members.map((m) => m.login)).toContain("brand.new.teacher@example.com");
  });

  it("ORG-3: an administrator account bound nowhere is sent to its invitations instead of an error", async () => {
    const c = await account();
    await getDb().updateTable("account").set({ role: "admin" }).where("id", "=", c.id).execute();
    await invite(cqAdmin, site500101, c.email);
    const r = await load(homeRoute, "/admin", c.cookie);
    expect(r.status).toBe(302);
    expect(r.location).toBe("/invitations");
  });

  it("ORG-3: a forged invitation id or answer is a bad form (400), never a lookup", async () => {
    const c = await account();
    for (const form of [
      { intent: "accept", invitationId: "abc" },
      { intent: "accept", invitationId: -3 },
      { intent: "approve-all", invitationId: 1 },
    ]) {
      const r = await act(invitationsRoute, "/invitations", c.cookie, form);
      expect(r.status, JSON.stringify(form)).toBe(400);
      expect(r.data.error).toBe("提交的内容不完整或格式不正确。");
    }
    expect(await membershipOf(c.id)).toBeUndefined();
  });
});
