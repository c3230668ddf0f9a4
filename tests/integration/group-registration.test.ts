import ExcelJS from "exceljs";
import { sql } from "kysely";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as importRoute from "../../app/routes/admin.group.import";
import * as templateRoute from "../../app/routes/admin.group.template";
import * as credentialsRoute from "../../app/routes/admin.group.credentials.$id";
import * as filesRoute from "../../app/routes/files.$id";
import * as loginRoute from "../../app/routes/login";
import * as changePasswordRoute from "../../app/routes/change-password";
import * as statusRoute from "../../app/routes/candidate._index";
import * as detailsRoute from "../../app/routes/candidate.details";
import * as entriesRoute from "../../app/routes/candidate.entries";
import * as payRoute from "../../app/routes/candidate.pay";
import * as notifyRoute from "../../app/routes/payments.notify.$provider";
import { settleSimulatedTxn, setSimDelivery } from "../../app/payments/simulated.server";
import { reviewRegistration } from "../../app/services/review-registration.server";
import { getDb } from "../../db/client";
import { findSeatDrift } from "../../db/queries/invariants";
import { getEnv } from "../../app/utils/env.server";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, auditCount, load, newCandidate, orgId, run, sessionCookie } from "../factories";
import zipBomb, { makeZip } from "../fixtures/zip-bomb";
import {
  emailOf,
  groupRow,
  groupXlsx,
  groupZip,
  rarBytes,
  sevenZipBytes,
  withEmail,
  zipOf,
} from "../fixtures/group-registrations";
import { shown } from "../factories/shown";

let site1: string, site2: string, site201: string, city: string, finance: string;
let id990101: number, id990102: number, id990201: number, sittingId: number;

beforeAll(async () => {
  [site1, site2, site201, city, finance] = await Promise.all(
    ["site990101", "site990102", "site990201", "city9901", "finance990101"].map((u) =>
      sessionCookie(`${u}@example.com`),
    ),
  );
  [id990101, id990102, id990201] = await Promise.all(["990101", "990102", "990201"].map(orgId));
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  // SET-1: group registration (and payment) are off by default; 990101 switches them on.
  await getDb()
    .updateTable("site_setting")
    .set({ group_registration: true, group_payment: true })
    .where("org_id", "=", id990101)
    .where("sitting_id", "=", sittingId)
    .execute();
  // Payment notifications go straight to the route module, as the gateway would post them.
  setSimDelivery(async (_url, body) => {
    const r = await notifyRoute.action({
      request: new Request("http://localhost:3000/payments/notify/simulated", { method: "POST", body }),
      params: { provider: "simulated" },
      context: {},
    });
    return { status: r.status, body: await r.text() };
  });
});

afterAll(() => setSimDelivery(undefined));

async function upload(
  cookie: string,
  data: Buffer,
  opts: { name?: string; overwrite?: boolean; fields?: Record<string, string> } = {},
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(opts.fields ?? {})) form.append(k, v);
  form.append("file", new Blob([new Uint8Array(data)]), opts.name ?? "集体报名.zip");
  if (opts.overwrite) form.append("overwrite", "on");
  const request = new Request("http://localhost:3000/admin/group/import", {
    method: "POST",
    body: form,
    headers: { Cookie: cookie, "x-kaowu-client-ip": "127.0.0.1" },
  });
  const r = await run(() => importRoute.action({ request, params: {}, context: {} }));
  await waitForInlineIdle();
  return r;
}

async function page(cookie: string) {
  return (await load(importRoute, "/admin/group/import", cookie)).data;
}

async function lastResult(cookie: string) {
  return shown((await page(cookie)).last?.result);
}

/** Uploads and returns the job's result, asserting the upload itself was accepted. */
async function importFile(
  cookie: string,
  data: Buffer,
  opts: { overwrite?: boolean; fields?: Record<string, string> } = {},
) {
  const r = await upload(cookie, data, opts);
  expect(r.data, JSON.stringify(r.data)).toMatchObject({ ok: true });
  return lastResult(cookie);
}

const idOf = (row: Record<string, unknown>) => String(row["证件号码*"]);
const regOf = (idNumber: string) =>
  getDb()
    .selectFrom("registration")
    .selectAll()
    .where("id_number", "=", idNumber)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirst();
const entriesOf = async (regId: number) =>
  getDb().selectFrom("entry").selectAll().where("registration_id", "=", regId).orderBy("subject_code").execute();
const count = async (table: "registration" | "account" | "entry") =>
  Number(
    (
      await getDb()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The names of every file in the store's folder (a stored file's name is its id). */
function storeFileNames(): string[] {
  const root = path.join(getEnv().dataDir, "files");
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((rel) => fs.statSync(path.join(root, rel)).isFile())
    .map((rel) => path.basename(rel));
}

async function counters(siteId: number) {
  const total = await getDb()
    .selectFrom("site_setting")
    .select("total_taken")
    .where("org_id", "=", siteId)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirstOrThrow();
  const subjects = await getDb()
    .selectFrom("site_subject")
    .select(["subject_code", "taken"])
    .where("org_id", "=", siteId)
    .where("sitting_id", "=", sittingId)
    .orderBy("subject_code")
    .execute();
  return { total: total.total_taken, ...Object.fromEntries(subjects.map((s) => [s.subject_code, s.taken])) } as Record<
    string,
    number
  >;
}

/** The credentials route, as the browser would get it: the file, or the error's status and message. */
async function download(cookie: string, id: number | string) {
  try {
    const res = (await credentialsRoute.loader({
      request: new Request(`http://localhost:3000/admin/group/credentials/${id}`, { headers: { Cookie: cookie } }),
      params: { id: String(id) },
      context: {},
    })) as Response;
    if (res.headers.get("Content-Type")?.startsWith("text/html")) {
      // A refusal: a small page with the message.
      const html = await res.text();
      return { status: res.status, body: undefined, message: /<p role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1] };
    }
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()), message: undefined as string | undefined };
  } catch (e) {
    const o = await run(() => Promise.reject(e));
    return { status: o.status, body: undefined, message: (o.data as { message?: string } | undefined)?.message };
  }
}

async function credentialRows(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as Parameters<typeof wb.xlsx.load>[0]);
  const ws = wb.worksheets[0];
  const rows: Array<{ name: string; email: string; id: string; password: string }> = [];
  ws.eachRow((r, n) => {
    if (n === 1) return;
    const v = r.values as unknown[];
    rows.push({ name: String(v[2]), email: String(v[3]), id: String(v[4]), password: String(v[5]) });
  });
  return rows;
}

function cookieOf(headers?: Headers) {
  return (headers?.get("Set-Cookie") ?? "").split(";")[0];
}

/** ORG-9: logs in with a one-time password and sets a new one; returns the session cookie. */
async function firstLogin(email: string, oneTimePassword: string) {
  const login = await act(loginRoute, "/login", undefined, { login: email, password: oneTimePassword });
  expect(login.location).toBe("/change-password");
  const cookie = cookieOf(login.headers);
  const changed = await act(changePasswordRoute, "/change-password", cookie, {
    current: oneTimePassword,
    next: "Group-pass-2026",
    confirm: "Group-pass-2026",
  });
  expect(changed.location).toBe("/candidate?changed=1");
  return cookie;
}

describe("GRP-1: template, switch and upload format", () => {
  it("GRP-1: outside a site with group registration switched on, nothing can be imported", async () => {
    const before = await count("registration");
    const r = await upload(site201, await groupZip([groupRow(0, {}, "off")]));
    expect(r.status).toBe(403);
    expect(r.data.error).toContain("未启用集体报名");
    expect((await page(site201)).enabled).toBe(false);
    expect(await count("registration")).toBe(before);
  });

  it("GRP-1: the template has the data sheet (text IDs and phones), instructions, samples and code tables with the site's subjects; its samples import cleanly", async () => {
    const res = (await templateRoute.loader({
      request: new Request("http://localhost/admin/group/template", { headers: { Cookie: site1 } }),
      params: {},
      context: {},
    })) as Response;
    expect(res.headers.get("Content-Disposition")).toContain(".xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["集体报名信息", "填写说明", "样例数据", "码表"]);
    const data = wb.getWorksheet("集体报名信息")!;
    const headers = (data.getRow(1).values as string[]).slice(1);
    expect(headers).toContain("证件号码*");
    expect(headers.some((h) => h.startsWith("电子邮箱*"))).toBe(true);
    expect(headers).toContain("报考科目");
    for (const h of ["证件号码*", "联系电话", "报考科目"])
      expect(data.getColumn(headers.indexOf(h) + 1).numFmt, h).toBe("@");
    expect(data.getCell("C2").dataValidation?.type).toBe("list");
    const codes = wb.getWorksheet("码表")!;
    const codeHeaders = codes.getRow(1).values as string[];
    const col = codeHeaders.indexOf("报考科目代码");
    expect(col).toBeGreaterThan(0);
    const subjects: string[] = [];
    codes.getColumn(col).eachCell((c, n) => {
      if (n > 1 && c.value !== null)
        subjects.push(`${String(c.value)} ${String(codes.getRow(n).getCell(col + 1).value)}`);
    });
    expect(subjects.map((s) => s.split(" ")[0])).toEqual(["14", "15", "24", "65", "66"]);
    expect(subjects[0].length).toBeGreaterThan(3); // with its name
    expect(JSON.stringify(wb.getWorksheet("填写说明")!.getColumn(1).values)).toContain(".zip");

    // Round trip: the sample rows, pasted into the data sheet of the downloaded workbook, import cleanly.
    const sample = wb.getWorksheet("样例数据")!;
    sample.eachRow((row, n) => {
      if (n > 1) data.addRow((row.values as unknown[]).slice(1));
    });
    const book = Buffer.from(await wb.xlsx.writeBuffer());
    const result = await importFile(site1, zipOf([{ name: "集体报名导入模板.xlsx", data: book }]));
    expect(result).toMatchObject({ ok: true, rows: 2, created: 2, accountsCreated: 2 });
  });

  it.each([
    ["a bare .xlsx", async () => groupXlsx([groupRow(0, {}, "bare")]), "名单.xlsx", "压缩成 .zip"],
    ["a RAR", async () => rarBytes(), "名单.rar", "RAR"],
    ["a RAR named .zip", async () => rarBytes(), "名单.zip", "RAR"],
    ["a 7z", async () => sevenZipBytes(), "名单.7z", "7z"],
    ["a PDF named .zip", async () => Buffer.from("%PDF-1.4\n%\u00e2\u00e3\n"), "名单.zip", "不是 .zip"],
  ])("GRP-1: %s is refused with a message to put the .xlsx into a .zip", async (_label, make, name, message) => {
    const before = await count("registration");
    const r = await upload(site1, await make(), { name });
    expect(r.status).toBe(400);
    expect(r.data.error).toContain(message);
    expect(r.data.error).toContain(".zip");
    expect(await count("registration")).toBe(before);
  });

  it("GRP-1: the zip holds exactly one .xlsx; only the data sheet is read, an extra sheet before it is fine", async () => {
    const book = await groupXlsx([groupRow(1, {}, "one")]);
    const two = await upload(
      site1,
      zipOf([
        { name: "a.xlsx", data: book },
        { name: "b.xlsx", data: book },
      ]),
    );
    expect(two.status).toBe(400);
    expect(two.data.error).toContain("只能有一个");
    const none = await upload(site1, zipOf([{ name: "说明.txt", data: Buffer.from("集体报名") }]));
    expect(none.data.error).toContain("没有 .xlsx");
    const renamed = await importFile(site1, await groupZip([groupRow(1, {}, "one")], { sheet: "Sheet1" }));
    expect(renamed.ok).toBe(false);
    expect(renamed.fatal).toContain("没有“集体报名信息”工作表");
    // Folders and macOS clutter in the zip are fine; so is a cover sheet before the data sheet.
    const ok = await importFile(
      site1,
      zipOf([
        { name: "报名/", data: Buffer.alloc(0) },
        { name: "__MACOSX/报名/._集体报名.xlsx", data: Buffer.from("junk") },
        { name: "报名/集体报名.xlsx", data: await groupXlsx([groupRow(1, {}, "one")], { extraSheetFirst: true }) },
      ]),
    );
    expect(ok).toMatchObject({ ok: true, created: 1 });
  });
});

describe("X-3: hostile zips change nothing", () => {
  const cases: Array<[string, () => Promise<Buffer>, string]> = [
    [
      "a zip with a ../ path",
      async () => makeZip([{ name: "../集体报名信息.xlsx", data: await groupXlsx([groupRow(2)]) }]),
      "不安全的路径",
    ],
    [
      "a zip bomb",
      async () => makeZip([{ name: "集体报名信息.xlsx", data: Buffer.alloc(200 * 1024 * 1024) }]),
      "压缩炸弹",
    ],
    [
      "a workbook that is itself a zip bomb",
      async () => zipOf([{ name: "集体报名信息.xlsx", data: zipBomb() }]),
      "压缩炸弹",
    ],
    [
      "a zip inside the zip",
      async () =>
        zipOf([
          { name: "集体报名信息.xlsx", data: await groupXlsx([groupRow(3)]) },
          { name: "more.zip", data: zipOf([{ name: "x.xlsx", data: Buffer.from("x") }]) },
        ]),
      "不能再包含压缩包",
    ],
    [
      "a zip inside the zip under another name",
      async () =>
        zipOf([
          { name: "readme.dat", data: zipOf([{ name: "x.txt", data: Buffer.from("x") }]) },
          { name: "a.xlsx", data: await groupXlsx([groupRow(4)]) },
        ]),
      "不能再包含压缩包",
    ],
  ];
  it.each(cases)("X-3: %s is refused at upload with a clear message", async (_label, make, message) => {
    const before = await count("registration");
    const r = await upload(site1, await make());
    expect(r.status).toBe(400);
    expect(r.data.error).toContain(message);
    expect(await count("registration")).toBe(before);
  });
});

let oneTime: { email: string; password: string } | undefined;
let candidateCookie = "";

describe("GRP-4 / ORG-9: accounts and the credentials sheet", () => {
  it("GRP-4: the e-mail is required; a row without one fails the whole file", async () => {
    const before = await count("registration");
    const rows = [groupRow(10, {}, "acc"), withEmail(groupRow(11, {}, "acc"), "")];
    const r = await importFile(site1, await groupZip(rows));
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([expect.objectContaining({ row: 3, column: "电子邮箱", message: "必填项为空。" })]);
    expect(await count("registration")).toBe(before);
  });

  it("GRP-4: an administrator's e-mail cannot become a candidate's account", async () => {
    const r = await importFile(site1, await groupZip([withEmail(groupRow(12, {}, "acc"), "site990102@example.com")]));
    expect(r.ok).toBe(false);
    expect(r.errors[0].message).toContain("管理员账号");
  });

  it("GRP-4/ORG-9: new e-mails get accounts with one-time passwords, existing candidate accounts are bound with their password; the credentials sheet downloads once, for this site's admin only", async () => {
    const existing = await newCandidate("老考生");
    const rowNew = groupRow(13, {}, "acc");
    const rowOld = withEmail(groupRow(14, { 报考科目: "15；65" }, "acc"), existing.email.toUpperCase());
    const accountsBefore = await count("account");
    const result = await importFile(site1, await groupZip([rowNew, rowOld]));
    expect(result).toMatchObject({ ok: true, created: 2, accountsCreated: 1, accountsBound: 1, entriesAdded: 3 });
    expect(await count("account")).toBe(accountsBefore + 1);

    const made = await getDb()
      .selectFrom("account")
      .selectAll()
      .where("email", "=", emailOf(rowNew))
      .executeTakeFirstOrThrow();
    expect(made).toMatchObject({ role: "candidate", must_change_password: true, name: "集体14" });
    // GRP-2/ORG-9 (decision 0046): the generated one-time password is stored as a keyed HMAC, not Argon2.
    expect(made.password_hash).toMatch(/^\$otp-hmac-sha256\$k=[A-Za-z0-9_-]{8}\$[A-Za-z0-9_-]{43}$/);
    const regNew = (await regOf(idOf(rowNew)))!;
    expect(regNew).toMatchObject({
      account_id: made.id,
      channel: "group",
      org_id: id990101,
      hold_until: null,
      email: emailOf(rowNew),
    });
    const regOld = (await regOf(idOf(rowOld)))!;
    expect(regOld.account_id).toBe(existing.id);
    const old = await getDb().selectFrom("account").selectAll().where("id", "=", existing.id).executeTakeFirstOrThrow();
    expect(old).toMatchObject({ password_hash: "x", must_change_password: false });
    expect((await entriesOf(regOld.id)).map((e) => [e.subject_code, e.hold_until])).toEqual([
      ["15", null],
      ["65", null],
    ]);

    // The page offers the sheet once.
    const p = await page(site1);
    // GRP-4: the sheet lists the new account with its one-time password and the bound one as "own password".
    expect(p.credentials).toMatchObject({ accounts: 2, ready: true, downloaded_at: null });
    // Sheets of earlier imports that nobody downloaded stay on offer.
    expect(p.earlierSheets.map((s: { accounts: number }) => s.accounts)).toEqual([1, 2]);
    const sheetId = p.credentials.id as number;
    // ORG-2: another site's admin, a superior and the site's finance user get nothing.
    expect((await download(site2, sheetId)).status).toBe(404);
    expect((await download(city, sheetId)).status).toBe(404);
    expect((await download(finance, sheetId)).status).toBe(403);
    // The file is recorded without an organisation: /files never serves it, only the credentials route.
    const fileId = (
      await getDb().selectFrom("credential_sheet").select("file_id").where("id", "=", sheetId).executeTakeFirstOrThrow()
    ).file_id!;
    expect(
      (
        await run(() =>
          filesRoute.loader({
            request: new Request(`http://localhost/files/${fileId}`, { headers: { Cookie: site1 } }),
            params: { id: fileId },
            context: {},
          }),
        )
      ).status,
    ).toBe(404);
    const first = await download(site1, sheetId);
    expect(first.status).toBe(200);
    const rows = await credentialRows(first.body!);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ name: "集体14", email: emailOf(rowNew), id: idOf(rowNew).slice(-4) });
    expect(rows[0].password).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(rows[1]).toMatchObject({ email: existing.email, password: "已有账号，使用考生自己的密码" });
    expect(JSON.stringify(rows)).not.toContain(idOf(rowNew));
    oneTime = { email: rows[0].email, password: rows[0].password };

    const second = await download(site1, sheetId);
    expect(second.status).toBe(410);
    expect(second.message).toContain("已于");
    expect(second.message).toContain("张老师");
    // The stored file is gone once downloaded.
    const sheet = await getDb()
      .selectFrom("credential_sheet")
      .selectAll()
      .where("id", "=", sheetId)
      .executeTakeFirstOrThrow();
    expect(sheet.file_id).toBeNull();
    expect(sheet.downloaded_by).not.toBeNull();
    expect(
      await getDb().selectFrom("stored_file").select("id").where("id", "=", fileId).executeTakeFirst(),
    ).toBeUndefined();
    expect((await page(site1)).credentials.downloaded_at).not.toBeNull();
  });

  it("ORG-9: the first login with the one-time password must set a new password before anything else", async () => {
    expect(oneTime).toBeDefined();
    const login = await act(loginRoute, "/login", undefined, { login: oneTime!.email, password: oneTime!.password });
    expect(login.location).toBe("/change-password");
    const c = cookieOf(login.headers);
    expect((await load(statusRoute, "/candidate", c)).location).toBe("/change-password");
    const weak = await act(changePasswordRoute, "/change-password", c, {
      current: oneTime!.password,
      next: "abcdefgh",
      confirm: "abcdefgh",
    });
    expect(weak.data.error).toContain("容易被猜到");
    const ok = await act(changePasswordRoute, "/change-password", c, {
      current: oneTime!.password,
      next: "Group-pass-2026",
      confirm: "Group-pass-2026",
    });
    expect(ok.location).toBe("/candidate?changed=1");
    const status = await load(statusRoute, "/candidate", c);
    expect(status.status).toBe(200);
    candidateCookie = c;
  });

  it("GRP-4: a group candidate sees the status page but cannot change details or entries", async () => {
    const status = await load(statusRoute, "/candidate", candidateCookie);
    expect(status.data.registration).toMatchObject({ channel: "group", name: "集体14" });
    expect(status.data.status.lines.map((l: { key: string }) => l.key)).toContain("status.group");
    expect(status.data.entries.map((e: { code: string }) => e.code)).toEqual(["14"]);
    const fields = {
      site: id990101,
      name: "改名",
      gender: "1",
      birth_date: "2003-04-05",
      id_type: "1",
      id_number: (await regOf(oneTimeId()))!.id_number,
      ethnicity: "01",
      education: "20",
      occupation: "",
      department: "",
      major: "",
      class_name: "计科2401",
      student_no: "",
      phone: "",
      address: "",
      postcode: "",
      email: "",
    };
    const details = await act(detailsRoute, "/candidate/details", candidateCookie, fields);
    expect(details.data.error).toContain("集体报名");
    const body = new URLSearchParams([
      ["subject", "14"],
      ["subject", "15"],
    ]);
    const entries = await run(() =>
      entriesRoute.action({
        request: new Request("http://localhost:3000/candidate/entries", {
          method: "POST",
          body,
          headers: { Cookie: candidateCookie, "Content-Type": "application/x-www-form-urlencoded" },
        }),
        params: {},
        context: {},
      }),
    );
    expect(entries.data.error).toContain("集体报名");
    const reg = (await regOf(oneTimeId()))!;
    expect(reg.name).toBe("集体14");
    expect((await entriesOf(reg.id)).map((e) => e.subject_code)).toEqual(["14"]);
  });
});

function oneTimeId() {
  return idOf(groupRow(13, {}, "acc"));
}

describe("GRP-2: overwrite, lock, all-or-nothing", () => {
  const a = groupRow(30, { 报考科目: "14" }, "ow");
  const b = groupRow(31, {}, "ow");

  it("GRP-2: an existing ID without 'overwrite' fails the whole import", async () => {
    expect(await importFile(site1, await groupZip([a]))).toMatchObject({ ok: true, created: 1 });
    const r = await importFile(site1, await groupZip([{ ...a, "姓名*": "新名字" }, b]));
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([expect.objectContaining({ row: 2, column: "证件号码" })]);
    expect(r.errors[0].message).toContain("覆盖");
    expect(await regOf(idOf(b))).toBeUndefined();
    expect((await regOf(idOf(a)))!.name).toBe("集体31");
  });

  it("GRP-2/SR-3: a typo in one row and an existing ID in another are reported together", async () => {
    const r = await importFile(site1, await groupZip([{ ...a, "姓名*": "新名字" }, withEmail(b, "not-an-email")]));
    expect(r.ok).toBe(false);
    expect(r.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [2, "证件号码"],
      [3, "电子邮箱"],
    ]);
    expect(await regOf(idOf(b))).toBeUndefined();
  });

  it("GRP-2: with 'overwrite' it is updated (and the new row created); a locked one fails everything ('unlock first')", async () => {
    const before = (await regOf(idOf(a)))!;
    const r = await importFile(site1, await groupZip([{ ...a, "姓名*": "新名字", 报考科目: "14、65" }, b]), {
      overwrite: true,
    });
    expect(r).toMatchObject({
      ok: true,
      created: 1,
      updated: 1,
      entriesAdded: 2,
      entriesRemoved: 0,
      accountsBound: 1,
      accountsCreated: 1,
    });
    const after = (await regOf(idOf(a)))!;
    expect(after).toMatchObject({
      id: before.id,
      id_number: before.id_number,
      name: "新名字",
      account_id: before.account_id,
      channel: "group",
    });
    expect((await entriesOf(after.id)).map((e) => e.subject_code)).toEqual(["14", "65"]);
    // MGT-1 (decision 0057): the created registration came with its count, the updated one was counted
    // by the trigger; every count agrees with the entries.
    expect(after.entry_count).toBe(2);
    expect((await regOf(idOf(b)))!.entry_count).toBe(1);
    expect((await findSeatDrift(getDb(), 100)).filter((d) => d.kind === "entry_count")).toEqual([]);
    // the import and each overwritten registration are audited.
    expect(await auditCount("group.import")).toBeGreaterThan(0);
    const audit = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "registration.group_update")
      .where("entity_id", "=", String(after.id))
      .executeTakeFirstOrThrow();
    expect(audit.changes).toMatchObject({ name: ["集体31", "新名字"], entries: ["14", "14,65"] });

    await getDb().updateTable("registration").set({ locked: true }).where("id", "=", after.id).execute();
    const locked = await importFile(site1, await groupZip([{ ...a, "姓名*": "再改名" }, groupRow(32, {}, "ow")]), {
      overwrite: true,
    });
    expect(locked.ok).toBe(false);
    expect(locked.errors[0].message).toContain("解除锁定");
    expect((await regOf(idOf(a)))!.name).toBe("新名字");
    expect(await regOf(idOf(groupRow(32, {}, "ow")))).toBeUndefined();
    await getDb().updateTable("registration").set({ locked: false }).where("id", "=", after.id).execute();
  });

  it("GRP-2/SR-3: 3,001 rows with one bad ID on the last row import nothing, and the report names that row", async () => {
    const rows = Array.from({ length: 3001 }, (_, i) => groupRow(1000 + i, { 报考科目: "" }, "big"));
    const last = idOf(rows[3000]);
    rows[3000] = { ...rows[3000], "证件号码*": last.slice(0, 17) + (last[17] === "1" ? "2" : "1") };
    const before = await count("registration");
    const accounts = await count("account");
    const r = await importFile(site1, await groupZip(rows));
    expect(r.ok).toBe(false);
    expect(r.total).toBe(1);
    expect(r.errors).toEqual([expect.objectContaining({ row: 3002, column: "证件号码" })]);
    expect(r.errors[0].message).toContain("校验位");
    expect(r.reportFileId).toBeTruthy();
    expect(await count("registration")).toBe(before);
    expect(await count("account")).toBe(accounts);
  });
});

describe("GRP-3: what a group import never touches", () => {
  it("GRP-3: an online registration is never overwritten nor given entries, here or at another site", async () => {
    const row = groupRow(50, { 报考科目: "14；15" }, "on");
    const online = await getDb()
      .insertInto("registration")
      .values({
        sitting_id: sittingId,
        org_id: id990101,
        account_id: null,
        channel: "online",
        id_type: "1",
        id_number: idOf(row),
        name: "网报考生",
        gender: "1",
        birth_date: "2003-04-05",
        ethnicity: "01",
        education: "20",
        hold_until: new Date(Date.now() + 3_600_000),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const r = await importFile(site1, await groupZip([row]), { overwrite: true });
    expect(r.ok).toBe(false);
    expect(r.errors[0].message).toContain("个人网上报名");
    expect((await regOf(idOf(row)))!).toMatchObject({ id: online.id, name: "网报考生", channel: "online" });
    expect(await entriesOf(online.id)).toEqual([]);

    const elsewhere = groupRow(51, {}, "on");
    await getDb()
      .insertInto("registration")
      .values({
        sitting_id: sittingId,
        org_id: id990201,
        account_id: null,
        channel: "online",
        id_type: "1",
        id_number: idOf(elsewhere),
        name: "别处考生",
        gender: "1",
        birth_date: "2003-04-05",
        ethnicity: "01",
        education: "20",
      })
      .execute();
    const r2 = await importFile(site1, await groupZip([elsewhere]), { overwrite: true });
    expect(r2.errors[0].message).toContain("其他考点");
  });

  it("GRP-3: paid entries stay and cannot be dropped; unpaid ones follow the file; the ID number never changes", async () => {
    const row = groupRow(52, { 报考科目: "14；15" }, "paid");
    expect(await importFile(site1, await groupZip([row]))).toMatchObject({ ok: true, created: 1, entriesAdded: 2 });
    const reg = (await regOf(idOf(row)))!;
    const paid = (await entriesOf(reg.id)).find((e) => e.subject_code === "14")!;
    await getDb()
      .updateTable("entry")
      .set({ paid: true, fee_fen: 11000, paid_at: new Date() })
      .where("id", "=", paid.id)
      .execute();

    const c0 = await counters(id990101);
    const dropped = await importFile(site1, await groupZip([{ ...row, 报考科目: "15" }]), { overwrite: true });
    expect(dropped.ok).toBe(false);
    expect(dropped.errors[0].message).toContain("科目 14 已缴费");
    expect(await counters(id990101)).toEqual(c0);

    // The same ID typed in full-width characters is the same candidate (CAN-3): updated, not created.
    const fullWidth = idOf(row).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const r = await importFile(
      site1,
      await groupZip([{ ...row, "证件号码*": fullWidth, "姓名*": "改了名", 报考科目: "14；65" }]),
      { overwrite: true },
    );
    expect(r).toMatchObject({ ok: true, created: 0, updated: 1, entriesAdded: 1, entriesRemoved: 1 });
    const after = (await regOf(idOf(row)))!;
    expect(after).toMatchObject({ id: reg.id, id_number: idOf(row), name: "改了名" });
    const entries = await entriesOf(reg.id);
    expect(entries.map((e) => [e.subject_code, e.paid])).toEqual([
      ["14", true],
      ["65", false],
    ]);
    expect(entries[0].id).toBe(paid.id);
    const c1 = await counters(id990101);
    expect(c1).toEqual({ ...c0, "15": c0["15"] - 1, "65": c0["65"] + 1 });
  });
});

describe("CAN-4: capacity", () => {
  it("CAN-4: when a subject is short of seats the whole import fails, naming the subject and the seats missing; counters unchanged", async () => {
    const s = await getDb()
      .selectFrom("site_subject")
      .select(["taken", "capacity"])
      .where("org_id", "=", id990101)
      .where("sitting_id", "=", sittingId)
      .where("subject_code", "=", "66")
      .executeTakeFirstOrThrow();
    await getDb()
      .updateTable("site_subject")
      .set({ capacity: s.taken + 1 })
      .where("org_id", "=", id990101)
      .where("sitting_id", "=", sittingId)
      .where("subject_code", "=", "66")
      .execute();
    try {
      const rows = [70, 71, 72].map((i) => groupRow(i, { 报考科目: "66" }, "cap"));
      const before = {
        c: await counters(id990101),
        regs: await count("registration"),
        accounts: await count("account"),
        entries: await count("entry"),
      };
      const r = await importFile(site1, await groupZip(rows));
      expect(r.ok).toBe(false);
      expect(r.fatal).toContain("科目 66");
      expect(r.fatal).toContain("还差 2 个");
      expect(await counters(id990101)).toEqual(before.c);
      expect(await count("registration")).toBe(before.regs);
      expect(await count("account")).toBe(before.accounts);
      expect(await count("entry")).toBe(before.entries);
    } finally {
      await getDb()
        .updateTable("site_subject")
        .set({ capacity: s.capacity })
        .where("org_id", "=", id990101)
        .where("sitting_id", "=", sittingId)
        .where("subject_code", "=", "66")
        .execute();
    }
  });
});

describe("ORG-9: the credentials sheet and a rollback", () => {
  it("ORG-9: a write refused after the credentials sheet was started rolls back, and the sheet's bytes go with it", async () => {
    // The sheet is written while the registrations and entries are (decision 0057); a trigger stands
    // in for any write the database refuses after that.
    await sql`create function refuse_entry() returns trigger language plpgsql as $$
      begin raise exception 'refused by the test'; end $$`.execute(getDb());
    await sql`create trigger refuse_entry before insert on entry for each row execute function refuse_entry()`.execute(
      getDb(),
    );
    try {
      const before = { regs: await count("registration"), accounts: await count("account"), files: storeFileNames() };
      expect(before.files.length).toBeGreaterThan(0); // the folder the earlier imports wrote to
      const r = await upload(site1, await groupZip([80, 81, 82].map((i) => groupRow(i, {}, "sheet-rollback"))));
      expect(r.data).toMatchObject({ ok: true });
      expect((await page(site1)).last?.status).toBe("failed");
      expect(await count("registration")).toBe(before.regs);
      expect(await count("account")).toBe(before.accounts);
      const added = storeFileNames().filter((f) => !before.files.includes(f));
      const recorded = added.length
        ? await getDb().selectFrom("stored_file").select(["id", "kind"]).where("id", "in", added).execute()
        : [];
      // Every new file on disk has its row (no bytes without one), and none is a credentials sheet.
      expect(recorded.map((f) => f.id).sort()).toEqual(added.sort());
      expect(recorded.some((f) => f.kind === "credentials")).toBe(false);
    } finally {
      await sql`drop trigger refuse_entry on entry`.execute(getDb());
      await sql`drop function refuse_entry()`.execute(getDb());
    }
  });
});

describe("windows and scope", () => {
  it("WIN-3: 990102's registration-management window is closed: the import is refused with the window and its dates", async () => {
    await getDb()
      .updateTable("site_setting")
      .set({ group_registration: true })
      .where("org_id", "=", id990102)
      .where("sitting_id", "=", sittingId)
      .execute();
    const before = await count("registration");
    const r = await upload(site2, await groupZip([groupRow(80, { 报考科目: "" }, "win")]));
    expect(r.status).toBe(403);
    expect(r.data.error).toContain("报名管理时间");
    expect(r.data.error).toMatch(/\d{4}/);
    expect(await count("registration")).toBe(before);
    const p = await page(site2);
    expect(p.window.status).toBe("closed");
    expect(p.writable).toBe(false);
  });

  it("ORG-2: 990102's admin cannot import into 990101: the import always targets the admin's own site", async () => {
    const w = await getDb()
      .selectFrom("window")
      .selectAll()
      .where("org_id", "=", id990102)
      .where("sitting_id", "=", sittingId)
      .where("kind", "=", "registration")
      .executeTakeFirstOrThrow();
    await getDb()
      .updateTable("window")
      .set({ starts_at: new Date(Date.now() - 86_400_000), ends_at: new Date(Date.now() + 86_400_000) })
      .where("id", "=", w.id)
      .execute();
    try {
      const row = groupRow(81, { 报考科目: "" }, "scope");
      const r = await importFile(site2, await groupZip([row]), {
        fields: { siteId: String(id990101), org: String(id990101), orgId: String(id990101) },
      });
      expect(r).toMatchObject({ ok: true, created: 1 });
      expect((await regOf(idOf(row)))!.org_id).toBe(id990102);
      // And 990101's import page shows nothing of it.
      const job = await getDb()
        .selectFrom("job")
        .select(["org_id", "payload"])
        .where("type", "=", "group-registration-import")
        .orderBy("created_at", "desc")
        .executeTakeFirstOrThrow();
      expect(job.org_id).toBe(id990102);
      expect((job.payload as unknown as { siteId: number }).siteId).toBe(id990102);
    } finally {
      await getDb()
        .updateTable("window")
        .set({ starts_at: w.starts_at, ends_at: w.ends_at })
        .where("id", "=", w.id)
        .execute();
    }
  });
});

describe("GRP-5: review and payment", () => {
  it("GRP-5: a group candidate at a reviewing site waits for review, then pays through /candidate/pay like anyone else (PHO-6: the stored photo is re-linked)", async () => {
    await getDb()
      .updateTable("site_setting")
      .set({ group_registration: true })
      .where("org_id", "=", id990201)
      .where("sitting_id", "=", sittingId)
      .execute();
    const row = groupRow(90, { 报考科目: "14", 班级: "" }, "rev");
    // PHO-6: a photo stored earlier for this ID at this site (e.g. by a photo import).
    const fileId = randomUUID();
    await getDb()
      .insertInto("stored_file")
      .values({
        id: fileId,
        kind: "photo",
        name: "p.jpg",
        path: `x/${fileId}`,
        size: 1,
        content_type: "image/jpeg",
        org_id: id990201,
        sitting_id: sittingId,
        created_by: null,
      })
      .execute();
    const photo = await getDb()
      .insertInto("photo")
      .values({
        sitting_id: sittingId,
        org_id: id990201,
        id_number: idOf(row),
        file_id: fileId,
        width: 390,
        height: 567,
        bytes: 30000,
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    const result = await importFile(site201, await groupZip([row]));
    expect(result).toMatchObject({ ok: true, created: 1, accountsCreated: 1 });
    const reg = (await regOf(idOf(row)))!;
    expect(reg).toMatchObject({
      org_id: id990201,
      channel: "group",
      review_status: "pending",
      photo_id: photo.id,
      hold_until: null,
    });

    const sheet = await download(site201, (await page(site201)).credentials.id);
    const [cred] = await credentialRows(sheet.body!);
    const cookie = await firstLogin(cred.email, cred.password);

    const waiting = await load(payRoute, "/candidate/pay", cookie);
    expect(waiting.data.refusal).toBe("pay.review_pending");
    const refused = await act(payRoute, "/candidate/pay", cookie, { intent: "pay" });
    expect(refused.status).toBe(409);

    await getDb()
      .transaction()
      .execute((trx) =>
        reviewRegistration(trx, { accountId: null, name: "王老师", orgId: id990201, sittingId, ip: null }, reg.id, {
          pass: true,
        }),
      );
    const ready = await load(payRoute, "/candidate/pay", cookie);
    expect(ready.data.refusal).toBeNull();
    expect(ready.data.due.total).toBe(1000 + 11000);
    const start = await act(payRoute, "/candidate/pay", cookie, { intent: "pay" });
    expect(start.status).toBe(302);
    const settled = await settleSimulatedTxn(start.location!.split("/").pop()!, "success", {
      delayMs: 50,
      backoffMs: 1,
    });
    await settled.delivered;
    const entries = await entriesOf(reg.id);
    expect(entries.map((e) => [e.subject_code, e.paid])).toEqual([["14", true]]);
  });
});
