import fs from "node:fs";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "../../app/routes/admin.audit";
import * as orgsRoute from "../../app/routes/admin.orgs";
import * as jobsRoute from "../../app/routes/jobs.$id";
import * as filesRoute from "../../app/routes/files.$id";
import { getDb } from "../../db/client";
import { recordAudit } from "../../app/services/audit.server";
import { translator } from "../../app/i18n";
import { zhCN } from "../../app/i18n/zh-CN";
import { auditExportJob } from "../../jobs/definitions/audit-export";
import {
  closeRunner,
  enqueueJob,
  runnerMode,
  setRunnerMode,
  startBullWorker,
  waitForInlineIdle,
} from "../../jobs/runner";
import { act, load, orgId, sessionCookie } from "../factories";

let site1: string, site2: string, city1: string;

beforeAll(async () => {
  [site1, site2, city1] = await Promise.all(
    ["site990101", "site990102", "city9901"].map((u) => sessionCookie(`${u}@example.com`)),
  );
});

async function waitForJob(id: string, timeoutMs = 30_000) {
  const t0 = Date.now();
  for (;;) {
    const j = await getDb().selectFrom("job").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    if (j.status === "done" || j.status === "failed") return j;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${id} still ${j.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("audit log and jobs", () => {
  it("X-1: a mutation records who, when, which organisation and sitting, and the before/after of changed fields", async () => {
    const id = await orgId("990101");
    await act(orgsRoute, "/admin/orgs", site1, {
      intent: "update-info",
      orgId: id,
      address: "测试省第一地市学府路2号",
      postcode: "999001",
      contact_name: "张老师",
    });
    const e = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "org.update_info")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    const current = await getDb()
      .selectFrom("sitting")
      .select("id")
      .where("is_current", "=", true)
      .executeTakeFirstOrThrow();
    expect(e).toMatchObject({
      actor_name: "张老师",
      org_id: id,
      sitting_id: current.id,
      entity_type: "org",
      entity_id: String(id),
      ip: "127.0.0.1",
    });
    expect(e.changes).toEqual({ address: ["测试省第一地市学府路1号 信息楼", "测试省第一地市学府路2号"] });
    expect(e.at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("X-1: the audit page searches by action, actor and organisation code, paged", async () => {
    const r = await load(auditRoute, "/admin/audit?action=org.&actor=张", city1);
    expect(r.data.total).toBeGreaterThan(0);
    expect(
      r.data.rows.every(
        (x: { action: string; actor_name: string }) => x.action.startsWith("org.") && x.actor_name.includes("张"),
      ),
    ).toBe(true);
    const none = await load(auditRoute, "/admin/audit?org=990201", city1);
    expect(none.data.total).toBe(0);
  });

  it("X-1 (issue 15 item 4): rows name what they are about, never an internal id, and every row has its organisation", async () => {
    const r = await load(auditRoute, "/admin/audit?action=org.update_info", site1);
    expect(r.data.total).toBeGreaterThan(0);
    for (const row of r.data.rows) {
      expect(row).not.toHaveProperty("entity_id");
      expect(row.entity_type).toBe("org");
      expect(row.entity_name).toBe("测试大学考点 (990101)");
    }
    // A log-in carries no organisation of its own (nor a sitting): the row shows the actor's.
    const account = await getDb()
      .selectFrom("account")
      .select(["id", "name"])
      .where("email", "=", "site990101@example.com")
      .executeTakeFirstOrThrow();
    await recordAudit(
      getDb(),
      { accountId: account.id, name: account.name, orgId: null, sittingId: null, ip: null },
      { action: "account.login", entityType: "account", entityId: account.id },
    );
    const logins = await load(auditRoute, "/admin/audit?action=account.login", site1);
    expect(logins.data.total).toBeGreaterThan(0);
    for (const row of logins.data.rows) expect(row.org_code).toBe("990101");
    // And the organisation filter finds them by it.
    expect((await load(auditRoute, "/admin/audit?action=account.login&org=990101", site1)).data.total).toBe(
      logins.data.total,
    );
  });

  it("X-2: the audit export runs as a job with progress; its .xlsx is downloadable in scope only", async () => {
    expect(runnerMode()).toBe("inline");
    const started = await act(auditRoute, "/admin/audit?action=org.", site1, {});
    const jobId = started.data.jobId as string;
    await waitForInlineIdle();
    // Coming back to the page finds the export again.
    expect((await load(auditRoute, "/admin/audit", site1)).data.exports.map((j: { id: string }) => j.id)).toContain(
      jobId,
    );
    const status = await load(jobsRoute, `/jobs/${jobId}`, site1, { id: jobId });
    expect(status.data).toMatchObject({ status: "done", progress: 100 });
    const fileId = status.data.result.fileId as string;
    // Another site can see neither the job nor the file.
    expect((await load(jobsRoute, `/jobs/${jobId}`, site2, { id: jobId })).status).toBe(404);
    expect((await load(filesRoute, `/files/${fileId}`, site2, { id: fileId })).status).toBe(403);
    // The city above it can.
    expect((await load(jobsRoute, `/jobs/${jobId}`, city1, { id: jobId })).status).toBe(200);
    // the progress message is saved as a key and read in each viewer's own language.
    const row = await getDb().selectFrom("job").select("message").where("id", "=", jobId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.message)).toMatchObject({ key: "export.progress_rows" });
    const total = JSON.parse(row.message).params.total as number;
    expect(status.data.message).toBe(
      zhCN["export.progress_rows"].replace("{done}", String(total)).replace("{total}", String(total)),
    );
    const cityAccount = await getDb()
      .selectFrom("account")
      .select(["id", "locale"])
      .where("email", "=", "city9901@example.com")
      .executeTakeFirstOrThrow();
    await getDb().updateTable("account").set({ locale: "en" }).where("id", "=", cityAccount.id).execute();
    try {
      const english = await load(jobsRoute, `/jobs/${jobId}`, city1, { id: jobId });
      expect(english.data.message).toBe(translator("en")("export.progress_rows", { done: total, total }));
      expect(english.data.message).not.toMatch(/[\u4e00-\u9fff]/);
    } finally {
      await getDb()
        .updateTable("account")
        .set({ locale: cityAccount.locale })
        .where("id", "=", cityAccount.id)
        .execute();
    }

    const dl = (await filesRoute.loader({
      request: new Request(`http://localhost/files/${fileId}`, { headers: { Cookie: site1 } }),
      params: { id: fileId },
      context: {},
    })) as Response;
    expect(dl.headers.get("Content-Disposition")).toMatch(/filename\*=UTF-8''/);
    const buf = Buffer.from(await dl.arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe("时间");
    // The action by its label, its code beside it; the object by kind and name (issue 15 item 4).
    expect(ws.getRow(2).getCell(4).value).toBe(zhCN["audit.action.org.update_info"]);
    expect(String(ws.getRow(2).getCell(6).value)).toBe("机构 · 测试大学考点 (990101)");
    const actions = ws.getColumn(5).values.slice(2);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => String(a).startsWith("org."))).toBe(true);
    const stored = await getDb()
      .selectFrom("stored_file")
      .selectAll()
      .where("id", "=", fileId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ kind: "audit-export", org_id: await orgId("990101"), size: buf.length });
  });

  it("X-2: a job that fails is marked failed with a message, not left running", async () => {
    // ORG-11: a job runs only for a requester still allowed to start it; here the site's administrator.
    const requester = await getDb()
      .selectFrom("account")
      .select("id")
      .where("email", "=", "site990101@example.com")
      .executeTakeFirstOrThrow();
    const site = await orgId("990101");
    const id = await enqueueJob(
      auditExportJob,
      { scopeOrgId: site, sittingId: -1, locale: "zh-CN" },
      { accountId: requester.id, orgId: site, sittingId: null },
    );
    await waitForInlineIdle();
    const j = await waitForJob(id);
    // An empty sitting exports an empty file: the job still completes.
    expect(j.status).toBe("done");
    await getDb()
      .updateTable("job")
      .set({ payload: JSON.stringify({ bogus: true }), status: "queued" })
      .where("id", "=", id)
      .execute();
    const { runJob } = await import("../../jobs/runner");
    await runJob(id);
    expect((await waitForJob(id)).status).toBe("failed");
  });

  it.runIf(!!process.env.REDIS_URL)(
    "X-2: with REDIS_URL the same job runs through Bull on Redis and a worker",
    async () => {
      setRunnerMode("bull");
      try {
        const queue = await startBullWorker(1);
        await queue.empty();
        const requester = await getDb()
          .selectFrom("account")
          .select("id")
          .where("email", "=", "site990101@example.com")
          .executeTakeFirstOrThrow();
        const id = await enqueueJob(
          auditExportJob,
          {
            scopeOrgId: await orgId("990101"),
            sittingId: (
              await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
            ).id,
            locale: "en",
          },
          { accountId: requester.id, orgId: await orgId("990101"), sittingId: null },
        );
        const bullJob = await queue.getJob(id);
        expect(bullJob?.name).toBe("audit-export");
        const j = await waitForJob(id);
        expect(j.status).toBe("done");
        const file = await getDb()
          .selectFrom("stored_file")
          .selectAll()
          .where("id", "=", (j.result as { fileId: string }).fileId)
          .executeTakeFirstOrThrow();
        expect(fs.existsSync(`${process.env.DATA_DIR}/files/${file.path}`)).toBe(true);
      } finally {
        await closeRunner();
        setRunnerMode("inline");
      }
    },
  );
});
