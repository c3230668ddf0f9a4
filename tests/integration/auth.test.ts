import { describe, expect, it } from "vitest";
import * as loginRoute from "../../app/routes/login";
import * as changePasswordRoute from "../../app/routes/change-password";
import * as adminRoute from "../../app/routes/admin._index";
import * as orgsRoute from "../../app/routes/admin.orgs";
import * as logoutRoute from "../../app/routes/logout";
import { getDb } from "../../db/client";
import { readSession } from "../../app/utils/session.server";
import { act, DEMO_PASSWORD, load, makeRequest, orgId, run, sessionCookie } from "../factories";

const cookieOf = (headers?: Headers) => headers?.get("Set-Cookie")?.split(";")[0] ?? "";

describe("accounts and sessions", () => {
  it("log in with e-mail (any case) or mobile number", async () => {
    const byEmail = await act(loginRoute, "/login", undefined, {
      login: " Site990101@Example.com ",
      password: DEMO_PASSWORD,
    });
    expect(byEmail.status).toBe(302);
    expect(byEmail.location).toBe("/admin");
    const byMobile = await act(loginRoute, "/login", undefined, { login: "138 0000 0000", password: DEMO_PASSWORD });
    expect(byMobile.location).toBe("/candidate");
  });

  it("a wrong password is refused with one message that does not say which part was wrong", async () => {
    const wrong = await act(loginRoute, "/login", undefined, { login: "city9902@example.com", password: "nope-1234" });
    const nobody = await act(loginRoute, "/login", undefined, { login: "nobody@example.com", password: "nope-1234" });
    expect(wrong.status).toBe(401);
    expect(wrong.data.error).toBe("账号或密码错误。");
    expect(nobody.data.error).toBe(wrong.data.error);
  });

  it("failed logins are slowed down per account and address (decision 0021: seconds, not a 15-minute lock)", async () => {
    for (let i = 0; i < 5; i++)
      await act(loginRoute, "/login", undefined, { login: "province50@example.com", password: "wrong-123" });
    const locked = await act(loginRoute, "/login", undefined, {
      login: "province50@example.com",
      password: DEMO_PASSWORD,
    });
    expect(locked.status).toBe(429);
    expect(locked.data.error).toMatch(/请 \d+ 秒后再试/);
  });

  it("failed logins are slowed down per IP across accounts (password spraying), by seconds", async () => {
    const ip = "10.9.9.9";
    for (let i = 0; i < 60; i++) {
      await run(() =>
        loginRoute.action({
          request: makeRequest("/login", { form: { login: `x${i}@example.com`, password: "bad-1234" }, ip }),
          params: {},
          context: {},
        }),
      );
    }
    const r = await run<{ error: string }>(() =>
      loginRoute.action({
        request: makeRequest("/login", { form: { login: "site990201@example.com", password: DEMO_PASSWORD }, ip }),
        params: {},
        context: {},
      }),
    );
    expect(r.status).toBe(429);
  });

  it("the session id is rotated at login and the old one stops working", async () => {
    const old = await sessionCookie("site990101@example.com");
    const r = await run(() =>
      loginRoute.action({
        request: makeRequest("/login", {
          cookie: old,
          form: { login: "site990101@example.com", password: DEMO_PASSWORD },
        }),
        params: {},
        context: {},
      }),
    );
    const fresh = cookieOf(r.headers);
    expect(fresh).toMatch(/^kaowu_session=/);
    expect(fresh).not.toBe(old);
    expect(await readSession(makeRequest("/admin", { cookie: old }))).toBeNull();
    expect(await readSession(makeRequest("/admin", { cookie: fresh }))).not.toBeNull();
  });

  it("session cookies are httpOnly and sameSite=lax", async () => {
    const r = await act(loginRoute, "/login", undefined, { login: "city9901@example.com", password: DEMO_PASSWORD });
    const set = r.headers?.get("Set-Cookie") ?? "";
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
  });

  it("log out ends the session", async () => {
    const c = await sessionCookie("city9901@example.com");
    await run(() =>
      logoutRoute.action({ request: makeRequest("/logout", { cookie: c, form: {} }), params: {}, context: {} }),
    );
    expect((await load(adminRoute, "/admin", c)).location).toMatch(/^\/login/);
  });

  it("an admin page without a session redirects to the login page and back", async () => {
    const r = await load(adminRoute, "/admin");
    expect(r.status).toBe(302);
    expect(r.location).toBe("/login?redirectTo=%2Fadmin");
  });

  it("ORG-9: a user added by an admin gets a one-time password that must be changed at first login", async () => {
    const site = await sessionCookie("site990101@example.com");
    const added = await act(orgsRoute, "/admin/orgs", site, {
      intent: "add-user",
      orgId: await orgId("990101"),
      login: "new.teacher@example.com",
      name: "新老师",
      role: "admin",
      phone: "",
    });
    expect(added.data.ok).toBe(true);
    const otp = added.data.oneTimePassword as string;
    expect(otp).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const stored = await getDb()
      .selectFrom("account")
      .selectAll()
      .where("email", "=", "new.teacher@example.com")
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).not.toContain(otp);
    expect(stored.must_change_password).toBe(true);

    const login = await act(loginRoute, "/login", undefined, { login: "new.teacher@example.com", password: otp });
    expect(login.location).toBe("/change-password");
    const c = cookieOf(login.headers);
    expect((await load(adminRoute, "/admin", c)).location).toBe("/change-password");

    const weak = await act(changePasswordRoute, "/change-password", c, {
      current: otp,
      next: "abcdefgh",
      confirm: "abcdefgh",
    });
    expect(weak.data.error).toContain("容易被猜到");
    const same = await act(changePasswordRoute, "/change-password", c, { current: otp, next: otp, confirm: otp });
    expect(same.status).toBe(400);
    const ok = await act(changePasswordRoute, "/change-password", c, {
      current: otp,
      next: "NewPass-2026",
      confirm: "NewPass-2026",
    });
    expect(ok.location).toBe("/admin?changed=1");
    expect((await load(adminRoute, "/admin", c)).status).toBe(200);
  });
});
