import { describe, expect, it } from "vitest";
import * as rootRoute from "../../app/root";
import * as setLocaleRoute from "../../app/routes/set-locale";
import * as healthRoute from "../../app/routes/healthz";
import * as orgsRoute from "../../app/routes/admin.orgs";
import * as candidatesRoute from "../../app/routes/admin.candidates._index";
import * as recordsRoute from "../../app/routes/admin.records._index";
import { getDb, getDbHandle } from "../../db/client";
import { act, load, makeRequest, orgId, run, sessionCookie } from "../factories";
import { makeRegistration } from "../factories/registrations";

describe("i18n and health", () => {
  it("X-5: Simplified Chinese by default; the choice is remembered per account", async () => {
    const c = await sessionCookie("city9902@example.com");
    expect((await load(rootRoute, "/", c)).data.locale).toBe("zh-CN");
    const r = await act(setLocaleRoute, "/set-locale", c, { locale: "en", redirectTo: "/admin/orgs" });
    expect(r.location).toBe("/admin/orgs");
    expect(
      (
        await getDb()
          .selectFrom("account")
          .select("locale")
          .where("email", "=", "city9902@example.com")
          .executeTakeFirstOrThrow()
      ).locale,
    ).toBe("en");
    // A new session of the same account (no locale cookie) keeps English.
    const again = await sessionCookie("city9902@example.com");
    expect((await load(rootRoute, "/", again)).data.locale).toBe("en");
    // Messages from the server come in the account's language too.
    const denied = await act(orgsRoute, "/admin/orgs", again, {
      intent: "update-info",
      orgId: await orgId("990101"),
      address: "x",
    });
    expect(denied.data.error).toBe("You have no access to this organisation's data.");
  });

  it("X-5: code lists (gender, ID type, ethnicity, education) are named in the viewer's language", async () => {
    const email = "site990101@example.com";
    const db = getDb();
    const before = await db.selectFrom("account").select("locale").where("email", "=", email).executeTakeFirstOrThrow();
    const c = await sessionCookie(email);
    const sitting = await db
      .selectFrom("sitting")
      .select("id")
      .where("is_current", "=", true)
      .executeTakeFirstOrThrow();
    await makeRegistration({ siteId: await orgId("990101"), sittingId: sitting.id, subjects: [], gender: "2" });
    const list = async () => (await load(candidatesRoute, "/admin/candidates", c)).data;
    const zh = await list();
    expect(zh.codes.ethnicity[0]).toEqual({ code: "01", name: "汉族" });
    await db.updateTable("account").set({ locale: "en" }).where("email", "=", email).execute();
    try {
      const en = await list();
      expect(en.codes.ethnicity[0]).toEqual({ code: "01", name: "Han" });
      expect(en.codes.idType[0]).toEqual({ code: "1", name: "Resident ID card" });
      expect(en.codes.education.map((e: { name: string }) => e.name)).not.toContainEqual(
        expect.stringMatching(/[\u4e00-\u9fff]/),
      );
      expect(en.rows.length).toBeGreaterThan(0);
      for (const r of en.rows) {
        expect(["Male", "Female", "Unknown", "Not stated"]).toContain(r.gender);
        expect(r.id_type).not.toMatch(/[\u4e00-\u9fff]/);
      }
      const records = (await load(recordsRoute, "/admin/records", c)).data;
      expect(records.codes.trainingType.map((e: { name: string }) => e.name)).toEqual([
        "Self-study",
        "Training course",
        "School course",
      ]);
    } finally {
      await db.updateTable("account").set({ locale: before.locale }).where("email", "=", email).execute();
    }
  });

  it("X-5: before login the choice is kept in a cookie", async () => {
    const r = await act(setLocaleRoute, "/set-locale", undefined, { locale: "en", redirectTo: "/login" });
    const cookie = r.headers!.get("Set-Cookie")!.split(";")[0];
    expect(
      (await run(() => rootRoute.loader({ request: makeRequest("/login", { cookie }), params: {}, context: {} }))).data
        .locale,
    ).toBe("en");
  });

  it("GET /healthz reports the database, the job runner and the current sitting", async () => {
    const r = await run(() => healthRoute.loader({ request: makeRequest("/healthz"), params: {}, context: {} }));
    expect(r.status).toBe(200);
    expect(r.data).toEqual({
      ok: true,
      db: getDbHandle().kind,
      jobs: "inline",
      sitting: "79",
      oldestQueuedSeconds: null,
    });
    expect(r.data.db).toBe(process.env.DATABASE_URL ? "postgres" : "pglite");
  });
});
