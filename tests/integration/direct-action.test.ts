import express from "express";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as saveRoute from "../../app/routes/candidate.entries.save";
import * as entriesPage from "../../app/routes/candidate.entries";
import { directAction } from "../../app/utils/direct-action.server";
import { databaseOutageMiddleware } from "../../app/utils/db-health.server";
import { SAVE_URL, SAVED_PAGE } from "../../app/utils/entries-form";
import { getDb } from "../../db/client";
import { orgId } from "../factories";
import { listenLocal } from "../factories/http";
import { readyCandidate } from "../factories/online-candidate";
import { guardSeats } from "../factories/seats";

// X-7 (decision 0063): the entries form's script save is answered by express calling the route's
// action directly, as Remix calls a resource route. The real route module behind the real outage
// middleware; what is not the direct route goes on to the next handler (Remix, in server.ts).

guardSeats();

let base = "";
let close: () => Promise<void>;
let site: number;
const handled: unknown[] = [];
const passedOn: string[] = [];
let failNext: unknown = null;

function buildOf(module: Record<string, unknown>): ServerBuild {
  return {
    routes: { "routes/x": { id: "routes/x", path: "x", module } },
    entry: { module: { handleError: (e: unknown) => handled.push(e) } },
  } as unknown as ServerBuild;
}

beforeAll(async () => {
  site = await orgId("990101");
  const app = express();
  app.use(databaseOutageMiddleware());
  app.use(
    directAction({
      build: buildOf({
        action: async (args: Parameters<typeof saveRoute.action>[0]) => {
          if (failNext) {
            const e = failNext;
            failNext = null;
            throw e;
          }
          return saveRoute.action(args);
        },
      }),
      routeId: "routes/x",
      path: SAVE_URL,
      maxBodyBytes: 1024,
      getLoadContext: () => ({ cspNonce: "n" }),
    }),
  );
  app.all("*", (req, res) => {
    passedOn.push(`${req.method} ${req.originalUrl}`);
    res.status(299).send("next");
  });
  ({ base, close } = await listenLocal(app));
});

afterAll(() => close());

function save(cookie: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${base}${SAVE_URL}`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...headers },
    body,
  });
}

async function subjectsOf(accountId: string) {
  return (
    await getDb()
      .selectFrom("entry")
      .innerJoin("registration", "registration.id", "entry.registration_id")
      .select("entry.subject_code")
      .where("registration.account_id", "=", accountId)
      .orderBy("entry.subject_code")
      .execute()
  ).map((e) => e.subject_code);
}

describe("the entries save answered without Remix's handler (X-7, decision 0063)", () => {
  it("CAN-4: a saved change is the action's redirect, as Remix sends a thrown Response; a refusal its JSON in the user's language", async () => {
    const c = await readyCandidate(site);
    const saved = await save(c.cookie, "subject=14");
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe(SAVED_PAGE);
    expect(saved.headers.get("x-remix-catch")).toBe("yes");
    expect(await subjectsOf(c.id)).toEqual(["14"]);

    // A subject the site does not offer is refused with the action's own message, nothing changes.
    const zh = await save(c.cookie, "subject=14&subject=99");
    await getDb().updateTable("account").set({ locale: "en" }).where("id", "=", c.id).execute();
    const en = await save(c.cookie, "subject=14&subject=99");
    for (const r of [zh, en]) {
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toContain("application/json");
    }
    const [zhError, enError] = [
      ((await zh.json()) as { error: string }).error,
      ((await en.json()) as { error: string }).error,
    ];
    expect(zhError).toMatch(/[\u4e00-\u9fff]/);
    expect(enError).toMatch(/^[\x20-\x7e]+$/);
    expect(await subjectsOf(c.id)).toEqual(["14"]);
  });

  it("ORG-11: without a session the action's own guard answers (the login redirect)", async () => {
    const r = await save("", "subject=14");
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toMatch(/^\/login/);
  });

  it("only a POST to exactly the save path is taken: a query string, another method or another path goes on to Remix", async () => {
    passedOn.length = 0;
    await fetch(`${base}${SAVE_URL}?_data=routes%2Fx`, { method: "POST", body: "subject=14" });
    await fetch(`${base}${SAVE_URL}`);
    await fetch(`${base}/candidate/entries`, { method: "POST", body: "subject=14" });
    expect(passedOn).toEqual([`POST ${SAVE_URL}?_data=routes%2Fx`, `GET ${SAVE_URL}`, "POST /candidate/entries"]);
  });

  it("a body over the limit is refused with 413 before the action runs, declared or not", async () => {
    const c = await readyCandidate(site);
    const big = `subject=14&pad=${"x".repeat(2048)}`;
    const declared = await save(c.cookie, big);
    expect(declared.status).toBe(413);
    expect(await declared.text()).toContain("Request too large");
    // Sent in chunks without a length: counted as it arrives.
    const chunked = await fetch(`${base}${SAVE_URL}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: c.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new ReadableStream({
        start(ctl) {
          for (let i = 0; i < 4; i++) ctl.enqueue(new TextEncoder().encode(big));
          ctl.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await subjectsOf(c.id)).toEqual([]);
  });

  it("an unexpected error goes to the build's handleError and answers Remix's 500; one of the database being away a 503 with a retry", async () => {
    const c = await readyCandidate(site);
    handled.length = 0;
    failNext = new Error("a bug");
    const bug = await save(c.cookie, "subject=14");
    expect(bug.status).toBe(500);
    expect(await bug.text()).toBe("Unexpected Server Error");
    expect(handled).toHaveLength(1);

    // server.ts's handleError notes an outage (app/entry.server.tsx); the outage middleware turns the 500 into 503.
    const { noteRequestError, outageContext, resetDatabaseHealth } = await import("../../app/utils/db-health.server");
    const lost = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    const probe = vi.fn();
    const build = buildOf({ action: () => Promise.reject(lost) });
    build.entry.module.handleError = (e: unknown, args) => {
      probe();
      noteRequestError(e, args.context);
    };
    const app = express();
    app.use(databaseOutageMiddleware());
    app.use(
      directAction({
        build,
        routeId: "routes/x",
        path: SAVE_URL,
        maxBodyBytes: 1024,
        getLoadContext: (_req, res) => ({ ...outageContext(res) }),
      }),
    );
    const local = await listenLocal(app);
    try {
      const r = await fetch(`${local.base}${SAVE_URL}`, { method: "POST", body: "subject=14" });
      expect(r.status).toBe(503);
      expect(r.headers.get("retry-after")).toBe("5");
      expect(probe).toHaveBeenCalledOnce();
    } finally {
      await local.close();
      resetDatabaseHealth();
    }
  });

  it("the body reads as Remix's would: an urlencoded form parsed once (a second read refused), a multipart form as the Request's own (decision 0066)", async () => {
    const seen: unknown[] = [];
    const app = express();
    app.use(
      directAction({
        build: buildOf({
          action: async ({ request }: { request: Request }) => {
            const urlencoded = request.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded");
            if (request.headers.get("x-read") === "text") {
              seen.push({ urlencoded, text: await request.text() });
              return Response.json({ ok: true });
            }
            const form = await request.formData();
            const again = await request.text().then(
              () => "read again",
              (e: unknown) => (e instanceof TypeError ? "refused" : "other error"),
            );
            seen.push({ urlencoded, subjects: form.getAll("subject"), day: form.get("preferredDate"), again });
            return Response.json({ ok: true });
          },
        }),
        routeId: "routes/x",
        path: SAVE_URL,
        maxBodyBytes: 1024,
      }),
    );
    const local = await listenLocal(app);
    try {
      const post = (body: BodyInit, headers: Record<string, string> = {}) =>
        fetch(`${local.base}${SAVE_URL}`, { method: "POST", headers, body }).then((r) => r.status);
      // Percent-encoded UTF-8, '+' for a space, a repeated name and a charset parameter.
      expect(
        await post("subject=14&subject=%E4%B8%80+%E7%BA%A7&preferredDate=", {
          "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
        }),
      ).toBe(200);
      // A byte order mark stays in the first name, as undici's form parser keeps it.
      expect(
        await post("\uFEFFsubject=14&preferredDate=", { "content-type": "application/x-www-form-urlencoded" }),
      ).toBe(200);
      // text() drops it, as undici's does.
      expect(
        await post("\uFEFFsubject=14", { "content-type": "application/x-www-form-urlencoded", "x-read": "text" }),
      ).toBe(200);
      const multipart = new FormData();
      multipart.append("subject", "14");
      multipart.append("subject", "一 级");
      multipart.append("preferredDate", "");
      expect(await post(multipart)).toBe(200);
      expect(seen).toEqual([
        { urlencoded: true, subjects: ["14", "一 级"], day: "", again: "refused" },
        { urlencoded: true, subjects: [], day: "", again: "refused" },
        { urlencoded: true, text: "subject=14" },
        { urlencoded: false, subjects: ["14", "一 级"], day: "", again: "refused" },
      ]);
    } finally {
      await local.close();
    }
  });

  it("only a route without a page qualifies: the entries page (default export) is refused at start-up", () => {
    expect(() =>
      directAction({
        build: buildOf(entriesPage),
        routeId: "routes/x",
        path: "/candidate/entries",
        maxBodyBytes: 1024,
      }),
    ).toThrow(/not a resource route/);
  });
});
