import { randomUUID } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as adminLayout from "../../app/routes/admin";
import * as accountsRoute from "../../app/routes/admin.finance.accounts";
import { listSettlementAccounts } from "../../app/services/settlement-accounts.server";
import { getDb } from "../../db/client";
import type { MemberRole } from "../../db/schema";
import { act, auditCount, load, orgId, sessionCookie, type FormFields } from "../factories";

// FIN-1 (issue 20 item 1, manual §四十五): settlement accounts of a site, with ORG-2 scope and
// ORG-11 roles. Site 990101 has the seed's account of sitting 78 (96758110300000111).
const PAGE = "/admin/finance/accounts";
const SEED_NO = "96758110300000111";

let finance1: string, admin1: string, admin2: string, city1: string, city2: string, province: string, centre: string;
let finance2: string, invigilator1: string, candidate: string;
let site1: number, site2: number, sittingId: number, pastId: number;

const account = (over: Record<string, string> = {}) => ({
  intent: "add",
  bank: "中国建设银行测试省分行",
  bank_code: "105100000017",
  account_name: "测试大学",
  account_no: "6227 0011 2233 4455 667",
  account_type: "basic",
  remark: "",
  ...over,
});

async function member(email: string, code: string, role: MemberRole) {
  const id = randomUUID();
  await getDb()
    .insertInto("account")
    .values({ id, email, mobile: null, name: email.split("@")[0], password_hash: "x", role: "admin" })
    .execute();
  await getDb()
    .insertInto("membership")
    .values({ account_id: id, org_id: await orgId(code), sitting_id: sittingId, role, name: "测试" })
    .execute();
  return sessionCookie(email);
}

const rowsOf = (siteId: number, sitting = sittingId) =>
  getDb()
    .selectFrom("settlement_account")
    .selectAll()
    .where("org_id", "=", siteId)
    .where("sitting_id", "=", sitting)
    .orderBy("id")
    .execute();

const auditTotal = async () =>
  Number(
    (
      await getDb()
        .selectFrom("audit_log")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("action", "like", "settlement_account.%")
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  const db = getDb();
  sittingId = (await db.selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()).id;
  pastId = (await db.selectFrom("sitting").select("id").where("code", "=", "78").executeTakeFirstOrThrow()).id;
  [site1, site2] = await Promise.all([orgId("990101"), orgId("990102")]);
  [finance1, admin1, admin2, city1, city2, province, centre, candidate] = await Promise.all(
    ["finance990101", "site990101", "site990102", "city9901", "city9902", "province99", "centre", "candidate"].map(
      (u) => sessionCookie(`${u}@example.com`),
    ),
  );
  finance2 = await member("finance990102@example.com", "990102", "finance");
  invigilator1 = await member("invigilator990101@example.com", "990101", "invigilator");
});

// Each test starts with no account in the current sitting (the seed's is in sitting 78).
beforeEach(async () => {
  await getDb().deleteFrom("settlement_account").where("sitting_id", "=", sittingId).execute();
});

describe("settlement accounts (FIN-1)", () => {
  it("FIN-1/ORG-11: the site's finance staff add, edit and delete an account, each audited with the number masked", async () => {
    const added = await act(
      accountsRoute,
      PAGE,
      finance1,
      account({ account_no: "６２２７ ００１１ ２２３３ ４４５５ ６６７" }),
    );
    expect(added.status).toBe(200);
    expect(added.data).toMatchObject({ ok: true, intent: "add" });
    expect(added.data.messages[0]).toEqual({ key: "accounts.added", params: { account: "**** **** 5667" } });
    const [row] = await rowsOf(site1);
    expect(row).toMatchObject({ account_no: "6227001122334455667", bank_code: "105100000017", account_type: "basic" });

    // The list masks the number; the edit form shows it whole.
    const list = await load(accountsRoute, PAGE, finance1);
    expect(list.data).toMatchObject({ writable: true, readOnly: null });
    expect(list.data.rows).toEqual([expect.objectContaining({ id: row.id, account_no: "**** **** 5667" })]);
    expect(JSON.stringify(list.data)).not.toContain("6227001122334455667");
    const edit = await load(accountsRoute, `${PAGE}?edit=${row.id}`, finance1);
    expect(edit.data.editing).toMatchObject({ id: row.id, account_no: "6227001122334455667", bank: row.bank });

    const updated = await act(accountsRoute, PAGE, finance1, {
      ...account({ account_no: "6227001122334455667", account_type: "site_fee", remark: "报名费专户" }),
      intent: "update",
      id: row.id,
    });
    expect(updated.data.messages[0]).toEqual({ key: "accounts.updated", params: { account: "**** **** 5667" } });
    expect((await rowsOf(site1))[0]).toMatchObject({ account_type: "site_fee", remark: "报名费专户" });

    // The confirmation step shows the account (masked) before the delete is sent.
    const confirm = await load(accountsRoute, `${PAGE}?delete=${row.id}`, finance1);
    expect(confirm.data.deleting).toMatchObject({ id: row.id, account_no: "**** **** 5667" });
    const deleted = await act(accountsRoute, PAGE, finance1, { intent: "delete", id: row.id });
    expect(deleted.data.messages[0]).toEqual({ key: "accounts.deleted", params: { account: "**** **** 5667" } });
    expect(await rowsOf(site1)).toEqual([]);

    for (const a of ["settlement_account.add", "settlement_account.update", "settlement_account.delete"])
      expect(await auditCount(a)).toBe(1);
    const logged = await getDb()
      .selectFrom("audit_log")
      .select(["changes", "org_id", "entity_type"])
      .where("action", "like", "settlement_account.%")
      .execute();
    expect(logged.every((l) => l.org_id === site1 && l.entity_type === "settlement_account")).toBe(true);
    const text = JSON.stringify(logged);
    expect(text).not.toContain("6227001122334455667");
    expect(text).toContain("**** **** 5667");
    expect(text).toContain("site_fee");
  });

  it("FIN-1/ORG-11: the site's administrator adds and changes accounts too", async () => {
    const added = await act(accountsRoute, PAGE, admin1, account({ account_no: "12345678" }));
    expect(added.data.ok).toBe(true);
    const [row] = await rowsOf(site1);
    expect(row.account_no).toBe("12345678");
    const updated = await act(accountsRoute, PAGE, admin1, {
      ...account({ account_no: "87654321" }),
      intent: "update",
      id: row.id,
    });
    expect(updated.data.ok).toBe(true);
    expect((await rowsOf(site1))[0].account_no).toBe("87654321");
    // A new number with the same last 4 digits is still recorded as a change.
    await act(accountsRoute, PAGE, admin1, { ...account({ account_no: "99994321" }), intent: "update", id: row.id });
    const last = await getDb()
      .selectFrom("audit_log")
      .select("changes")
      .where("action", "=", "settlement_account.update")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(last.changes)).toContain("account_no_changed");
    expect(JSON.stringify(last.changes)).not.toContain("99994321");
    // Saving what is already there changes nothing and records nothing.
    const before = await auditTotal();
    const same = await act(accountsRoute, PAGE, admin1, {
      ...account({ account_no: "9999 4321" }),
      intent: "update",
      id: row.id,
    });
    expect(same.data.messages[0].key).toBe("accounts.unchanged");
    expect(await auditTotal()).toBe(before);
  });

  it("FIN-1/ORG-2: the city, province and centre read a site's accounts (masked) but change nothing", async () => {
    await act(accountsRoute, PAGE, finance1, account());
    const [row] = await rowsOf(site1);
    for (const cookie of [city1, province, centre]) {
      const page = await load(accountsRoute, `${PAGE}?site=${site1}&edit=${row.id}&delete=${row.id}`, cookie);
      expect(page.status).toBe(200);
      expect(page.data).toMatchObject({ writable: false, readOnly: "superior", editing: null, deleting: null });
      expect(page.data.site.code).toBe("990101");
      expect(page.data.rows).toEqual([expect.objectContaining({ id: row.id, account_no: "**** **** 5667" })]);
      expect(JSON.stringify(page.data)).not.toContain(row.account_no);
    }
    const audits = await auditTotal();
    const forms: FormFields[] = [
      account({ account_no: "11112222" }),
      { ...account({ remark: "上级改的" }), intent: "update", id: row.id },
      { intent: "delete", id: row.id },
      { intent: "copy" },
    ];
    for (const cookie of [city1, province, centre]) {
      for (const form of forms) {
        const r = await act(accountsRoute, `${PAGE}?site=${site1}`, cookie, form);
        expect(r.status).toBe(403);
        expect(r.data.error).toBe("只有考点的财务人员和管理员可以修改本考点的分账账户。");
      }
    }
    expect(await rowsOf(site1)).toEqual([row]);
    expect(await rowsOf(site2)).toEqual([]);
    expect(await auditTotal()).toBe(audits);
    // ORG-2: a city reads only the sites below it.
    const other = await load(accountsRoute, `${PAGE}?site=${site1}`, city2);
    expect(other.status).toBe(403);
  });

  it("ORG-2: finance staff of another site neither see nor change 990101's account (a forged id is refused)", async () => {
    await act(accountsRoute, PAGE, finance1, account());
    const [row] = await rowsOf(site1);
    const audits = await auditTotal();
    // Their own site, whatever `?site=` says; the forged edit and delete ids show nothing.
    const page = await load(accountsRoute, `${PAGE}?site=${site1}&edit=${row.id}`, finance2);
    expect(page.data).toMatchObject({ writable: true, editing: null, missing: true, rows: [] });
    expect(page.data.site.code).toBe("990102");
    expect(JSON.stringify(page.data)).not.toContain(row.account_no);
    expect((await load(accountsRoute, `${PAGE}?delete=${row.id}`, finance2)).data).toMatchObject({
      deleting: null,
      missing: true,
    });
    for (const cookie of [finance2, admin2]) {
      const update = await act(accountsRoute, PAGE, cookie, {
        ...account({ remark: "改掉" }),
        intent: "update",
        id: row.id,
      });
      expect(update.status).toBe(404);
      expect(update.data.error).toBe("没有这个分账账户。");
      // Invalid fields do not hide the refusal: the id is checked first.
      const bad = await act(accountsRoute, PAGE, cookie, { ...account({ bank: "" }), intent: "update", id: row.id });
      expect(bad.status).toBe(404);
      const del = await act(accountsRoute, PAGE, cookie, { intent: "delete", id: row.id });
      expect(del.status).toBe(404);
      expect(del.data.error).toBe("没有这个分账账户。");
    }
    expect(await rowsOf(site1)).toEqual([row]);
    expect(await auditTotal()).toBe(audits);
    // The same number is fine at another site (unique per site and sitting).
    expect((await act(accountsRoute, PAGE, finance2, account())).data.ok).toBe(true);
    expect(await rowsOf(site2)).toHaveLength(1);
  });

  it("ORG-11: an invigilator and a candidate see nothing and change nothing", async () => {
    await act(accountsRoute, PAGE, finance1, account());
    const [row] = await rowsOf(site1);
    const page = await load(accountsRoute, PAGE, invigilator1);
    expect(page.status).toBe(403);
    expect(JSON.stringify(page.data)).not.toContain("5667");
    const r = await act(accountsRoute, PAGE, invigilator1, { intent: "delete", id: row.id });
    expect(r.status).toBe(403);
    expect((await load(accountsRoute, PAGE, candidate)).location).toBe("/candidate");
    expect((await act(accountsRoute, PAGE, candidate, { intent: "delete", id: row.id })).location).toBe("/candidate");
    expect((await load(accountsRoute, PAGE)).location).toContain("/login");
    expect(await rowsOf(site1)).toEqual([row]);
  });

  it("FIN-1: an 11-digit bank code, letters in the number, missing or too long fields and a duplicate number are refused with their messages; nothing is written", async () => {
    await act(accountsRoute, PAGE, finance1, account());
    const before = await rowsOf(site1);
    const audits = await auditTotal();
    const short = await act(accountsRoute, PAGE, finance1, account({ bank_code: "10510000001" }));
    expect(short.status).toBe(400);
    expect(short.data).toMatchObject({ ok: false, error: "请按提示修改标出的填写项。" });
    expect(short.data.fieldErrors).toEqual({ bank_code: "银行行号应为 12 位数字，现在是 11 位。" });
    // What was typed comes back to the form.
    expect(short.data.values).toMatchObject({ bank_code: "10510000001", bank: "中国建设银行测试省分行" });
    const letters = await act(accountsRoute, PAGE, finance1, account({ account_no: "6227 00AB 2233" }));
    expect(letters.data.fieldErrors).toEqual({
      account_no: "账号只能是数字（空格会自动去掉），不能有字母或其他符号。",
    });
    const missing = await act(accountsRoute, PAGE, finance1, {
      intent: "add",
      bank: " ",
      bank_code: "",
      account_name: "",
      account_no: "",
      account_type: "",
      remark: "备".repeat(201),
    });
    expect(missing.data.fieldErrors).toEqual({
      bank: "请填写开户行。",
      bank_code: "请填写银行行号。",
      account_name: "请填写账户名称。",
      account_no: "请填写账号。",
      account_type: "请选择账号类型。",
      remark: "备注最多 200 个字（现在 201 个字）。",
    });
    const long = await act(
      accountsRoute,
      PAGE,
      finance1,
      account({ account_name: "名".repeat(101), account_type: "x" }),
    );
    expect(long.data.fieldErrors).toEqual({
      account_name: "账户名称最多 100 个字（现在 101 个字）。",
      account_type: "请从列表中选择账号类型。",
    });
    // The same number again (typed differently) at the same site and sitting.
    const dup = await act(accountsRoute, PAGE, finance1, account({ account_no: "62270011 22334455667" }));
    expect(dup.status).toBe(400);
    expect(dup.data.fieldErrors).toEqual({ account_no: "本考点本考次已有账号 **** **** 5667 的分账账户。" });
    // Changing another account to that number is refused the same way.
    await act(accountsRoute, PAGE, finance1, account({ account_no: "12345678" }));
    const second = (await rowsOf(site1))[1];
    const dupEdit = await act(accountsRoute, PAGE, finance1, { ...account(), intent: "update", id: second.id });
    expect(dupEdit.data.fieldErrors).toEqual({ account_no: "本考点本考次已有账号 **** **** 5667 的分账账户。" });
    expect(await rowsOf(site1)).toEqual([...before, second]);
    expect(await auditTotal()).toBe(audits + 1);
  });

  it("FIN-1: two adds of the same number at once store it once; the other is told it exists", async () => {
    const [a, b] = await Promise.all([
      act(accountsRoute, PAGE, finance1, account()),
      act(accountsRoute, PAGE, admin1, account({ account_no: "62270011223344 55667" })),
    ]);
    expect([a.data.ok, b.data.ok].sort()).toEqual([false, true]);
    const refused = a.data.ok ? b : a;
    expect(refused.data.fieldErrors).toEqual({ account_no: "本考点本考次已有账号 **** **** 5667 的分账账户。" });
    expect(await rowsOf(site1)).toHaveLength(1);
  });

  it("X-5: the messages come in the viewer's language", async () => {
    await getDb()
      .updateTable("account")
      .set({ locale: "en" })
      .where("email", "=", "finance990102@example.com")
      .execute();
    try {
      const r = await act(accountsRoute, PAGE, finance2, account({ bank_code: "10510000001", account_no: "62AB" }));
      expect(r.data.error).toBe("Please correct the fields marked below.");
      expect(r.data.fieldErrors).toEqual({
        bank_code: "A bank code has 12 digits; this one has 11.",
        account_no: "An account number has digits only (spaces are taken out), no letters or other signs.",
      });
    } finally {
      await getDb()
        .updateTable("account")
        .set({ locale: "zh-CN" })
        .where("email", "=", "finance990102@example.com")
        .execute();
    }
  });

  it("FIN-1: copy from the previous sitting copies 990101's accounts of sitting 78, skips numbers already here, and is idempotent", async () => {
    // A second account in sitting 78, whose number the current sitting already has.
    await getDb()
      .insertInto("settlement_account")
      .values({
        sitting_id: pastId,
        org_id: site1,
        bank: "中国银行",
        bank_code: "104100000004",
        account_name: "测试大学",
        account_no: "12345678",
        account_type: "general",
        created_by: null,
      })
      .execute();
    try {
      await act(accountsRoute, PAGE, finance1, account({ account_no: "12345678" }));
      const copied = await act(accountsRoute, PAGE, finance1, { intent: "copy" });
      expect(copied.data).toMatchObject({ ok: true, copied: 1, skipped: 1 });
      expect(copied.data.messages).toEqual([
        { key: "accounts.copied", params: { code: "78", count: 1 } },
        { key: "accounts.copy_skipped", params: { count: 1 } },
      ]);
      const rows = await rowsOf(site1);
      expect(rows.map((r) => r.account_no).sort()).toEqual(["12345678", SEED_NO]);
      expect(rows.find((r) => r.account_no === SEED_NO)).toMatchObject({
        bank: "中国工商银行",
        bank_code: "105617000999",
        account_type: "site_fee",
        remark: "测试",
      });
      expect(await auditCount("settlement_account.copy")).toBe(1);
      const logged = await getDb()
        .selectFrom("audit_log")
        .select("changes")
        .where("action", "=", "settlement_account.copy")
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(logged.changes)).toContain("**** **** 0111");
      expect(JSON.stringify(logged.changes)).not.toContain(SEED_NO);
      // Again: nothing left to copy, nothing written.
      const again = await act(accountsRoute, PAGE, finance1, { intent: "copy" });
      expect(again.data).toMatchObject({ ok: true, copied: 0, skipped: 2 });
      expect(again.data.messages).toEqual([{ key: "accounts.copy_all_present", params: { code: "78", count: 2 } }]);
      expect(await rowsOf(site1)).toHaveLength(2);
      expect(await auditCount("settlement_account.copy")).toBe(1);
      // 990102 had no accounts in any earlier sitting.
      const none = await act(accountsRoute, PAGE, finance2, { intent: "copy" });
      expect(none.data.messages).toEqual([{ key: "accounts.copy_nothing" }]);
      expect(await rowsOf(site2)).toEqual([]);
    } finally {
      await getDb()
        .deleteFrom("settlement_account")
        .where("sitting_id", "=", pastId)
        .where("account_no", "=", "12345678")
        .execute();
    }
  });

  it("FIN-1/ORG-7: in a past sitting the accounts are read (masked) and nothing can be changed", async () => {
    const cookie = await sessionCookie("finance990101@example.com");
    const sw = await act(adminLayout, "/admin", cookie, { sittingId: pastId, redirectTo: PAGE });
    expect(sw.location).toBe(PAGE);
    const page = await load(accountsRoute, PAGE, cookie);
    expect(page.data).toMatchObject({ writable: false, readOnly: "past" });
    expect(page.data.rows).toEqual([expect.objectContaining({ account_no: "**** **** 0111", bank: "中国工商银行" })]);
    const [seeded] = await rowsOf(site1, pastId);
    expect((await load(accountsRoute, `${PAGE}?edit=${seeded.id}`, cookie)).data.editing).toBeNull();
    const forms: FormFields[] = [account(), { intent: "delete", id: seeded.id }, { intent: "copy" }];
    for (const form of forms) {
      const r = await act(accountsRoute, PAGE, cookie, form);
      expect(r.status).toBe(403);
      expect(r.data.error).toContain("历史考次");
    }
    expect(await rowsOf(site1, pastId)).toEqual([seeded]);
  });

  it("FIN-1: listSettlementAccounts gives the finance home page several sites' accounts, masked", async () => {
    await act(accountsRoute, PAGE, finance1, account());
    await act(accountsRoute, PAGE, finance2, account({ account_no: "4000 1234 5678 9012" }));
    const rows = await listSettlementAccounts(getDb(), sittingId, [site1, site2]);
    expect(rows.map((r) => [r.org_id, r.account_no])).toEqual([
      [site1, "**** **** 5667"],
      [site2, "**** **** 9012"],
    ]);
    expect(await listSettlementAccounts(getDb(), sittingId, [])).toEqual([]);
    expect(await listSettlementAccounts(getDb(), pastId, [site1])).toEqual([
      expect.objectContaining({ account_no: "**** **** 0111" }),
    ]);
  });
});
