import { describe, expect, it } from "vitest";
import * as rootRoute from "../../app/root";
import * as setLocaleRoute from "../../app/routes/set-locale";
import * as healthRoute from "../../app/routes/healthz";
import * as orgsRoute from "../../app/routes/admin.orgs";
import { getDb, getDbHandle } from "../../db/client";
import { act, load, makeRequest, orgId, run, sessionCookie } from "../factories";

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
