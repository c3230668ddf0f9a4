import { beforeAll, describe, expect, it } from "vitest";
import * as noticeRoute from "../../app/routes/admin.notice";
import { formatWallClock } from "../../app/domain/windows";
import { getDb } from "../../db/client";
import { act, auditCount, load, sessionCookie } from "../factories";

let site1: string, site2: string, province99: string, finance: string;

beforeAll(async () => {
  [site1, site2, province99, finance] = await Promise.all(
    ["site990101", "site990102", "province99", "finance990101"].map((u) => sessionCookie(`${u}@example.com`)),
  );
});

describe("registration notices, the first window-gated module", () => {
  it("SET-7: a province sets its notice and its sites see it read-only", async () => {
    expect((await act(noticeRoute, "/admin/notice", province99, { body: "本省考生请携带身份证原件。" })).data.ok).toBe(
      true,
    );
    const site = await load(noticeRoute, "/admin/notice", site1);
    expect(site.data.province.body).toBe("本省考生请携带身份证原件。");
  });

  it("SET-7: saving a new site notice replaces the current one, audited", async () => {
    await act(noticeRoute, "/admin/notice", site1, { body: "第一版" });
    await act(noticeRoute, "/admin/notice", site1, { body: "第二版\r\n请按时到场。" });
    const r = await load(noticeRoute, "/admin/notice", site1);
    expect(r.data.own.body).toBe("第二版\n请按时到场。");
    expect(await auditCount("notice.save")).toBe(3);
  });

  it("WIN-3: outside the pre-registration window the page is read-only with the window's dates and the server refuses with the same message", async () => {
    const page = await load(noticeRoute, "/admin/notice", site2);
    expect(page.data.window).toMatchObject({ kind: "pre_registration", status: "closed" });
    const r = await act(noticeRoute, "/admin/notice", site2, { body: "过期修改" });
    expect(r.status).toBe(403);
    const w = await getDb()
      .selectFrom("window")
      .innerJoin("org", "org.id", "window.org_id")
      .select(["starts_at", "ends_at"])
      .where("org.code", "=", "990102")
      .where("kind", "=", "pre_registration")
      .orderBy("window.id", "desc")
      .executeTakeFirstOrThrow();
    expect(r.data.error).toBe(
      `不在报名前设置时间内（${formatWallClock(w.starts_at, "Asia/Shanghai")} 至 ${formatWallClock(w.ends_at!, "Asia/Shanghai")}），不能修改。如需修改请向上级申请延长时间。`,
    );
    expect((await load(noticeRoute, "/admin/notice", site2)).data.own).toBeNull();
  });

  it("ORG-11: finance staff cannot change notices", async () => {
    expect((await act(noticeRoute, "/admin/notice", finance, { body: "x" })).status).toBe(403);
  });
});
