import { beforeAll, describe, expect, it } from "vitest";
import * as extensionRoute from "../../app/routes/admin.window-extension";
import * as homeRoute from "../../app/routes/admin._index";
import * as layout from "../../app/routes/admin";
import { formatWallClock } from "../../app/domain/windows";
import { getDb } from "../../db/client";
import { act, auditCount, load, orgId, sessionCookie } from "../factories";

// WIN-5 (issue 15 item 5): a site whose registration window has closed asks its city for more time
// in one step; the city approves (the window is extended, audited) or declines; nobody else can.

const PATH = "/admin/window-extension";
const wall = (at: Date) => formatWallClock(at, "Asia/Shanghai").replace(" ", "T");
let late: string, open: string, city1: string, city2: string, finance: string;
let id990102: number;

beforeAll(async () => {
  [late, open, city1, city2, finance] = await Promise.all(
    ["site990102", "site990101", "city9901", "city9902", "finance990101"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  id990102 = await orgId("990102");
});

const pending = () =>
  getDb()
    .selectFrom("window_extension_request")
    .selectAll()
    .where("org_id", "=", id990102)
    .where("status", "=", "pending")
    .execute();
const registrationStatus = async (cookie: string) =>
  (await load(homeRoute, "/admin", cookie)).data.windows.find((w: { kind: string }) => w.kind === "registration")
    .status;

describe("asking the superior for more time (WIN-5)", () => {
  it("WIN-5: a closed window can be asked about once (asking again updates it); an open one, or by finance staff, not", async () => {
    expect(await registrationStatus(late)).toBe("closed");
    const r = await act(extensionRoute, PATH, late, {
      intent: "request",
      kind: "registration",
      reason: "三名考生补报",
    });
    expect(r.data).toEqual({ ok: true, intent: "request" });
    const again = await act(extensionRoute, PATH, late, {
      intent: "request",
      kind: "registration",
      reason: "五名考生补报",
      wanted_until: wall(new Date(Date.now() + 3 * 86_400_000)),
    });
    expect(again.data.ok).toBe(true);
    const rows = await pending();
    expect(rows).toHaveLength(1);
    expect(rows[0].reason).toBe("五名考生补报");
    expect(await auditCount("window.extension_request")).toBeGreaterThanOrEqual(2);
    // The layout tells the banner it was asked.
    expect((await load(layout, "/admin", late)).data.extension).toEqual({ canAsk: true, pending: ["registration"] });

    const refusedOpen = await act(extensionRoute, PATH, open, { intent: "request", kind: "registration", reason: "x" });
    expect(refusedOpen.status).toBe(409);
    const refusedEmpty = await act(extensionRoute, PATH, late, { intent: "request", kind: "eligibility", reason: " " });
    expect(refusedEmpty.status).toBe(400);
    const refusedFinance = await act(extensionRoute, PATH, finance, {
      intent: "request",
      kind: "registration",
      reason: "x",
    });
    expect(refusedFinance.status).toBe(403);
  });

  it("ORG-2/WIN-5: only the site's superior answers: another city and the site itself are refused", async () => {
    const [req] = await pending();
    const until = wall(new Date(Date.now() + 2 * 86_400_000));
    for (const cookie of [city2, late]) {
      const r = await act(extensionRoute, PATH, cookie, { intent: "approve", requestId: req.id, until });
      expect(r.status).toBe(403);
    }
    // The other city does not even see it on its home page.
    expect((await load(homeRoute, "/admin", city2)).data.extensions).toEqual([]);
    expect((await pending())[0].status).toBe("pending");
  });

  it("WIN-5: the city sees the request on its home page and approves it: the site's window is open again, audited", async () => {
    const home = await load(homeRoute, "/admin", city1);
    const row = home.data.extensions.find((e: { org_code: string }) => e.org_code === "990102");
    expect(row).toMatchObject({ kind: "registration", reason: "五名考生补报" });
    const extends0 = await auditCount("window.extend");
    const past = await act(extensionRoute, PATH, city1, {
      intent: "approve",
      requestId: row.id,
      until: "2001-01-01T08:00",
    });
    expect(past.status).toBe(400);
    const ok = await act(extensionRoute, PATH, city1, {
      intent: "approve",
      requestId: row.id,
      until: wall(new Date(Date.now() + 2 * 86_400_000)),
    });
    expect(ok.data).toEqual({ ok: true, intent: "approve" });
    expect(await registrationStatus(late)).toBe("open");
    expect(await auditCount("window.extend")).toBe(extends0 + 1);
    expect(await auditCount("window.extension_approve")).toBe(1);
    expect(await pending()).toHaveLength(0);
    // Answered once: a second answer finds nothing.
    expect((await act(extensionRoute, PATH, city1, { intent: "decline", requestId: row.id, note: "" })).status).toBe(
      404,
    );
  });

  it("WIN-5: a declined request keeps the window as it was, with the city's note", async () => {
    await act(extensionRoute, PATH, late, { intent: "request", kind: "eligibility", reason: "补录学籍" });
    const [req] = await pending();
    const r = await act(extensionRoute, PATH, city1, { intent: "decline", requestId: req.id, note: "已过截止日期" });
    expect(r.data.ok).toBe(true);
    const row = await getDb()
      .selectFrom("window_extension_request")
      .selectAll()
      .where("id", "=", req.id)
      .executeTakeFirstOrThrow();
    expect([row.status, row.decision_note]).toEqual(["declined", "已过截止日期"]);
    expect(await auditCount("window.extension_decline")).toBe(1);
  });
});
