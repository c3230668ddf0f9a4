import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as adminLayout from "../../app/routes/admin";
import * as homeRoute from "../../app/routes/admin._index";
import * as auditRoute from "../../app/routes/admin.audit";
import * as candidateRoute from "../../app/routes/admin.candidates.$id._index";
import * as photoRoute from "../../app/routes/admin.candidates.$id.photo";
import * as searchRoute from "../../app/routes/admin.candidates._index";
import * as exportRoute from "../../app/routes/admin.candidates.export";
import * as cancellationsRoute from "../../app/routes/admin.cancellations._index";
import * as groupPayRoute from "../../app/routes/admin.group.payment";
import * as orgsRoute from "../../app/routes/admin.orgs";
import * as recordsRoute from "../../app/routes/admin.records._index";
import * as statsRoute from "../../app/routes/admin.stats";
import * as statsExportRoute from "../../app/routes/admin.stats.export";
import * as filesRoute from "../../app/routes/files.$id";
import * as jobsRoute from "../../app/routes/jobs.$id";
import { getDb } from "../../db/client";
import { candidateExportJob } from "../../jobs/definitions/candidate-export";
import { photoCheckJob } from "../../jobs/definitions/photo-check";
import { enqueueJob, waitForInlineIdle } from "../../jobs/runner";
import { act, load, orgId, run, makeRequest, residentId, sessionCookie } from "../factories";
import { makeRegistration } from "../factories/registrations";

let site1: number, sittingId: number, pastSittingId: number;
let admin1: string, finance1: string, city1: string, admin2: string;
let financeAccount: string, adminAccount: string;

beforeAll(async () => {
  site1 = await orgId("990101");
  const db = getDb();
  sittingId = (await db.selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()).id;
  pastSittingId = (
    await db.selectFrom("sitting").select("id").where("is_current", "=", false).executeTakeFirstOrThrow()
  ).id;
  [admin1, finance1, city1, admin2] = await Promise.all(
    ["site990101", "finance990101", "city9901", "site990102"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  const ids = await db
    .selectFrom("account")
    .select(["id", "email"])
    .where("email", "in", ["finance990101@example.com", "site990101@example.com"])
    .execute();
  financeAccount = ids.find((a) => a.email === "finance990101@example.com")!.id;
  adminAccount = ids.find((a) => a.email === "site990101@example.com")!.id;
});

/** An export of the candidate search made by the site's administrator, finished. */
async function adminExport() {
  const started = await act(exportRoute, "/admin/candidates/export", admin1, {});
  expect(started.status).toBe(303);
  const jobId = new URL(started.location!, "http://x").searchParams.get("job")!;
  await waitForInlineIdle();
  const job = await getDb().selectFrom("job").selectAll().where("id", "=", jobId).executeTakeFirstOrThrow();
  expect(job.status, String(job.error)).toBe("done");
  return { jobId, fileId: (job.result as { fileId: string }).fileId };
}

const files = (cookie: string, id: string) => load(filesRoute, `/files/${id}`, cookie, { id });
const jobs = (cookie: string, id: string) => load(jobsRoute, `/jobs/${id}`, cookie, { id });

describe("finance staff see payments and statistics, nothing with personal data (ORG-11)", () => {
  it("ORG-11: finance staff cannot open a candidate's page, photo or the candidate search", async () => {
    const { reg } = await makeRegistration({ siteId: site1, sittingId, photo: true, name: "隐私考生" });
    const page = await load(candidateRoute, `/admin/candidates/${reg.id}`, finance1, { id: String(reg.id) });
    expect(page.status).toBe(403);
    expect(JSON.stringify(page.data)).not.toContain(reg.id_number);
    expect(JSON.stringify(page.data)).not.toContain("隐私考生");
    expect((await load(photoRoute, `/admin/candidates/${reg.id}/photo`, finance1, { id: String(reg.id) })).status).toBe(
      403,
    );
    expect((await load(searchRoute, "/admin/candidates", finance1)).status).toBe(403);
    expect((await load(cancellationsRoute, "/admin/cancellations", finance1)).status).toBe(403);
    // The site's administrator still does.
    expect((await load(candidateRoute, `/admin/candidates/${reg.id}`, admin1, { id: String(reg.id) })).status).toBe(
      200,
    );
  });

  it("ORG-11: finance staff cannot open the student registry's edit view", async () => {
    const id = residentId("2001-02-03", 7);
    const rec = await getDb()
      .insertInto("student_record")
      .values({
        org_id: site1,
        id_type: "1",
        id_number: id,
        name: "学籍生",
        gender: "1",
        birth_date: "2001-02-03",
        ethnicity: "01",
        education: "20",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const r = await load(recordsRoute, `/admin/records?edit=${rec.id}`, finance1);
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.data)).not.toContain(id);
    expect((await load(recordsRoute, `/admin/records?edit=${rec.id}`, admin1)).data.editing.id_number).toBe(id);
  });

  it("ORG-11: finance staff cannot read the audit log, export it, or see the organisation's users", async () => {
    expect((await load(auditRoute, "/admin/audit", finance1)).status).toBe(403);
    expect((await act(auditRoute, "/admin/audit", finance1, {})).status).toBe(403);
    const users = await load(orgsRoute, "/admin/orgs", finance1);
    expect(users.status).toBe(403);
    expect(JSON.stringify(users.data)).not.toContain("site990101@example.com");
  });

  it("ORG-11: finance staff can see statistics, payments and the home page", async () => {
    const home = await load(homeRoute, "/admin", finance1);
    expect(home.status).toBe(200);
    // The registration gaps are counts for finance staff, not links to candidate lists.
    expect(home.data.gapLinks).toBe(false);
    expect((await load(homeRoute, "/admin", admin1)).data.gapLinks).toBe(true);
    const stats = await load(statsRoute, "/admin/stats?view=payments", finance1);
    expect(stats.status).toBe(200);
    expect(stats.data.scope.root.code).toBe("990101");
    const x = await load(statsExportRoute, "/admin/stats/export?view=payments", finance1);
    expect(x.status).toBe(200);
    expect(x.headers!.get("Content-Type")).toContain("spreadsheetml");
    expect((await load(groupPayRoute, "/admin/group/payment", finance1)).status).toBe(200);
  });

  it("ORG-11: the menu offers finance staff only what they may open", async () => {
    const menu = await load(adminLayout, "/admin", finance1);
    expect(menu.data.can).toMatchObject({
      overview: true,
      statistics: true,
      payments: true,
      personal_data: false,
      audit: false,
      users: false,
      manage: false,
    });
    expect((await load(adminLayout, "/admin", admin1)).data.can).toMatchObject({
      personal_data: true,
      audit: true,
      users: true,
      manage: true,
    });
  });

  it("ORG-11: finance staff cannot download an export made by an admin, through /jobs/:id or /files/:id", async () => {
    await makeRegistration({ siteId: site1, sittingId, photo: false });
    const { jobId, fileId } = await adminExport();
    const job = await jobs(finance1, jobId);
    expect(job.status).toBe(403);
    expect(JSON.stringify(job.data)).not.toContain(fileId);
    expect((await files(finance1, fileId)).status).toBe(403);
    // Another admin of the same site may (same capability, same scope); the requester and superiors too.
    const db = getDb();
    const colleague = "colleague990101@example.com";
    const acc = await db
      .insertInto("account")
      .values({
        id: crypto.randomUUID(),
        email: colleague,
        mobile: null,
        name: "同事",
        password_hash: "x",
        role: "admin",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("membership")
      .values({ account_id: acc.id, org_id: site1, sitting_id: sittingId, role: "admin", name: "同事" })
      .execute();
    const other = await sessionCookie(colleague);
    expect((await jobs(other, jobId)).status).toBe(200);
    expect((await files(other, fileId)).status).toBe(200);
    expect((await files(city1, fileId)).status).toBe(200);
    expect((await files(admin2, fileId)).status).toBe(403);
    expect((await jobs(admin2, jobId)).status).toBe(404);
  });

  it("ORG-11: a photo stored for a candidate is a personal-data file: never downloadable by finance staff", async () => {
    const { reg } = await makeRegistration({ siteId: site1, sittingId, photo: true });
    const photo = await getDb()
      .selectFrom("photo")
      .select("file_id")
      .where("id", "=", reg.photo_id!)
      .executeTakeFirstOrThrow();
    expect((await files(finance1, photo.file_id)).status).toBe(403);
  });

  it("ORG-11: a job whose requester is finance staff is refused by the runner, whatever its handler", async () => {
    const id = await enqueueJob(
      candidateExportJob,
      { scopeOrgId: site1, sittingId, filter: "", locale: "zh-CN" },
      { accountId: financeAccount, orgId: site1, sittingId },
    );
    await waitForInlineIdle();
    const job = await getDb().selectFrom("job").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: "failed", error: "access.denied", result: null });
    expect(
      await getDb().selectFrom("stored_file").select("id").where("created_by", "=", financeAccount).execute(),
    ).toEqual([]);
  });

  it("ORG-2/ORG-7: the runner refuses a payload outside the requester's scope, and a writing job of a past sitting", async () => {
    const cq = await orgId("500101");
    const wide = await enqueueJob(
      candidateExportJob,
      { scopeOrgId: cq, sittingId, filter: "", locale: "zh-CN" },
      { accountId: adminAccount, orgId: site1, sittingId },
    );
    const past = await enqueueJob(
      photoCheckJob,
      { siteId: site1, locale: "zh-CN", actorName: "x", ip: null },
      { accountId: adminAccount, orgId: site1, sittingId: pastSittingId },
    );
    await waitForInlineIdle();
    const rows = await getDb()
      .selectFrom("job")
      .select(["id", "status", "error"])
      .where("id", "in", [wide, past])
      .execute();
    expect(rows.find((r) => r.id === wide)).toMatchObject({ status: "failed", error: "scope.denied" });
    expect(rows.find((r) => r.id === past)).toMatchObject({ status: "failed", error: "sitting.read_only" });
  });

  it("ORG-7: an export of a past sitting stays readable to whoever may read it (read-only)", async () => {
    const id = await enqueueJob(
      candidateExportJob,
      { scopeOrgId: site1, sittingId: pastSittingId, filter: "", locale: "zh-CN" },
      { accountId: adminAccount, orgId: site1, sittingId: pastSittingId },
    );
    await waitForInlineIdle();
    const job = await getDb().selectFrom("job").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(job.status, String(job.error)).toBe("done");
    expect((await jobs(admin1, id)).status).toBe(200);
    expect((await jobs(finance1, id)).status).toBe(403);
  });

  it("ORG-4: a disabled organisation's admin gets nothing from /jobs and /files, not even its own export", async () => {
    await makeRegistration({ siteId: site1, sittingId, photo: false });
    const { jobId, fileId } = await adminExport();
    const off = await act(orgsRoute, "/admin/orgs", city1, { intent: "set-enabled", orgId: site1, enabled: "false" });
    expect(off.data.ok).toBe(true);
    try {
      const j = await jobs(admin1, jobId);
      expect(j.status).toBe(403);
      expect(j.data.message).toContain("未启用");
      expect((await files(admin1, fileId)).status).toBe(403);
      // A job it queued before being disabled does not run either.
      const queued = await enqueueJob(
        candidateExportJob,
        { scopeOrgId: site1, sittingId, filter: "", locale: "zh-CN" },
        { accountId: adminAccount, orgId: site1, sittingId },
      );
      await waitForInlineIdle();
      expect(
        await getDb().selectFrom("job").select(["status", "error"]).where("id", "=", queued).executeTakeFirstOrThrow(),
      ).toEqual({ status: "failed", error: "auth.org_disabled" });
    } finally {
      await act(orgsRoute, "/admin/orgs", city1, { intent: "set-enabled", orgId: site1, enabled: "true" });
    }
    expect((await files(admin1, fileId)).status).toBe(200);
  });

  it("ORG-11: an administrator removed from the organisation no longer reads the jobs it started", async () => {
    const db = getDb();
    const email = "leaver990101@example.com";
    const acc = await db
      .insertInto("account")
      .values({ id: crypto.randomUUID(), email, mobile: null, name: "离职", password_hash: "x", role: "admin" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("membership")
      .values({ account_id: acc.id, org_id: site1, sitting_id: sittingId, role: "admin", name: "离职" })
      .execute();
    const leaver = await sessionCookie(email);
    const started = await act(exportRoute, "/admin/candidates/export", leaver, {});
    const jobId = new URL(started.location!, "http://x").searchParams.get("job")!;
    await waitForInlineIdle();
    expect((await jobs(leaver, jobId)).status).toBe(200);
    // Demoted to finance: the requester's own job is no longer readable (the same rule as for anyone).
    await db.updateTable("membership").set({ role: "finance" }).where("account_id", "=", acc.id).execute();
    expect((await jobs(leaver, jobId)).status).toBe(403);
  });

  it("ORG-11: a candidate gets no job or file at all", async () => {
    const { jobId, fileId } = await adminExport();
    const candidate = await sessionCookie("candidate@example.com");
    expect((await jobs(candidate, jobId)).location).toBe("/candidate");
    expect((await files(candidate, fileId)).location).toBe("/candidate");
  });

  it("ORG-11: every admin route names the capability it needs (no bare requireAdmin outside the layout)", () => {
    const dir = path.join(__dirname, "../../app/routes");
    const bare = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith("admin.") && f !== "admin.tsx")
      .filter((f) => /\brequireAdmin\(/.test(fs.readFileSync(path.join(dir, f), "utf8")));
    expect(bare).toEqual([]);
  });

  it("ORG-11: finance staff may still ask the gateway about a payment (finance's own change), nothing else on a candidate page", async () => {
    const { reg } = await makeRegistration({ siteId: site1, sittingId, photo: false });
    const refresh = await run(() =>
      candidateRoute.action({
        request: makeRequest(`/admin/candidates/${reg.id}`, { cookie: finance1, form: { intent: "refresh_payment" } }),
        params: { id: String(reg.id) },
        context: {},
      }),
    );
    expect(refresh.status).toBe(200);
    const lock = await act(
      candidateRoute,
      `/admin/candidates/${reg.id}`,
      finance1,
      { intent: "lock" },
      { id: String(reg.id) },
    );
    expect(lock.status).toBe(403);
  });
});
