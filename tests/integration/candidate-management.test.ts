import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import * as searchRoute from "../../app/routes/admin.candidates._index";
import * as candidateRoute from "../../app/routes/admin.candidates.$id._index";
import * as photoRoute from "../../app/routes/admin.candidates.$id.photo";
import * as accountRoute from "../../app/routes/admin.candidates.account";
import * as reviewRoute from "../../app/routes/admin.review";
import * as homeRoute from "../../app/routes/admin._index";
import { getDb } from "../../db/client";
import { act, load, newCandidate, orgId, run, sessionCookie } from "../factories";
import * as statusRoute from "../../app/routes/candidate._index";
import { counters, makeRegistration, type RegOpts } from "../factories/registrations";
import { privateSearchPath } from "../factories/private-search";
import { compliantPhoto, DARK_GREY } from "../fixtures/photos";

let site1: number, site2: number, site3: number, sittingId: number;
let admin1: string, admin2: string, admin3: string, finance1: string, province: string;

beforeAll(async () => {
  [site1, site2, site3] = await Promise.all(["990101", "990102", "990201"].map(orgId));
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  [admin1, admin2, admin3, finance1, province] = await Promise.all(
    [
      "site990101@example.com",
      "site990102@example.com",
      "site990201@example.com",
      "finance990101@example.com",
      "province99@example.com",
    ].map(sessionCookie),
  );
});

const reg = (o: Partial<RegOpts> & { siteId?: number } = {}) => makeRegistration({ siteId: site1, sittingId, ...o });
const search = (cookie: string, q = "", path = "/admin/candidates") => load(searchRoute, `${path}?${q}`, cookie);
const ids = (r: { data?: { rows: Array<{ id: number }> } }) =>
  (r.data?.rows ?? []).map((x) => x.id).sort((a, b) => a - b);
const bulk = (
  cookie: string,
  form: Record<string, string | number>,
  route: typeof searchRoute | typeof reviewRoute = searchRoute,
  path = "/admin/candidates",
) => act(route, path, cookie, { scope: "selected", filter: "", count: 0, ...form });
/** A bulk post with several ticked rows (repeated `ids` fields, as the browser sends them). */
async function bulkMany(cookie: string, regIds: number[], form: Record<string, string>) {
  const body = new URLSearchParams({ scope: "selected", filter: "", count: "0", ...form });
  for (const id of regIds) body.append("ids", String(id));
  const request = new Request("http://localhost:3000/admin/candidates", {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
  return run(() => searchRoute.action({ request, params: {}, context: {} }));
}
async function regRow(id: number) {
  return getDb().selectFrom("registration").selectAll().where("id", "=", id).executeTakeFirst();
}

describe("MGT-1: search", () => {
  it("MGT-1: filters by name, class, payment state, lock, review, subject, entry count, photo, channel, preferred date and registry", async () => {
    const cls = `搜索班${Date.now()}`;
    const a = await reg({ className: cls, name: "甲同学", subjects: ["14", "15"], paid: ["14", "15"], locked: true });
    const b = await reg({ className: cls, name: "乙同学", subjects: ["14", "15"], paid: ["14"] });
    const c = await reg({
      className: cls,
      name: "丙同学",
      subjects: ["24"],
      photo: false,
      channel: "group",
      registry: true,
    });
    const d = await reg({ className: cls, name: "丁同学", subjects: [], preferredDate: null });
    const q = (extra: string) => search(admin1, `className=${encodeURIComponent(cls)}&${extra}`);
    expect(ids(await q(""))).toEqual([a.reg.id, b.reg.id, c.reg.id, d.reg.id]);
    expect(ids(await q("name=乙"))).toEqual([b.reg.id]);
    expect(ids(await q("payment=all_paid"))).toEqual([a.reg.id]);
    expect(ids(await q("payment=partly_paid"))).toEqual([b.reg.id]);
    expect(ids(await q("payment=none_paid"))).toEqual([c.reg.id]);
    expect(ids(await q("payment=any_unpaid"))).toEqual([b.reg.id, c.reg.id]);
    expect(ids(await q("payment=no_entries"))).toEqual([d.reg.id]);
    expect(ids(await q("locked=yes"))).toEqual([a.reg.id]);
    expect(ids(await q("subject=15"))).toEqual([a.reg.id, b.reg.id]);
    expect(ids(await q("entries=1"))).toEqual([c.reg.id]);
    expect(ids(await q("photo=no"))).toEqual([c.reg.id]);
    expect(ids(await q("channel=group"))).toEqual([c.reg.id]);
    expect(ids(await q("registry=registry"))).toEqual([c.reg.id]);
    expect(ids(await q("preferredDate=none"))).toHaveLength(4);
    expect(ids(await q("education=20&ethnicity=01&idType=1&gender=1"))).toHaveLength(4);
    expect(ids(await q("idType=9"))).toEqual([]);
    // A full-width ID number finds the candidate (CAN-3 normalisation).
    const fullWidth = a.idNumber.replace(/\d/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    // the ID number is posted and kept behind a token; the URL does not carry it.
    const byId = await privateSearchPath(admin1, "/admin/candidates", { idNumber: fullWidth });
    expect(byId).not.toContain(a.idNumber.slice(0, 14));
    expect(ids(await load(searchRoute, byId, admin1))).toEqual([a.reg.id]);
    expect(ids(await search(admin1, `idNumber=${a.idNumber}`))).toHaveLength(ids(await search(admin1)).length); // an ID in the URL is ignored
    // Nonsense values are dropped, not errors.
    expect((await q("payment=bogus&entries=abc")).status).toBe(200);
  });

  it("MGT-1/X-4: the list masks ID numbers to the last four characters and shows payment state", async () => {
    const cls = `掩码班${Date.now()}`;
    const a = await reg({ className: cls, subjects: ["14"], paid: ["14"] });
    const r = await search(admin1, `className=${encodeURIComponent(cls)}`);
    const row = r.data.rows[0];
    expect(row.id_number).toBe(`${"*".repeat(14)}${a.idNumber.slice(-4)}`);
    expect(JSON.stringify(r.data)).not.toContain(a.idNumber);
    expect(row.payment).toBe("all_paid");
  });

  it("MGT-1: sorts and pages on the server", async () => {
    const cls = `排序班${Date.now()}`;
    for (const name of ["张三", "李四", "王五"]) await reg({ className: cls, name });
    const asc = await search(admin1, `className=${encodeURIComponent(cls)}&sort=name&dir=asc`);
    const desc = await search(admin1, `className=${encodeURIComponent(cls)}&sort=name&dir=desc`);
    expect(asc.data.rows.map((r: { name: string }) => r.name)).toEqual(
      [...desc.data.rows.map((r: { name: string }) => r.name)].reverse(),
    );
    const all = await search(admin1, "");
    expect(all.data.total).toBeGreaterThanOrEqual(3);
    const beyond = await search(admin1, `page=${all.data.pages + 1}`);
    expect(beyond.data.rows).toEqual([]);
  });

  it("MGT-1/MGT-4 (issue 15 item 3): opened from a result list, a candidate's page steps to the previous and next result", async () => {
    const klass = `翻页${Date.now() % 100000}`;
    const made = [];
    for (const name of ["甲翻", "乙翻", "丙翻"]) made.push(await reg({ name, className: klass }));
    const [a, b, c] = made.map((m) => m.reg.id);
    const page = (id: number) =>
      load(
        candidateRoute,
        `/admin/candidates/${id}?list=1&className=${encodeURIComponent(klass)}&sort=created&dir=asc`,
        admin1,
        {
          id: String(id),
        },
      );
    const middle = (await page(b)).data.list;
    expect(middle).toMatchObject({ position: 2, total: 3, prev: a, next: c });
    expect((await page(a)).data.list).toMatchObject({ position: 1, prev: null, next: b });
    expect((await page(c)).data.list).toMatchObject({ position: 3, next: null });
    // Without a list, no stepping; a list that does not hold the candidate, none either.
    expect((await load(candidateRoute, `/admin/candidates/${b}`, admin1, { id: String(b) })).data.list).toBeNull();
    const other = await load(candidateRoute, `/admin/candidates/${b}?list=1&className=nobody`, admin1, {
      id: String(b),
    });
    expect(other.data.list).toBeNull();
  });

  it("MGT-1/ORG-2: a site never sees another site's candidates, by search or by URL", async () => {
    const other = await reg({ siteId: site3, name: "别的考点考生" });
    const mine = await search(admin1, "name=别的考点考生");
    expect(mine.data.total).toBe(0);
    expect((await search(admin1, `site=${site3}`)).status).toBe(403);
    expect(
      (await load(candidateRoute, `/admin/candidates/${other.reg.id}`, admin1, { id: String(other.reg.id) })).status,
    ).toBe(403);
    expect(
      (await load(photoRoute, `/admin/candidates/${other.reg.id}/photo`, admin1, { id: String(other.reg.id) })).status,
    ).toBe(403);
    // Hand-typed URLs are "not found", never a server error.
    for (const bad of ["abc", "0", "-1", "99999999999", "1.5"])
      expect((await load(candidateRoute, `/admin/candidates/${bad}`, admin1, { id: bad })).status, bad).toBe(404);
    // Its own admin and the province above both see it.
    expect(
      (await load(candidateRoute, `/admin/candidates/${other.reg.id}`, admin3, { id: String(other.reg.id) })).status,
    ).toBe(200);
    const prov = await search(province, "name=别的考点考生");
    expect(ids(prov)).toEqual([other.reg.id]);
    expect(ids(await search(province, `name=别的考点考生&site=${site1}`))).toEqual([]);
  });

  it("MGT-1: viewing has no window: a site whose registration window closed still searches and opens a candidate", async () => {
    const r = await reg({ siteId: site2, subjects: [] });
    const s = await search(admin2, "");
    expect(s.status).toBe(200);
    expect(s.data.writable).toBe(false);
    const page = await load(candidateRoute, `/admin/candidates/${r.reg.id}`, admin2, { id: String(r.reg.id) });
    expect(page.status).toBe(200);
    expect(page.data.person.id_number).toBe(r.idNumber);
    expect(page.data.writable).toBe(false);
  });
});

describe("MGT-2: bulk and single actions", () => {
  it("MGT-2: updates only the non-key fields given, for the selected candidates", async () => {
    const a = await reg({ className: "旧班", name: "原名" });
    const b = await reg({ className: "旧班" });
    // 990101 offers the classes 计科2401, 计科2402, 会计2401 (seed).
    const r = await bulk(admin1, {
      intent: "update",
      ids: a.reg.id,
      class_name: "计科2402",
      address: "新地址",
      major: "",
      name: "改名",
    });
    expect(r.status, JSON.stringify(r.data)).toBe(200);
    expect(r.data.done).toBe(1);
    const after = await regRow(a.reg.id);
    expect(after).toMatchObject({
      class_name: "计科2402",
      address: "新地址",
      major: "",
      name: "原名",
      id_number: a.idNumber,
    });
    expect((await regRow(b.reg.id))!.class_name).toBe("旧班");
    const audit = await getDb()
      .selectFrom("audit_log")
      .select("changes")
      .where("action", "=", "registration.update_non_key")
      .where("entity_id", "=", String(a.reg.id))
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.changes)).toContain("计科2402");
  });

  it("MGT-2: a bad e-mail, postcode, over-long field or a class outside the site's options is refused and changes nothing", async () => {
    const a = await reg({ className: "邮箱班" });
    const r = await bulk(admin1, { intent: "update", ids: a.reg.id, email: "not-an-email", class_name: "计科2401" });
    expect(r.status).toBe(400);
    const p = await bulk(admin1, { intent: "update", ids: a.reg.id, postcode: "12345" });
    expect(p.status).toBe(400);
    expect((await bulk(admin1, { intent: "update", ids: a.reg.id, class_name: "班".repeat(51) })).status).toBe(400);
    // SET-8: 990101 has class options (seed), so the class must be one of them, as on the registration form.
    expect((await bulk(admin1, { intent: "update", ids: a.reg.id, class_name: "计科2403" })).status).toBe(400);
    expect((await regRow(a.reg.id))!.class_name).toBe("邮箱班");
    expect((await bulk(admin1, { intent: "update", ids: a.reg.id, class_name: "会计2401" })).data.done).toBe(1);
    expect((await regRow(a.reg.id))!.class_name).toBe("会计2401");
  });

  it("MGT-2: 'all results' acts on exactly the search the user saw, and refuses when it changed", async () => {
    const cls = `全部班${Date.now()}`;
    const made = [await reg({ className: cls }), await reg({ className: cls })];
    const filter = `className=${encodeURIComponent(cls)}`;
    const stale = await bulk(admin1, { intent: "update", scope: "all", filter, count: 3, remark: "批量备注" });
    expect(stale.status).toBe(400);
    expect(stale.data.error).toContain("2");
    const ok = await bulk(admin1, { intent: "update", scope: "all", filter, count: 2, remark: "批量备注" });
    expect(ok.data.done).toBe(2);
    for (const m of made) expect((await regRow(m.reg.id))!.remark).toBe("批量备注");
  });

  it("MGT-2: at most 3,000 candidates at a time", async () => {
    const cls = `三千班${Date.now()}`;
    const db = getDb();
    // 3,001 registrations in one statement (no entries needed for a non-key update).
    await sql`insert into registration (sitting_id, org_id, channel, id_type, id_number, name, gender, birth_date, ethnicity, education, class_name)
      select ${sittingId}, ${site1}, 'group', '9', 'BULK' || g, '批量' || g, '1', date '2000-01-01', '01', '20', ${cls} from generate_series(1, 3001) g`.execute(
      db,
    );
    const filter = `className=${encodeURIComponent(cls)}`;
    const r = await bulk(admin1, { intent: "update", scope: "all", filter, count: 3001, remark: "太多" });
    expect(r.status).toBe(400);
    expect(r.data.error).toContain("3000");
    const someIds = (
      await db.selectFrom("registration").select("id").where("class_name", "=", cls).limit(3001).execute()
    ).map((x) => x.id);
    const sel = await bulkMany(admin1, someIds, { intent: "update", remark: "太多" });
    expect(sel.status).toBe(400);
    const changed = await db
      .selectFrom("registration")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("class_name", "=", cls)
      .where("remark", "=", "太多")
      .executeTakeFirstOrThrow();
    expect(Number(changed.n)).toBe(0);
    await db.deleteFrom("registration").where("class_name", "=", cls).execute();
  });

  it("MGT-2: lock needs a photo; unlock sends a pending registration back to 'not submitted' with its hold restarted", async () => {
    const noPhoto = await reg({ photo: false });
    const lockNo = await bulk(admin1, { intent: "lock", ids: noPhoto.reg.id });
    expect(lockNo.data.done).toBe(0);
    expect(lockNo.data.skipped[0].reason).toBe("mgt.lock_needs_photo");
    const p = await reg({ siteId: site3, review: "pending", locked: true, subjects: ["14"] });
    const un = await bulk(admin3, { intent: "unlock", ids: p.reg.id });
    expect(un.data.done).toBe(1);
    const after = (await regRow(p.reg.id))!;
    expect(after).toMatchObject({ locked: false, review_status: "none" });
    expect(after.hold_until).not.toBeNull();
    const relock = await bulk(admin3, { intent: "lock", ids: p.reg.id });
    expect(relock.data.done).toBe(1);
    expect((await regRow(p.reg.id))!.locked).toBe(true);
  });

  it("MGT-2: cancelling a paid candidate keeps the data read-only in cancellations, frees the seats, and lets the candidate register again", async () => {
    const c = await newCandidate("取消者");
    const a = await reg({ accountId: c.id, subjects: ["14", "15"], paid: ["14"], name: "取消者" });
    const before14 = await counters(site1, sittingId, "14");
    const before15 = await counters(site1, sittingId, "15");
    const noReason = await bulk(admin1, { intent: "cancel", ids: a.reg.id, reason: " " });
    expect(noReason.status).toBe(400);
    const r = await bulk(admin1, { intent: "cancel", ids: a.reg.id, reason: "科目报错" });
    expect(r.data.done, JSON.stringify(r.data)).toBe(1);
    expect(await regRow(a.reg.id)).toBeUndefined();
    const kept = await getDb()
      .selectFrom("cancellation")
      .selectAll()
      .where("registration_id", "=", a.reg.id)
      .executeTakeFirstOrThrow();
    // What the candidate paid: the per-person fee (10.00) and the paid subject (110.00).
    expect(kept).toMatchObject({
      id_number: a.idNumber,
      name: "取消者",
      reason: "科目报错",
      paid_fen: 12000,
      subject_codes: ["14", "15"],
      org_id: site1,
    });
    // Issue 15 item 6: the candidate's own status page shows the cancellation, its reason and what was paid.
    const status = await load(statusRoute, "/candidate", c.cookie);
    expect(status.data.cancellations).toEqual([
      expect.objectContaining({ reason: "科目报错", paidFen: 12000, subjects: ["14", "15"] }),
    ]);
    expect((await counters(site1, sittingId, "14")).subject).toBe(before14.subject - 1);
    expect((await counters(site1, sittingId, "15")).subject).toBe(before15.subject - 1);
    expect((await counters(site1, sittingId, "15")).total).toBe(before15.total - 2);
    // The photo stays (PHO-6), and the same ID and account may register again.
    expect(
      await getDb().selectFrom("photo").select("id").where("id_number", "=", a.idNumber).executeTakeFirst(),
    ).toBeDefined();
    const again = await getDb()
      .insertInto("registration")
      .values({
        sitting_id: sittingId,
        org_id: site1,
        account_id: c.id,
        channel: "online",
        id_type: "1",
        id_number: a.idNumber,
        name: "取消者",
        gender: "1",
        birth_date: "2002-03-04",
        ethnicity: "01",
        education: "20",
      })
      .returning("id")
      .executeTakeFirst();
    expect(again).toBeDefined();
  });

  it("MGT-2: a group-paid candidate, an unpaid one and one with entries in an open payment batch cannot be cancelled", async () => {
    const g = await reg({ channel: "group", subjects: ["14"], paid: ["14"], groupPaid: true });
    const u = await reg({ subjects: ["14"] });
    const out = await bulkMany(admin1, [g.reg.id, u.reg.id], { intent: "cancel", reason: "报错" });
    expect(out.data.done).toBe(0);
    expect(out.data.skipped.map((s: { reason: string }) => s.reason).sort()).toEqual([
      "mgt.cancel_group_paid",
      "mgt.cancel_not_paid",
    ]);
    expect(await regRow(g.reg.id)).toBeDefined();
    expect(await regRow(u.reg.id)).toBeDefined();
  });

  it("MGT-2: a paid candidate with an unpaid entry in an open payment batch is not offered cancellation, and is refused it", async () => {
    const r = await reg({ channel: "group", subjects: ["14", "15"], paid: ["14"] });
    const paymentBatch = await getDb()
      .insertInto("payment_batch")
      .values({
        sitting_id: sittingId,
        org_id: site1,
        candidate_count: 1,
        entry_count: 1,
        per_person_count: 0,
        per_person_fen: 0,
        subject_fen: 6000,
        amount_fen: 6000,
        subject_codes: ["15"],
        created_by: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await getDb()
      .updateTable("entry")
      .set({ payment_batch_id: paymentBatch.id })
      .where("registration_id", "=", r.reg.id)
      .where("subject_code", "=", "15")
      .execute();
    const page = await load(candidateRoute, `/admin/candidates/${r.reg.id}`, admin1, { id: String(r.reg.id) });
    // The page asks the same rule as the service (issue 14 item 5): no button that would be refused.
    expect(page.data.canCancel).toBe(false);
    const cancel = await act(
      candidateRoute,
      `/admin/candidates/${r.reg.id}`,
      admin1,
      { intent: "cancel", reason: "考点报错" },
      { id: String(r.reg.id) },
    );
    expect(cancel.status).toBe(409);
    expect(cancel.data.error).toContain("集体缴费批次");
    expect(await regRow(r.reg.id)).toBeDefined();
    await getDb()
      .updateTable("entry")
      .set({ payment_batch_id: null })
      .where("payment_batch_id", "=", paymentBatch.id)
      .execute();
    await getDb().deleteFrom("payment_batch").where("id", "=", paymentBatch.id).execute();
    expect(
      (await load(candidateRoute, `/admin/candidates/${r.reg.id}`, admin1, { id: String(r.reg.id) })).data.canCancel,
    ).toBe(true);
  });

  it("MGT-2: delete takes the subject of the entry filter, keeps paid entries, and the registration goes with its last entry", async () => {
    const cls = `删除班${Date.now()}`;
    const g = await reg({ channel: "group", className: cls, subjects: ["14", "15"] });
    const paid = await reg({ channel: "group", className: cls, subjects: ["14", "15"], paid: ["14"], groupPaid: true });
    const online = await reg({ channel: "online", className: cls, subjects: ["15"] });
    const before = await counters(site1, sittingId, "15");
    const filter = `className=${encodeURIComponent(cls)}&subject=15`;
    const r = await bulk(admin1, { intent: "delete", scope: "all", filter, count: 3 });
    expect(r.status, JSON.stringify(r.data)).toBe(200);
    expect(r.data.done).toBe(2);
    expect(r.data.skipped).toEqual([expect.objectContaining({ id: online.reg.id, reason: "mgt.delete_online" })]);
    expect((await counters(site1, sittingId, "15")).subject).toBe(before.subject - 2);
    const left = await getDb()
      .selectFrom("entry")
      .select(["registration_id", "subject_code"])
      .where("registration_id", "in", [g.reg.id, paid.reg.id])
      .orderBy("registration_id")
      .execute();
    expect(left).toEqual([
      { registration_id: g.reg.id, subject_code: "14" },
      { registration_id: paid.reg.id, subject_code: "14" },
    ]);
    // An entry in an online payment still open at the gateway stays: it may yet be paid.
    const paying = await reg({ channel: "group", className: cls, subjects: ["24"] });
    await getDb()
      .insertInto("payment")
      .values({
        id: `T-open-${paying.reg.id}`,
        sitting_id: sittingId,
        org_id: site1,
        registration_id: paying.reg.id,
        provider: "simulated",
        amount_fen: 12000,
        per_person_fen: 1000,
        entry_ids: [paying.entries[0].id],
        subject_codes: ["24"],
        status: "pending",
        expires_at: new Date(Date.now() + 3_600_000),
      })
      .execute();
    const r4 = await bulk(admin1, { intent: "delete", ids: paying.reg.id });
    expect(r4.data.skipped[0].reason).toBe("mgt.delete_nothing");
    expect(await regRow(paying.reg.id)).toBeDefined();
    // Without a subject, the rest of g goes and so does its registration; the paid one stays whole.
    const r2 = await bulk(admin1, { intent: "delete", ids: g.reg.id });
    expect(r2.data.extra).toEqual({ entries: 1, registrations: 1 });
    expect(await regRow(g.reg.id)).toBeUndefined();
    const r3 = await bulk(admin1, { intent: "delete", ids: paid.reg.id });
    expect(r3.data.skipped[0].reason).toBe("mgt.delete_nothing");
    expect(await regRow(paid.reg.id)).toBeDefined();
  });

  it("MGT-2: on the candidate's page, cancelling leads to the cancellations and deleting the last entry to the search", async () => {
    const paid = await reg({ subjects: ["14"], paid: ["14"] });
    const cancel = await act(
      candidateRoute,
      `/admin/candidates/${paid.reg.id}`,
      admin1,
      { intent: "cancel", reason: "考点报错" },
      { id: String(paid.reg.id) },
    );
    expect(cancel.status).toBe(302);
    expect(cancel.location).toBe("/admin/cancellations");
    const group = await reg({ channel: "group", subjects: ["14", "15"] });
    const one = await act(
      candidateRoute,
      `/admin/candidates/${group.reg.id}`,
      admin1,
      { intent: "delete", subject: "15" },
      { id: String(group.reg.id) },
    );
    expect(one.status).toBe(200);
    const rest = await act(
      candidateRoute,
      `/admin/candidates/${group.reg.id}`,
      admin1,
      { intent: "delete", subject: "" },
      { id: String(group.reg.id) },
    );
    expect(rest.location).toBe("/admin/candidates");
    expect(await regRow(group.reg.id)).toBeUndefined();
  });

  it("MGT-2/ORG-2: a site cannot change another site's candidate, whatever id it posts", async () => {
    const other = await reg({ siteId: site3, className: "他人" });
    for (const intent of ["update", "lock", "cancel", "delete"]) {
      const r = await bulk(admin1, { intent, ids: other.reg.id, class_name: "计科2401", reason: "x" });
      expect(r.status, intent).toBe(403);
    }
    const single = await act(
      candidateRoute,
      `/admin/candidates/${other.reg.id}`,
      admin1,
      { intent: "lock" },
      { id: String(other.reg.id) },
    );
    expect(single.status).toBe(403);
    expect(await regRow(other.reg.id)).toMatchObject({ class_name: "他人", locked: false });
  });

  it("MGT-2/WIN-3: every bulk action is refused outside the registration window", async () => {
    const r = await reg({ siteId: site2, channel: "group", subjects: [] });
    for (const intent of ["update", "lock", "unlock", "cancel", "delete"]) {
      const out = await bulk(admin2, { intent, ids: r.reg.id, remark: "x", reason: "x" });
      expect(out.status, intent).toBe(403);
    }
    for (const intent of ["pass", "fail"]) {
      const out = await bulk(
        admin2,
        { intent, ids: r.reg.id, failureType: "other", reason: "x" },
        reviewRoute,
        "/admin/review",
      );
      expect(out.status, intent).toBe(403);
    }
    const single = await act(
      candidateRoute,
      `/admin/candidates/${r.reg.id}`,
      admin2,
      { intent: "lock" },
      { id: String(r.reg.id) },
    );
    expect(single.status).toBe(403);
    expect(await regRow(r.reg.id)).toMatchObject({ remark: "", locked: false });
  });

  it("MGT-2/ORG-11: finance staff and superiors look but do not act", async () => {
    const r = await reg({ className: "财务" });
    expect((await bulk(finance1, { intent: "update", ids: r.reg.id, remark: "x" })).status).toBe(403);
    expect((await bulk(province, { intent: "update", ids: r.reg.id, remark: "x" })).status).toBe(403);
    expect((await regRow(r.reg.id))!.remark).toBe("");
  });

  it("MGT-2: the account lookup finds the account of a candidate of the site, by e-mail, mobile or id, and nobody else's", async () => {
    const c = await newCandidate("查找者");
    await getDb().updateTable("account").set({ mobile: "13912345678" }).where("id", "=", c.id).execute();
    const a = await reg({ accountId: c.id, name: "查找者" });
    const byEmail = await load(
      accountRoute,
      await privateSearchPath(admin1, "/admin/candidates/account", { by: "email", value: c.email.toUpperCase() }),
      admin1,
    );
    expect(byEmail.data.found).toMatchObject({ id: c.id, registration_id: a.reg.id, mobile: "139****5678" });
    expect(byEmail.data.found.email).not.toBe(c.email);
    const byMobile = await load(
      accountRoute,
      await privateSearchPath(admin1, "/admin/candidates/account", { by: "mobile", value: "１３９ １２３４ ５６７８" }),
      admin1,
    );
    expect(byMobile.data.found?.id).toBe(c.id);
    const byId = await load(
      accountRoute,
      await privateSearchPath(admin1, "/admin/candidates/account", { by: "id", value: c.id }),
      admin1,
    );
    expect(byId.data.found?.id).toBe(c.id);
    // Another site's admin learns nothing, not even that the account exists.
    const other = await load(
      accountRoute,
      await privateSearchPath(admin3, "/admin/candidates/account", { by: "email", value: c.email }),
      admin3,
    );
    expect(other.data.found).toBeNull();
    expect(other.data.error).toBeTruthy();
    // No window: the closed site can still look up its own candidates.
    expect(
      (
        await load(
          accountRoute,
          await privateSearchPath(admin2, "/admin/candidates/account", { by: "email", value: "x@example.com" }),
          admin2,
        )
      ).status,
    ).toBe(200);
  });
});

describe("MGT-4: review", () => {
  it("MGT-4: bulk pass changes only pending registrations; the others are reported", async () => {
    const cls = `审核班${Date.now()}`;
    const p1 = await reg({ siteId: site3, className: cls, review: "pending", locked: true });
    const p2 = await reg({ siteId: site3, className: cls, review: "pending", locked: true });
    const done = await reg({ siteId: site3, className: cls, review: "passed", locked: true });
    const filter = `className=${encodeURIComponent(cls)}`;
    const r = await bulk(admin3, { intent: "pass", scope: "all", filter, count: 3 }, reviewRoute, "/admin/review");
    expect(r.status, JSON.stringify(r.data)).toBe(200);
    expect(r.data.done).toBe(2);
    expect(r.data.skipped).toEqual([expect.objectContaining({ id: done.reg.id, reason: "review.pass_pending_only" })]);
    for (const p of [p1, p2]) expect((await regRow(p.reg.id))!.review_status).toBe("passed");
  });

  it("MGT-4: fail needs a type and a reason; a photo failure unlocks the registration so the candidate uploads a new photo", async () => {
    const p = await reg({ siteId: site3, review: "passed", locked: true });
    const noType = await bulk(
      admin3,
      { intent: "fail", ids: p.reg.id, reason: "看不清" },
      reviewRoute,
      "/admin/review",
    );
    expect(noType.status).toBe(400);
    const noReason = await bulk(
      admin3,
      { intent: "fail", ids: p.reg.id, failureType: "photo", reason: "" },
      reviewRoute,
      "/admin/review",
    );
    expect(noReason.status).toBe(400);
    const r = await bulk(
      admin3,
      { intent: "fail", ids: p.reg.id, failureType: "photo", reason: "照片背景不是白色" },
      reviewRoute,
      "/admin/review",
    );
    expect(r.data.done).toBe(1);
    expect(await regRow(p.reg.id)).toMatchObject({
      review_status: "failed",
      review_failure_type: "photo",
      review_reason: "照片背景不是白色",
      locked: false,
    });
    const again = await bulk(
      admin3,
      { intent: "fail", ids: p.reg.id, failureType: "other", reason: "再次" },
      reviewRoute,
      "/admin/review",
    );
    expect(again.data.skipped[0].reason).toBe("review.fail_pending_or_passed");
  });

  it("MGT-4: the review page opens on the pending candidates; single review on the candidate page follows the same rules", async () => {
    const p = await reg({ siteId: site3, review: "pending", locked: true, name: "单审" });
    const bare = await load(reviewRoute, "/admin/review", admin3);
    expect(bare.status).toBe(302);
    expect(bare.location).toBe("/admin/review?review=pending");
    const page = await load(reviewRoute, "/admin/review?review=pending", admin3);
    expect(page.data.filter.review).toBe("pending");
    expect(page.data.rows.every((r: { review_status: string }) => r.review_status === "pending")).toBe(true);
    expect(page.data.reviewRequired).toBe(true);
    const pass = await act(
      candidateRoute,
      `/admin/candidates/${p.reg.id}`,
      admin3,
      { intent: "pass" },
      { id: String(p.reg.id) },
    );
    expect(pass.status, JSON.stringify(pass.data)).toBe(200);
    const twice = await act(
      candidateRoute,
      `/admin/candidates/${p.reg.id}`,
      admin3,
      { intent: "pass" },
      { id: String(p.reg.id) },
    );
    expect(twice.status).toBe(409);
    const fail = await act(
      candidateRoute,
      `/admin/candidates/${p.reg.id}`,
      admin3,
      { intent: "fail", failureType: "personal", reason: "姓名有误" },
      { id: String(p.reg.id) },
    );
    expect(fail.status).toBe(200);
    expect(await regRow(p.reg.id)).toMatchObject({ review_status: "failed", review_failure_type: "personal" });
  });
});

describe("MGT-1: acting for the candidate on the candidate's page", () => {
  async function uploadFor(cookie: string, regId: number, bytes: Buffer) {
    const form = new FormData();
    form.set("photo", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }), "photo.jpg");
    const request = new Request(`http://localhost:3000/admin/candidates/${regId}?index`, {
      method: "POST",
      body: form,
      headers: { Cookie: cookie, "x-kaowu-client-ip": "127.0.0.1" },
    });
    return run(() => candidateRoute.action({ request, params: { id: String(regId) }, context: {} }));
  }

  it("MGT-1/PHO-7: the site replaces a photo (checked and re-encoded like the candidate's), never while locked, never another site's", async () => {
    const g = await reg({ siteId: site3, channel: "group", photo: false });
    const ok = await uploadFor(admin3, g.reg.id, await compliantPhoto());
    expect(ok.status, JSON.stringify(ok.data)).toBe(302);
    expect(ok.location).toBe(`/admin/candidates/${g.reg.id}?photo=1`);
    const after = (await regRow(g.reg.id))!;
    const photo = await getDb()
      .selectFrom("photo")
      .selectAll()
      .where("id", "=", after.photo_id!)
      .executeTakeFirstOrThrow();
    expect(photo).toMatchObject({ width: 360, height: 480, id_number: g.idNumber, org_id: site3 });
    // A dark background is refused as on the candidate's page, and nothing changes.
    const dark = await uploadFor(admin3, g.reg.id, await compliantPhoto({ background: DARK_GREY }));
    expect(dark.status).toBe(400);
    expect((await regRow(g.reg.id))!.photo_id).toBe(photo.id);
    const locked = await reg({ siteId: site3, locked: true });
    expect((await uploadFor(admin3, locked.reg.id, await compliantPhoto())).status).toBe(403);
    expect((await uploadFor(admin1, g.reg.id, await compliantPhoto())).status).toBe(403);
    expect(
      (await uploadFor(admin2, (await reg({ siteId: site2, subjects: [] })).reg.id, await compliantPhoto())).status,
    ).toBe(403);
  });

  it("MGT-1/CAN-6: the site submits a group candidate for review; after a photo failure only once the photo is new", async () => {
    const g = await reg({ siteId: site3, channel: "group", review: "none" });
    const submit = (id: number) =>
      act(candidateRoute, `/admin/candidates/${id}`, admin3, { intent: "submit_review" }, { id: String(id) });
    const r = await submit(g.reg.id);
    expect(r.status, JSON.stringify(r.data)).toBe(200);
    expect(await regRow(g.reg.id)).toMatchObject({ review_status: "pending", locked: true });
    expect((await submit(g.reg.id)).status).toBe(409);
    await bulk(
      admin3,
      { intent: "fail", ids: g.reg.id, failureType: "photo", reason: "模糊" },
      reviewRoute,
      "/admin/review",
    );
    const again = await submit(g.reg.id);
    expect(again.status).toBe(409);
    expect(again.data.error).toContain("照片");
    expect((await uploadFor(admin3, g.reg.id, await compliantPhoto())).status).toBe(302);
    expect((await submit(g.reg.id)).status).toBe(200);
    expect((await regRow(g.reg.id))!.review_status).toBe("pending");
  });
});

describe("X-6: readiness of registration", () => {
  it("X-6: the site's home lists unpaid entries, pending reviews and missing photos, each linking to its search; the province sees the roll-up", async () => {
    const home = await load(homeRoute, "/admin", admin3);
    const me = home.data.readiness[0];
    const gaps = Object.fromEntries(me.registration.map((g: { item: string; count: number }) => [g.item, g.count]));
    const db = getDb();
    const pending = await db
      .selectFrom("registration")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("org_id", "=", site3)
      .where("review_status", "=", "pending")
      .executeTakeFirstOrThrow();
    const unpaid = await db
      .selectFrom("entry")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("org_id", "=", site3)
      .where("paid", "=", false)
      .executeTakeFirstOrThrow();
    if (Number(pending.n) > 0) expect(gaps.pending_review).toBe(Number(pending.n));
    expect(gaps.unpaid_entries ?? 0).toBe(Number(unpaid.n));
    // One more candidate without a photo moves the count by one.
    await reg({ siteId: site3, photo: false });
    const after = await load(homeRoute, "/admin", admin3);
    const missing = (x: typeof home) =>
      x.data.readiness[0].registration.find((g: { item: string }) => g.item === "missing_photos")?.count ?? 0;
    expect(missing(after)).toBe(missing(home) + 1);
    const prov = await load(homeRoute, "/admin", province);
    const row = prov.data.readiness.find((s: { id: number }) => s.id === site3);
    expect(row.registration.find((g: { item: string }) => g.item === "missing_photos").count).toBe(missing(after));
    const { registrationReadinessLink } = await import("../../app/domain/readiness");
    expect(registrationReadinessLink("missing_photos", site3)).toBe(`/admin/candidates?photo=no&site=${site3}`);
  });
});

describe("group payment on the candidate pages (issue 15 item 8)", () => {
  it("CAN-10/GRP-6: a group-paid candidate sees the site's payment batch, not 'no orders'; unpaid subjects show their fee", async () => {
    const c = await newCandidate("集体缴费者");
    const r = await reg({
      channel: "group",
      accountId: c.id,
      subjects: ["14", "15"],
      paid: ["14"],
      groupPaid: true,
    });
    const { payment_batch_id: batchId } = await getDb()
      .selectFrom("entry")
      .select("payment_batch_id")
      .where("registration_id", "=", r.reg.id)
      .where("subject_code", "=", "14")
      .executeTakeFirstOrThrow();
    expect(batchId).toBeGreaterThan(0);
    const status = await load(statusRoute, "/candidate", c.cookie);
    expect(status.data.batches).toEqual([
      expect.objectContaining({ id: batchId, status: "paid", subjects: ["14"], paidAt: expect.any(String) }),
    ]);
    // The unpaid subject states what it costs at this site (SET-3's fee), the paid one what was paid.
    const fee15 = await getDb()
      .selectFrom("site_fee")
      .select("fee_fen")
      .where("org_id", "=", site1)
      .where("sitting_id", "=", sittingId)
      .where("subject_code", "=", "15")
      .executeTakeFirst();
    const unpaid = status.data.entries.find((e: { code: string }) => e.code === "15");
    expect(unpaid).toMatchObject({ paid: false, fee_fen: fee15?.fee_fen ?? null });
    expect(fee15?.fee_fen, "the demo site prices subject 15").toBeGreaterThan(0);

    const admin = await load(candidateRoute, `/admin/candidates/${r.reg.id}`, admin1, { id: String(r.reg.id) });
    expect(admin.data.payments).toEqual([]);
    expect(admin.data.batches.map((b: { id: number }) => b.id)).toEqual([batchId]);
  });
});
