import ExcelJS from "exceljs";
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as signupRoute from "../../app/routes/signup";
import * as forgotRoute from "../../app/routes/forgot-password";
import * as outboxRoute from "../../app/routes/dev.outbox";
import * as loginRoute from "../../app/routes/login";
import * as changePasswordRoute from "../../app/routes/change-password";
import * as candidatePageRoute from "../../app/routes/admin.candidates.$id._index";
import * as importRoute from "../../app/routes/admin.group.import";
import * as credentialsRoute from "../../app/routes/admin.group.credentials.$id";
import { makeOneTimePassword } from "../../app/domain/password";
import { CODE_SENDS_PER_IP_PER_HOUR, CODE_SENDS_PER_TARGET_PER_HOUR, CODE_TTL_MS } from "../../app/domain/verification";
import { setMessageProvider } from "../../app/messages/index.server";
import { messageProvider } from "../../app/utils/env.server";
import { readSession } from "../../app/utils/session.server";
import { hashOneTimePassword, hashPassword, hashVerificationCode } from "../../app/utils/password.server";
import { finishSignUp, startSignUp } from "../../app/services/sign-up.server";
import { getDb } from "../../db/client";
import { waitForInlineIdle } from "../../jobs/runner";
import {
  act,
  auditCount,
  DEMO_PASSWORD,
  load,
  makeRequest,
  newCandidate,
  orgId,
  run,
  sessionCookie,
} from "../factories";
import { makeRegistration } from "../factories/registrations";
import { emailOf, groupRow, groupZip, withEmail } from "../fixtures/group-registrations";

// Issue 12 items 1, 2, 10 (CAN-1, GRP-4, ORG-9): accounts belong to whoever proved them.

const cookieOf = (headers?: Headers) => headers?.get("Set-Cookie")?.split(";")[0] ?? "";
let ipSeq = 0;
/** Each test its own client address, so the per-IP limit of one test does not reach another. */
const nextIp = () => `10.77.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

function post(
  mod: { action?: (a: any) => Promise<unknown> },
  path: string,
  form: Record<string, string>,
  opts: { ip?: string; cookie?: string } = {},
) {
  return run<any>(() =>
    mod.action!({
      request: makeRequest(path, { form, ip: opts.ip ?? nextIp(), cookie: opts.cookie }),
      params: {},
      context: {},
    }),
  );
}

/** What the demo outbox holds for an address, newest first (through its page, as a demo user would read it). */
async function outbox(to: string) {
  const r = await run<{ messages: Array<{ subject: string; body: string; recipient: string }> }>(() =>
    outboxRoute.loader({ request: makeRequest(`/dev/outbox?to=${encodeURIComponent(to)}`), params: {}, context: {} }),
  );
  expect(r.status).toBe(200);
  return r.data!.messages;
}

async function codeFor(to: string) {
  const m = (await outbox(to))[0];
  const code = /\b(\d{6})\b/.exec(m?.body ?? "")?.[1];
  expect(code, `a code in the outbox for ${to}`).toBeDefined();
  return code!;
}

const accountOf = (login: string) =>
  getDb()
    .selectFrom("account")
    .selectAll()
    .where((eb) => eb.or([eb("email", "=", login), eb("mobile", "=", login)]))
    .executeTakeFirst();
const details = (login: string, password = "Tr4ck-Jade-91") => ({
  intent: "start",
  login,
  name: "新考生",
  password,
  confirm: password,
});

describe("CAN-1: sign-up proves the address with a code", () => {
  it("CAN-1: sign-up creates no account until the code from the outbox is entered; then the account is proven and signed in", async () => {
    const login = "new.student@example.com";
    const ip = nextIp();
    const started = await post(signupRoute, "/signup", details(login), { ip });
    expect(started.status).toBe(200);
    expect(started.data).toMatchObject({ step: "code", sentTo: "ne***@example.com" });
    expect(await accountOf(login)).toBeUndefined();
    const code = await codeFor(login);
    // Hashed at rest.
    const stored = await getDb()
      .selectFrom("verification_code")
      .selectAll()
      .where("id", "=", started.data.ticket)
      .executeTakeFirstOrThrow();
    expect(stored.code_hash).toMatch(/^\$argon2id\$/);
    expect(stored.code_hash).not.toContain(code);
    expect(stored.expires_at.getTime() - stored.created_at.getTime()).toBeLessThanOrEqual(CODE_TTL_MS + 1000);

    const wrong = await post(
      signupRoute,
      "/signup",
      {
        intent: "verify",
        ticket: started.data.ticket,
        sentTo: started.data.sentTo,
        code: code === "000000" ? "111111" : "000000",
      },
      { ip },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.data).toMatchObject({ step: "code", error: "验证码不正确或已失效。" });
    expect(await accountOf(login)).toBeUndefined();

    const ok = await post(
      signupRoute,
      "/signup",
      { intent: "verify", ticket: started.data.ticket, sentTo: started.data.sentTo, code },
      { ip },
    );
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/candidate?welcome=1");
    const made = (await accountOf(login))!;
    expect(made).toMatchObject({ role: "candidate", name: "新考生", must_change_password: false });
    expect(made.email_verified_at).not.toBeNull();
    expect((await readSession(makeRequest("/candidate", { cookie: cookieOf(ok.headers) })))?.user.id).toBe(made.id);
    // A code is used once.
    const again = await post(
      signupRoute,
      "/signup",
      { intent: "verify", ticket: started.data.ticket, sentTo: "", code },
      { ip },
    );
    expect(again.status).toBe(400);
  });

  it("CAN-1: a mobile sign-up proves the mobile the same way", async () => {
    const started = await post(signupRoute, "/signup", details("139 1234 0001"));
    expect(started.data).toMatchObject({ step: "code", sentTo: "139****0001" });
    const ok = await post(signupRoute, "/signup", {
      intent: "verify",
      ticket: started.data.ticket,
      sentTo: "",
      code: await codeFor("13912340001"),
    });
    expect(ok.location).toBe("/candidate?welcome=1");
    expect((await accountOf("13912340001"))!.mobile_verified_at).not.toBeNull();
  });

  it("CAN-1: sign-up answers the same for an address that already has an account, and its owner is told instead", async () => {
    const taken = await post(signupRoute, "/signup", details("candidate@example.com"));
    const free = await post(signupRoute, "/signup", details("nobody.yet@example.com"));
    expect(taken.status).toBe(free.status);
    expect(Object.keys(taken.data).sort()).toEqual(Object.keys(free.data).sort());
    expect(taken.data).toMatchObject({ step: "code", sentTo: "ca***@example.com" });
    // The owner gets a notice, never a code; the would-be squatter has nothing to type.
    const [notice] = await outbox("candidate@example.com");
    expect(notice.subject).toContain("有人尝试");
    expect(notice.body).not.toMatch(/\b\d{6}\b/);
    for (const code of ["000000", "123456"]) {
      const r = await post(signupRoute, "/signup", { intent: "verify", ticket: taken.data.ticket, sentTo: "", code });
      expect(r.data.error).toBe("验证码不正确或已失效。");
    }
    // The account is untouched: the demo password still works.
    expect(
      (await act(loginRoute, "/login", undefined, { login: "candidate@example.com", password: DEMO_PASSWORD }))
        .location,
    ).toBe("/candidate");
  });

  it("CAN-1: an administrator's address is never claimed by a sign-up, even an unproven one", async () => {
    await getDb()
      .updateTable("account")
      .set({ email_verified_at: null, site_vouched_at: null })
      .where("email", "=", "site990201@example.com")
      .execute();
    const r = await post(signupRoute, "/signup", details("site990201@example.com"));
    expect(r.data).toMatchObject({ step: "code" });
    const [notice] = await outbox("site990201@example.com");
    expect(notice.body).not.toMatch(/\b\d{6}\b/);
    expect((await accountOf("site990201@example.com"))!.role).toBe("admin");
  });

  it("CAN-1: an address held by an unproven account (a sign-up from before codes) goes to whoever proves it: password replaced, sessions ended", async () => {
    const squatter = await newCandidate("占位者", { proven: false });
    const ip = nextIp();
    const started = await post(signupRoute, "/signup", details(squatter.email, "Owner-of-mail-77"), { ip });
    const ok = await post(
      signupRoute,
      "/signup",
      { intent: "verify", ticket: started.data.ticket, sentTo: "", code: await codeFor(squatter.email) },
      { ip },
    );
    expect(ok.location).toBe("/candidate?welcome=1");
    const a = (await accountOf(squatter.email))!;
    expect(a).toMatchObject({ id: squatter.id, name: "新考生" });
    expect(a.email_verified_at).not.toBeNull();
    expect(await readSession(makeRequest("/candidate", { cookie: squatter.cookie }))).toBeNull();
    expect(await auditCount("account.claimed")).toBeGreaterThanOrEqual(1);
  });

  it("CAN-1: codes to one address are limited per hour, whether it has an account or not", async () => {
    for (const login of ["limit.me@example.com", "site990102@example.com"]) {
      for (let i = 0; i < CODE_SENDS_PER_TARGET_PER_HOUR; i++) {
        expect((await post(forgotRoute, "/forgot-password", { intent: "send", login })).status).toBe(200);
      }
      const refused = await post(signupRoute, "/signup", details(login));
      expect(refused.status).toBe(429);
      expect(refused.data.error).toContain("1 小时后再试");
    }
  });

  it("CAN-1: sign-ups from one client address are limited per hour", async () => {
    const ip = nextIp();
    for (let i = 0; i < CODE_SENDS_PER_IP_PER_HOUR; i++) {
      expect((await post(signupRoute, "/signup", details(`bulk${i}@example.com`), { ip })).status).toBe(200);
    }
    const refused = await post(signupRoute, "/signup", details("bulk-last@example.com"), { ip });
    expect(refused.status).toBe(429);
    expect(refused.data.error).toContain("请求验证码过于频繁");
  });

  it("CAN-1: a code expires after 10 minutes and takes at most 5 wrong entries", async () => {
    const now = new Date();
    const a = await startSignUp({
      login: "slow@example.com",
      name: "慢",
      password: "Tr4ck-Jade-91",
      confirm: "Tr4ck-Jade-91",
      ip: nextIp(),
      now,
    });
    const code = await codeFor("slow@example.com");
    await expect(
      finishSignUp({ ticket: a.ticket, code, ip: null, now: new Date(now.getTime() + CODE_TTL_MS + 1) }),
    ).rejects.toMatchObject({ key: "verify.code_expired" });

    const b = await startSignUp({
      login: "guess@example.com",
      name: "猜",
      password: "Tr4ck-Jade-91",
      confirm: "Tr4ck-Jade-91",
      ip: nextIp(),
      now,
    });
    const right = await codeFor("guess@example.com");
    const wrongCode = right === "999999" ? "999998" : "999999";
    for (let i = 0; i < 5; i++)
      await expect(finishSignUp({ ticket: b.ticket, code: wrongCode, ip: null })).rejects.toMatchObject({
        key: "verify.code_wrong",
      });
    await expect(finishSignUp({ ticket: b.ticket, code: right, ip: null })).rejects.toMatchObject({
      key: "verify.too_many_attempts",
    });
    expect(await accountOf("guess@example.com")).toBeUndefined();
  });

  it("CAN-1: password1 is refused at sign-up, and a password holding the login or the name too", async () => {
    const common = await post(signupRoute, "/signup", details("pw1@example.com", "password1"));
    expect(common.status).toBe(400);
    expect(common.data.error).toContain("常见密码");
    const login = await post(signupRoute, "/signup", details("zhangsan.li@example.com", "Zhangsan.li-2026"));
    expect(login.data.error).toContain("登录账号");
    const name = await post(signupRoute, "/signup", {
      ...details("wang@example.com", "Xinkaosheng-7Q!"),
      name: "Xin Kaosheng",
    });
    expect(name.data.error).toContain("姓名");
    expect(await outbox("pw1@example.com")).toEqual([]);
  });
});

describe("Password recovery (issue 12 item 2)", () => {
  it("CAN-1/ORG-9: a code through the proven address, a new password meeting the policy, every session ended, audited", async () => {
    const login = "city9902@example.com";
    const sessions = [await sessionCookie(login), await sessionCookie(login)];
    const ip = nextIp();
    const started = await post(
      forgotRoute,
      "/forgot-password",
      { intent: "send", login: "City9902@Example.com" },
      { ip },
    );
    expect(started.data).toMatchObject({ step: "code", sentTo: "ci***@example.com" });
    const code = await codeFor(login);
    const weak = await post(
      forgotRoute,
      "/forgot-password",
      { intent: "reset", ticket: started.data.ticket, sentTo: "", code, password: "password1", confirm: "password1" },
      { ip },
    );
    expect(weak.data).toMatchObject({ step: "code" });
    expect(weak.data.error).toContain("常见密码");
    const before = await auditCount("account.password_recovered");
    const ok = await post(
      forgotRoute,
      "/forgot-password",
      {
        intent: "reset",
        ticket: started.data.ticket,
        sentTo: "",
        code,
        password: "Recovered-2026-x",
        confirm: "Recovered-2026-x",
      },
      { ip },
    );
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/login?reset=1");
    for (const c of sessions) expect(await readSession(makeRequest("/admin", { cookie: c }))).toBeNull();
    expect(await auditCount("account.password_recovered")).toBe(before + 1);
    const entry = await getDb()
      .selectFrom("audit_log")
      .select("changes")
      .where("action", "=", "account.password_recovered")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(entry.changes)).not.toContain("Recovered-2026-x");
    expect((await act(loginRoute, "/login", undefined, { login, password: DEMO_PASSWORD })).status).toBe(401);
    expect((await act(loginRoute, "/login", undefined, { login, password: "Recovered-2026-x" })).location).toBe(
      "/admin",
    );
    expect((await outbox(login))[0].subject).toContain("已重设");
  });

  it("CAN-1: recovery answers the same whether the account exists or not, and sends nothing to an unknown address", async () => {
    const known = await post(forgotRoute, "/forgot-password", { intent: "send", login: "province99@example.com" });
    const unknown = await post(forgotRoute, "/forgot-password", { intent: "send", login: "ghost@example.com" });
    expect(unknown.status).toBe(known.status);
    expect(Object.keys(unknown.data).sort()).toEqual(Object.keys(known.data).sort());
    expect(await outbox("ghost@example.com")).toEqual([]);
    const r = await post(forgotRoute, "/forgot-password", {
      intent: "reset",
      ticket: unknown.data.ticket,
      sentTo: "",
      code: "123456",
      password: "Recovered-2026-x",
      confirm: "Recovered-2026-x",
    });
    expect(r.data.error).toBe("验证码不正确或已失效。");
  });

  it("the login page links to password recovery", async () => {
    const src = (await import("node:fs")).readFileSync("app/routes/login.tsx", "utf8");
    expect(src).toContain('href="/forgot-password"');
  });
});

describe("ORG-9: one-time passwords expire and the site reissues them", () => {
  let sittingId: number;
  let id990101: number;
  beforeAll(async () => {
    sittingId = (
      await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
    ).id;
    id990101 = await orgId("990101");
  });

  async function otpAccount(expiresAt: Date) {
    const c = await newCandidate("集体考生");
    const password = makeOneTimePassword((n) => randomBytes(n));
    await getDb()
      .updateTable("account")
      .set({
        password_hash: await hashOneTimePassword(password),
        must_change_password: true,
        otp_expires_at: expiresAt,
        site_vouched_at: new Date(),
      })
      .where("id", "=", c.id)
      .execute();
    return { ...c, password };
  }

  it("ORG-9: login with an expired one-time password is refused with a message to ask the site", async () => {
    const fresh = await otpAccount(new Date(Date.now() + 86_400_000));
    expect(
      (await act(loginRoute, "/login", undefined, { login: fresh.email, password: fresh.password })).location,
    ).toBe("/change-password");
    const old = await otpAccount(new Date(Date.now() - 1000));
    const r = await act(loginRoute, "/login", undefined, { login: old.email, password: old.password });
    expect(r.status).toBe(401);
    expect(r.data.error).toContain("已过期");
    expect(r.data.error).toContain("考点");
    expect(r.headers?.get("Set-Cookie") ?? "").not.toMatch(/kaowu_session=[^;]/);
  });

  it("GRP-2/ORG-9: one-time passwords are HMACs under the kept key; an Argon2 one from before still logs in; the first login still sets a new password", async () => {
    // New: HMAC-SHA-256 under the deployment's key, kept in app_secret (no ONE_TIME_PASSWORD_SECRET in tests).
    const fresh = await otpAccount(new Date(Date.now() + 86_400_000));
    const stored = (await accountOf(fresh.email))!.password_hash;
    expect(stored).toMatch(/^\$otp-hmac-sha256\$/);
    const key = await getDb()
      .selectFrom("app_secret")
      .select("value")
      .where("name", "=", "one_time_password")
      .executeTakeFirstOrThrow();
    expect(key.value.length).toBeGreaterThanOrEqual(43);
    expect(stored).not.toContain(key.value);
    // A wrong symbol fails; typed from the sheet in lower case and without hyphens it is the same password.
    const wrong = fresh.password.replace(/^./, (c) => (c === "A" ? "B" : "A"));
    expect((await act(loginRoute, "/login", undefined, { login: fresh.email, password: wrong })).status).toBe(401);
    const typed = fresh.password.toLowerCase().replace(/-/g, " ");
    const login = await act(loginRoute, "/login", undefined, { login: fresh.email, password: typed });
    expect(login.location).toBe("/change-password");
    // Unchanged after it: the new password is the candidate's own, on Argon2id, and the one-time one is gone.
    const changed = await act(changePasswordRoute, "/change-password", cookieOf(login.headers), {
      current: typed,
      next: "Yellow-Kite-Harbor-58",
      confirm: "Yellow-Kite-Harbor-58",
    });
    expect(changed.location, JSON.stringify(changed.data)).toBe("/candidate?changed=1");
    const after = (await accountOf(fresh.email))!;
    expect(after).toMatchObject({ must_change_password: false });
    expect(after.password_hash).toMatch(/^\$argon2id\$/);
    expect((await act(loginRoute, "/login", undefined, { login: fresh.email, password: fresh.password })).status).toBe(
      401,
    );

    // Existing data: a one-time password of the old format, hashed with Argon2id before decision 0046.
    const old = await newCandidate("旧一次性密码");
    await getDb()
      .updateTable("account")
      .set({
        password_hash: await hashVerificationCode("Hk7mPq2xRt9w"),
        must_change_password: true,
        otp_expires_at: new Date(Date.now() + 86_400_000),
      })
      .where("id", "=", old.id)
      .execute();
    expect((await act(loginRoute, "/login", undefined, { login: old.email, password: "Hk7mPq2xRt9W" })).status).toBe(
      401,
    );
    expect((await act(loginRoute, "/login", undefined, { login: old.email, password: "Hk7mPq2xRt9w" })).location).toBe(
      "/change-password",
    );
  });

  it("ORG-9: a site administrator reissues a one-time password for a candidate of the site: shown once, sessions ended, audited without it", async () => {
    const cand = await newCandidate("忘了密码");
    const { reg } = await makeRegistration({ siteId: id990101, sittingId, accountId: cand.id });
    const admin = await sessionCookie("site990101@example.com");
    const before = await auditCount("account.password_reissued");
    const r = await act(
      candidatePageRoute,
      `/admin/candidates/${reg.id}`,
      admin,
      { intent: "reissue_password" },
      { id: String(reg.id) },
    );
    expect(r.status, JSON.stringify(r.data)).toBe(200);
    const otp = r.data.oneTimePassword as string;
    expect(otp).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(r.data.login).toBe(cand.email);
    expect(await readSession(makeRequest("/candidate", { cookie: cand.cookie }))).toBeNull();
    const a = (await accountOf(cand.email))!;
    expect(a.must_change_password).toBe(true);
    expect(a.otp_expires_at!.getTime()).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    expect(await auditCount("account.password_reissued")).toBe(before + 1);
    const entry = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "account.password_reissued")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(entry)).not.toContain(otp);
    expect(entry.org_id).toBe(id990101);
    // The page shows the form to the site, and the candidate logs in with the new one-time password.
    expect(
      (await load(candidatePageRoute, `/admin/candidates/${reg.id}`, admin, { id: String(reg.id) })).data.canReissue,
    ).toBe(true);
    expect((await act(loginRoute, "/login", undefined, { login: cand.email, password: otp })).location).toBe(
      "/change-password",
    );
  });

  it("ORG-2/ORG-9: another site's administrator, a superior and finance staff cannot reissue (403), and nothing changes", async () => {
    const cand = await newCandidate("别家考生");
    const { reg } = await makeRegistration({ siteId: id990101, sittingId, accountId: cand.id });
    const before = (await accountOf(cand.email))!.password_hash;
    for (const who of ["site990201", "city9901", "finance990101"]) {
      const r = await act(
        candidatePageRoute,
        `/admin/candidates/${reg.id}`,
        await sessionCookie(`${who}@example.com`),
        { intent: "reissue_password" },
        { id: String(reg.id) },
      );
      expect(r.status, who).toBe(403);
    }
    expect((await accountOf(cand.email))!.password_hash).toBe(before);
    expect(await readSession(makeRequest("/candidate", { cookie: cand.cookie }))).not.toBeNull();
  });

  it("ORG-9: password1 is refused when changing a password too", async () => {
    const c = await newCandidate("改密码");
    await getDb()
      .updateTable("account")
      .set({ password_hash: await hashPassword(DEMO_PASSWORD) })
      .where("id", "=", c.id)
      .execute();
    const r = await act(changePasswordRoute, "/change-password", c.cookie, {
      current: DEMO_PASSWORD,
      next: "password1",
      confirm: "password1",
    });
    expect(r.status).toBe(400);
    expect(r.data.error).toContain("常见密码");
  });
});

describe("GRP-4: the group import never binds a site's registration to an unproven account", () => {
  let site1: string;
  beforeAll(async () => {
    site1 = await sessionCookie("site990101@example.com");
    const sittingId = (
      await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
    ).id;
    await getDb()
      .updateTable("site_setting")
      .set({ group_registration: true })
      .where("org_id", "=", await orgId("990101"))
      .where("sitting_id", "=", sittingId)
      .execute();
  });

  async function importRows(rows: Array<Record<string, unknown>>) {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await groupZip(rows))]), "集体报名.zip");
    const request = new Request("http://localhost:3000/admin/group/import", {
      method: "POST",
      body: form,
      headers: { Cookie: site1, "x-kaowu-client-ip": "127.0.0.1" },
    });
    const up = await run(() => importRoute.action({ request, params: {}, context: {} }));
    expect(up.data, JSON.stringify(up.data)).toMatchObject({ ok: true });
    await waitForInlineIdle();
    return (await load(importRoute, "/admin/group/import", site1)).data;
  }

  async function sheetRows(sheetId: number) {
    const res = (await credentialsRoute.loader({
      request: makeRequest(`/admin/group/credentials/${sheetId}`, { cookie: site1 }),
      params: { id: String(sheetId) },
      context: {},
    })) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const out: Array<{ email: string; password: string }> = [];
    wb.worksheets[0].eachRow((r, n) => {
      if (n > 1) out.push({ email: String((r.values as unknown[])[3]), password: String((r.values as unknown[])[5]) });
    });
    return out;
  }

  it("GRP-4: an e-mail held by an unproven account is taken over for the site (password replaced, sessions ended, squatter's registration detached) and the report says so by row", async () => {
    const squatter = await newCandidate("抢注者", { proven: false });
    const sittingId = (
      await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
    ).id;
    const { reg: squat } = await makeRegistration({ siteId: await orgId("990201"), sittingId, accountId: squatter.id });
    const proven = await newCandidate("真考生");
    const rowSquatted = withEmail(groupRow(1, {}, "own"), squatter.email);
    const rowProven = withEmail(groupRow(2, {}, "own"), proven.email);
    const rowNew = groupRow(3, {}, "own");
    const page = await importRows([rowSquatted, rowProven, rowNew]);
    const result = page.last.result;
    expect(result, JSON.stringify(page.last)).toBeTruthy();
    expect(result).toMatchObject({ ok: true, created: 3, accountsCreated: 1, accountsBound: 1, accountsTakenOver: 1 });
    expect(result.takenOver).toEqual([{ row: 2, email: squatter.email }]);

    const taken = (await accountOf(squatter.email))!;
    expect(taken).toMatchObject({ id: squatter.id, must_change_password: true, name: "集体2" });
    expect(taken.password_hash).not.toBe("x");
    expect(taken.site_vouched_at).not.toBeNull();
    expect(await readSession(makeRequest("/candidate", { cookie: squatter.cookie }))).toBeNull();
    expect(
      (
        await getDb()
          .selectFrom("registration")
          .select("account_id")
          .where("id", "=", squat.id)
          .executeTakeFirstOrThrow()
      ).account_id,
    ).toBeNull();
    const bound = await getDb()
      .selectFrom("registration")
      .select("account_id")
      .where("id_number", "=", String((rowSquatted as Record<string, unknown>)["证件号码*"]))
      .where("sitting_id", "=", sittingId)
      .executeTakeFirstOrThrow();
    expect(bound.account_id).toBe(squatter.id);
    expect(await auditCount("account.taken_over_by_site")).toBeGreaterThanOrEqual(1);

    // A proven account keeps its own password and is bound.
    expect((await accountOf(proven.email))!).toMatchObject({ password_hash: "x", must_change_password: false });

    // The credentials sheet: the taken-over account's one-time password (and why), "own password" for the proven one.
    const rows = await sheetRows(page.credentials.id);
    const byEmail = new Map(rows.map((r) => [r.email, r.password]));
    expect(byEmail.get(squatter.email)).toMatch(
      /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3} （原未验证账号已收归考点）$/,
    );
    expect(byEmail.get(proven.email)).toBe("已有账号，使用考生自己的密码");
    expect(byEmail.get(emailOf(rowNew))).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const otp = byEmail.get(squatter.email)!.split(" ")[0];
    expect((await act(loginRoute, "/login", undefined, { login: squatter.email, password: otp })).location).toBe(
      "/change-password",
    );
  });
});

describe("The message provider (decision 0019)", () => {
  it("CAN-1: a production server with no MESSAGE_PROVIDER refuses to start, naming the setting; smtp needs its server", () => {
    expect(() => messageProvider({ NODE_ENV: "production" })).toThrow(/MESSAGE_PROVIDER/);
    expect(messageProvider({ NODE_ENV: "production", MESSAGE_PROVIDER: "outbox" })).toBe("outbox");
    expect(messageProvider({ NODE_ENV: "test" })).toBe("outbox");
    expect(() => messageProvider({ NODE_ENV: "production", MESSAGE_PROVIDER: "smtp" })).toThrow(/SMTP_URL/);
    expect(() =>
      messageProvider({
        NODE_ENV: "production",
        MESSAGE_PROVIDER: "smtp",
        SMTP_URL: "smtp://x",
        MAIL_FROM: "a@b.c",
        SMS_PROVIDER: "nope",
      }),
    ).toThrow(/SMS_PROVIDER="nope" is not implemented/);
  });

  it("the demo outbox page exists only while the outbox sends the messages", async () => {
    setMessageProvider({ name: "test", background: false, supports: () => true, send: async () => undefined });
    try {
      const r = await run(() => outboxRoute.loader({ request: makeRequest("/dev/outbox"), params: {}, context: {} }));
      expect(r.status).toBe(404);
    } finally {
      setMessageProvider(undefined);
    }
  });
});
