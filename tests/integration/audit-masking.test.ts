import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "../../app/routes/admin.audit";
import * as detailsRoute from "../../app/routes/candidate.details";
import * as recordsRoute from "../../app/routes/admin.records._index";
import * as jobsRoute from "../../app/routes/jobs.$id";
import * as filesRoute from "../../app/routes/files.$id";
import { getDb } from "../../db/client";
import { maskAuditLog } from "../../db/migrations/20261204_0010_privacy";
import { recordAudit } from "../../app/services/audit.server";
import { importStudentRecords } from "../../app/services/import-student-records.server";
import { releaseExpiredHolds } from "../../app/services/release-expired-holds.server";
import type { StudentRecordImportValue } from "../../app/domain/student-record";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, load, newCandidate, orgId, residentId, sessionCookie } from "../factories";
import { makeRegistration } from "../factories/registrations";

// Issue 12 item 6: the audit log masks personal data, SR-4 take-overs reach the losing site's log.

const WHOLE_ID = /(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])/;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
const EMAIL = /[^\s@"]+@[^\s@"]+\.[a-z]{2,}/i;

let site1: string, site201: string, city1: string, id990101: number, id990201: number, sittingId: number;

beforeAll(async () => {
  [site1, site201, city1] = await Promise.all(
    ["site990101", "site990201", "city9901"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  [id990101, id990201] = await Promise.all(["990101", "990201"].map(orgId));
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
});

function recordForm(id: string, extra: Record<string, string> = {}) {
  return {
    name: "钱学生",
    gender: "2",
    birth_date: "2006-03-04",
    id_type: "1",
    id_number: id,
    ethnicity: "01",
    education: "20",
    phone: "13700001234",
    email: "qian@example.com",
    address: "测试省第一地市学府路9号",
    postcode: "310013",
    class_name: "",
    ...extra,
  };
}

function recordValue(id: string, name: string): StudentRecordImportValue {
  return {
    id_type: "1",
    id_number: id,
    name,
    gender: "1",
    birth_date: "2006-05-06",
    ethnicity: "01",
    education: "20",
    occupation: "",
    training_type: "",
    student_no: "",
    department: "",
    major: "",
    class_name: "",
    phone: "13600005678",
    email: "imp@example.com",
    address: "某路1号",
    postcode: "100000",
    remark: "",
    eligible_sites: null,
  };
}

async function scanAuditLog() {
  const rows = await getDb()
    .selectFrom("audit_log")
    .select(["id", "action", "entity_type", "entity_id", "changes", "actor_name"])
    .execute();
  return rows.filter((r) => {
    const text = `${r.entity_id} ${JSON.stringify(r.changes)}`;
    return WHOLE_ID.test(text) || (r.entity_type !== "org" && (MOBILE.test(text) || EMAIL.test(text)));
  });
}

describe("the audit log masks personal data (X-1, X-4, SR-4)", () => {
  it("X-1/X-4: no whole ID number, phone or e-mail in any audit row after registration, record add/update/take-over/delete, import, hold release and group update", async () => {
    // Registration create and update by the candidate.
    const c = await newCandidate("孙考生");
    const regId = residentId("2004-08-09", 421);
    const form = {
      site: id990101,
      name: "孙考生",
      gender: "1",
      birth_date: "2004-08-09",
      id_type: "1",
      id_number: regId,
      ethnicity: "01",
      education: "20",
      occupation: "",
      department: "",
      major: "",
      class_name: "计科2401",
      student_no: "",
      phone: "13800003333",
      address: "北京市海淀区",
      postcode: "100080",
      email: "sun@example.com",
    };
    expect((await act(detailsRoute, "/candidate/details", c.cookie, form)).status).toBe(302);
    expect(
      (
        await act(detailsRoute, "/candidate/details", c.cookie, {
          ...form,
          phone: "13800004444",
          email: "sun2@example.com",
        })
      ).status,
    ).toBe(302);
    // Student records: add, edit, delete at 990101; a take-over by 990201 (another city) of one of them.
    const recId = residentId("2006-03-04", 422, true);
    expect((await act(recordsRoute, "/admin/records", site1, { intent: "add", ...recordForm(recId) })).data.ok).toBe(
      true,
    );
    const rec = await getDb()
      .selectFrom("student_record")
      .select("id")
      .where("id_number", "=", recId)
      .executeTakeFirstOrThrow();
    expect(
      (
        await act(recordsRoute, "/admin/records", site1, {
          intent: "edit",
          id: rec.id,
          ...recordForm(recId, { phone: "13700005678" }),
        })
      ).data.ok,
    ).toBe(true);
    const takenId = residentId("2006-03-04", 423, true);
    expect((await act(recordsRoute, "/admin/records", site1, { intent: "add", ...recordForm(takenId) })).data.ok).toBe(
      true,
    );
    expect(
      (
        await act(recordsRoute, "/admin/records", site201, {
          intent: "add",
          ...recordForm(takenId, { name: "钱学生二" }),
        })
      ).data.ok,
    ).toBe(true);
    expect((await act(recordsRoute, "/admin/records", site1, { intent: "delete", id: rec.id })).data.ok).toBe(true);
    // An import that takes records over.
    const actor = { accountId: null, name: "测试", orgId: id990201, sittingId, ip: null };
    const importedId = residentId("2006-05-06", 424);
    await importStudentRecords(actor, id990101, [{ row: 2, value: recordValue(importedId, "导入生") }], false);
    expect(
      (await importStudentRecords(actor, id990201, [{ row: 2, value: recordValue(importedId, "导入生") }], false)).ok,
    ).toBe(true);
    // A hold released by the scheduler (the registration goes, with its ID number).
    await makeRegistration({
      siteId: id990101,
      sittingId,
      subjects: ["14"],
      hold: new Date(Date.now() - 60_000),
      photo: false,
    });
    await releaseExpiredHolds();
    // A caller that passes whole personal data (as the group import's update does) is masked by the writer.
    await recordAudit(getDb(), actor, {
      action: "registration.group_update",
      entityType: "registration",
      entityId: 1,
      before: { id_number: regId, phone: "13800003333", remark: `换号 ${regId}` },
      after: { id_number: regId, phone: "13900009999", email: "x@example.com" },
    });

    const leaks = await scanAuditLog();
    expect(leaks.map((r) => `${r.action} ${r.entity_id} ${JSON.stringify(r.changes)}`)).toEqual([]);
    const created = await getDb()
      .selectFrom("audit_log")
      .select(["entity_id", "changes"])
      .where("action", "=", "registration.create")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    const reg = await getDb()
      .selectFrom("registration")
      .select("id")
      .where("id_number", "=", regId)
      .executeTakeFirstOrThrow();
    expect(created.entity_id).toBe(String(reg.id));
    expect((created.changes as Record<string, unknown>).id_number).toEqual([null, `**************${regId.slice(-4)}`]);
    expect((created.changes as Record<string, unknown>).phone).toEqual([null, "***"]);
    // Records are named by their row id.
    const add = await getDb()
      .selectFrom("audit_log")
      .select("entity_id")
      .where("action", "=", "records.add")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(add.entity_id).toMatch(/^\d+$/);
  });

  it("SR-4: a cross-branch take-over of a student record leaves an entry in the losing site's log, on its audit page", async () => {
    const id = residentId("2006-03-04", 425, true);
    expect((await act(recordsRoute, "/admin/records", site1, { intent: "add", ...recordForm(id) })).data.ok).toBe(true);
    const rec = await getDb()
      .selectFrom("student_record")
      .select("id")
      .where("id_number", "=", id)
      .executeTakeFirstOrThrow();
    expect((await act(recordsRoute, "/admin/records", site201, { intent: "add", ...recordForm(id) })).data.ok).toBe(
      true,
    );
    const lost = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "records.taken_over")
      .where("entity_id", "=", String(rec.id))
      .executeTakeFirstOrThrow();
    expect(lost.org_id).toBe(id990101);
    const page = await load(auditRoute, "/admin/audit?action=records.taken_over", site1);
    expect(page.data.rows.map((r: { id: string | number }) => String(r.id))).toContain(String(lost.id));
    // The import path: one entry per losing site with the count.
    const a = residentId("2006-05-06", 426),
      b = residentId("2006-05-06", 427);
    const actor = { accountId: null, name: "测试", orgId: id990101, sittingId, ip: null };
    await importStudentRecords(
      actor,
      id990101,
      [
        { row: 2, value: recordValue(a, "甲") },
        { row: 3, value: recordValue(b, "乙") },
      ],
      false,
    );
    await importStudentRecords(
      { ...actor, orgId: id990201 },
      id990201,
      [
        { row: 2, value: recordValue(a, "甲") },
        { row: 3, value: recordValue(b, "乙") },
      ],
      false,
    );
    const bulk = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "records.taken_over")
      .where("org_id", "=", id990101)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(bulk.changes).toMatchObject({ count: [2, null], org_id: [id990101, id990201] });
  });

  it("X-4: the migration masks audit entries written before the writer masked them", async () => {
    const id = residentId("2003-03-03", 428);
    const row = await getDb()
      .insertInto("audit_log")
      .values({
        actor_name: "旧",
        org_id: id990101,
        sitting_id: sittingId,
        action: "records.add",
        entity_type: "student_record",
        entity_id: id,
        changes: JSON.stringify({
          id_number: [null, id],
          phone: [null, "13512345678"],
          email: [null, "old@example.com"],
          filter: [null, `idNumber=${id}`],
        }),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await maskAuditLog(getDb());
    const after = await getDb()
      .selectFrom("audit_log")
      .select(["entity_id", "changes"])
      .where("id", "=", row.id)
      .executeTakeFirstOrThrow();
    expect(after.entity_id).toBe(`**************${id.slice(-4)}`);
    expect(after.changes).toEqual({
      id_number: [null, `**************${id.slice(-4)}`],
      phone: [null, "***"],
      email: [null, "***"],
      filter: [null, `idNumber=**************${id.slice(-4)}`],
    });
    expect(await scanAuditLog()).toEqual([]);
  });

  it("X-1: the audit export holds exactly the rows the page counts, the administrator's own log-ins included", async () => {
    const me = await getDb()
      .selectFrom("account")
      .select(["id", "name"])
      .where("email", "=", "city9901@example.com")
      .executeTakeFirstOrThrow();
    for (const action of ["account.login", "account.login", "account.set_locale"] as const) {
      await recordAudit(
        getDb(),
        { accountId: me.id, name: me.name, orgId: null, sittingId: null, ip: "127.0.0.1" },
        { action, entityType: "account", entityId: me.id },
      );
    }
    for (const filter of ["", "?action=account."]) {
      const page = await load(auditRoute, `/admin/audit${filter}`, city1);
      expect(page.data.total).toBeGreaterThanOrEqual(filter ? 3 : 4);
      const started = await act(auditRoute, `/admin/audit${filter}`, city1, {});
      await waitForInlineIdle();
      const jobId = started.data.jobId as string;
      const status = await load(jobsRoute, `/jobs/${jobId}`, city1, { id: jobId });
      expect(status.data.status).toBe("done");
      const fileId = status.data.result.fileId as string;
      const dl = (await filesRoute.loader({
        request: new Request(`http://localhost/files/${fileId}`, { headers: { Cookie: city1 } }),
        params: { id: fileId },
        context: {},
      })) as Response;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await dl.arrayBuffer()) as unknown as Parameters<typeof wb.xlsx.load>[0]);
      expect(wb.worksheets[0].actualRowCount - 1, `export of /admin/audit${filter}`).toBe(page.data.total);
      expect(status.data.result.rows).toBe(page.data.total);
    }
  });
});
