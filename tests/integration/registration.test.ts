import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import pg from "pg";
import { withDatabase } from "../setup/global-db";
import { readSession } from "../../app/utils/session.server";
import { setEntriesOfRequest } from "../../app/services/set-entries.server";
import * as signupRoute from "../../app/routes/signup";
import { listOutbox } from "../../app/messages/outbox.server";
import * as siteRoute from "../../app/routes/candidate.site";
import * as detailsRoute from "../../app/routes/candidate.details";
import * as photoRoute from "../../app/routes/candidate.photo";
import * as photoImageRoute from "../../app/routes/candidate.photo-image";
import * as entriesRoute from "../../app/routes/candidate.entries";
import * as entriesSaveRoute from "../../app/routes/candidate.entries.save";
import * as payRoute from "../../app/routes/candidate.pay";
import * as statusRoute from "../../app/routes/candidate._index";
import * as notifyRoute from "../../app/routes/payments.notify.$provider";
import * as adminRoute from "../../app/routes/admin._index";
import { getDb, getDbHandle, setDbHandle } from "../../db/client";
import { deliverNotificationsInProcess } from "../factories/online-candidate";
import { settleSimulatedTxn, signSimNotification, simNotificationBody } from "../../app/payments/simulated.server";
import { releaseExpiredHolds } from "../../app/services/release-expired-holds.server";
import { reviewRegistration } from "../../app/services/review-registration.server";
import { toHalfWidth } from "../../app/domain/import-values";
import { act, auditCount, load, makeRequest, newCandidate, orgId, residentId, run, sessionCookie } from "../factories";
import { addSeatsTaken, guardSeats, SITE_TOTAL } from "../factories/seats";
import { compliantPhoto, darkBackgroundPhoto, hugeBytes, pngBytes } from "../fixtures/photos";

// CAN-4/CAN-8: seat counters equal rows after every test (tests/setup/per-file-db.ts).
guardSeats();

let site1: number, site2: number, site3: number, sittingId: number;

beforeAll(async () => {
  [site1, site2, site3] = await Promise.all(["990101", "990102", "990201"].map(orgId));
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  // Notifications go straight to the route module, as the gateway would post them.
  deliverNotificationsInProcess();
});

let seq = 0;
function details(id = residentId("2004-05-06", ++seq), extra: Record<string, string> = {}) {
  return {
    name: "王小明",
    gender: "1",
    birth_date: "2004-05-06",
    id_type: "1",
    id_number: id,
    ethnicity: "01",
    education: "20",
    occupation: "",
    department: "计算机学院",
    major: "软件工程",
    class_name: "计科2401",
    student_no: "2024001",
    phone: "13800001111",
    address: "北京市海淀区",
    postcode: "100080",
    email: "",
    ...extra,
  };
}

/** SR-6: the ID number and name go to the site page by POST (kept in the draft), never in a URL. */
async function lookUp(cookie: string, idNumber: string, name = "王小明") {
  return act(siteRoute, "/candidate/site", cookie, { idType: "1", idNumber, name });
}

async function register(cookie: string, siteId = site1, fields: Record<string, string> = details()) {
  return act(detailsRoute, "/candidate/details", cookie, { site: siteId, ...fields });
}

async function uploadPhoto(cookie: string, bytes: Buffer, name = "me.jpg", type = "image/jpeg") {
  const form = new FormData();
  form.set("photo", new Blob([new Uint8Array(bytes)], { type }), name);
  const request = new Request("http://localhost:3000/candidate/photo", {
    method: "POST",
    body: form,
    headers: { Cookie: cookie, "x-kaowu-client-ip": "127.0.0.1" },
  });
  return run(() => photoRoute.action({ request, params: {}, context: {} }));
}

async function entries(cookie: string, subjects: string[], extra: Record<string, string> = {}) {
  const body = new URLSearchParams(subjects.map((s) => ["subject", s]));
  for (const [k, v] of Object.entries(extra)) body.set(k, v);
  const request = new Request("http://localhost:3000/candidate/entries", {
    method: "POST",
    body,
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
  return run(() => entriesRoute.action({ request, params: {}, context: {} }));
}

async function regOf(cookie: string) {
  const sid = cookie.split("=")[1];
  const s = await getDb().selectFrom("session").select("account_id").where("id", "=", sid).executeTakeFirstOrThrow();
  return getDb().selectFrom("registration").selectAll().where("account_id", "=", s.account_id).executeTakeFirst();
}

/** A registration's entries as subject and paid, in the order the database returns them. */
function entryRowsOf(registrationId: number) {
  return getDb()
    .selectFrom("entry")
    .select(["subject_code", "paid"])
    .where("registration_id", "=", registrationId)
    .execute();
}

async function counters(siteId: number, code: string) {
  const s = await getDb()
    .selectFrom("site_subject")
    .select(["capacity", "taken"])
    .where("org_id", "=", siteId)
    .where("subject_code", "=", code)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirstOrThrow();
  const t = await getDb()
    .selectFrom("site_setting")
    .select(["total_capacity", "total_taken"])
    .where("org_id", "=", siteId)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirstOrThrow();
  return { subject: s.taken, total: t.total_taken };
}

/** A registered candidate with a photo at site 990101, ready to choose entries. */
async function readyCandidate(siteId = site1) {
  const c = await newCandidate();
  expect((await register(c.cookie, siteId)).location).toBe("/candidate/photo?new=1");
  expect((await uploadPhoto(c.cookie, await compliantPhoto())).location).toBe("/candidate/photo?saved=1");
  return c;
}

async function payThroughGateway(cookie: string, outcome: "success" | "fail" | "timeout" | "delayed" = "success") {
  const start = await act(payRoute, "/candidate/pay", cookie, { intent: "pay" });
  expect(start.status).toBe(302);
  const txn = start.location!.split("/").pop()!;
  const settled = await settleSimulatedTxn(txn, outcome, { delayMs: 50, backoffMs: 1 });
  await settled.delivered;
  return { txn, location: start.location! };
}

describe("sign-up (CAN-1)", () => {
  /** Step 1 then step 2 with the code the demo outbox holds for the address (decision 0019). */
  async function signUp(login: string, target: string, name: string, password = "Tr4ck-Jade-91") {
    const started = await act(signupRoute, "/signup", undefined, {
      intent: "start",
      login,
      name,
      password,
      confirm: password,
    });
    expect(started.data, JSON.stringify(started.data)).toMatchObject({ step: "code" });
    const [message] = await listOutbox({ recipient: target, limit: 1 });
    const code = /\b(\d{6})\b/.exec(message.body)![1];
    return act(signupRoute, "/signup", undefined, {
      intent: "verify",
      ticket: started.data.ticket,
      sentTo: started.data.sentTo,
      code,
    });
  }

  it("CAN-1: anyone creates an account with an e-mail or a mobile number and a policy password, proven by a code, and is signed in", async () => {
    const byMail = await signUp("New.One@Example.com", "new.one@example.com", "新考生");
    expect(byMail.location).toBe("/candidate?welcome=1");
    expect(byMail.headers?.get("Set-Cookie")).toContain("kaowu_session=");
    const byMobile = await signUp("１３９ ００００ ２２２２", "13900002222", "手机考生");
    expect(byMobile.status).toBe(302);
    const rows = await getDb()
      .selectFrom("account")
      .select(["email", "mobile", "role"])
      .where((eb) => eb.or([eb("email", "=", "new.one@example.com"), eb("mobile", "=", "13900002222")]))
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.role === "candidate")).toBe(true);
    expect(await auditCount("account.sign_up")).toBe(2);
  });

  it("CAN-1: a weak password, a mismatch and a malformed login are refused with a message; a taken login gets the same answer as a free one", async () => {
    const weak = await act(signupRoute, "/signup", undefined, {
      intent: "start",
      login: "weak@example.com",
      name: "甲",
      password: "abcdefgh",
      confirm: "abcdefgh",
    });
    expect(weak.data.error).toContain("容易被猜到");
    expect(
      (
        await act(signupRoute, "/signup", undefined, {
          intent: "start",
          login: "m@example.com",
          name: "甲",
          password: "Tr4ck-Jade-91",
          confirm: "Tr4ck-Jade-92",
        })
      ).data.error,
    ).toBe("两次输入的新密码不一致。");
    const taken = await act(signupRoute, "/signup", undefined, {
      intent: "start",
      login: "site990101@example.com",
      name: "甲",
      password: "Tr4ck-Jade-91",
      confirm: "Tr4ck-Jade-91",
    });
    expect(taken.data).toMatchObject({ step: "code" });
    expect(
      (
        await act(signupRoute, "/signup", undefined, {
          intent: "start",
          login: "12345",
          name: "甲",
          password: "Tr4ck-Jade-91",
          confirm: "Tr4ck-Jade-91",
        })
      ).data.error,
    ).toContain("11 位");
  });
});

describe("choosing a site and personal data (CAN-2, CAN-3, SET-9, SR-6)", () => {
  it("CAN-2: only sites with online registration open, capacity and fees set are offered", async () => {
    const c = await newCandidate();
    expect((await lookUp(c.cookie, residentId("2003-01-02", 7))).status).toBe(302);
    const r = await load(siteRoute, "/candidate/site", c.cookie);
    const codes = r.data.sites.map((s: { code: string }) => s.code);
    expect(codes).toContain("990101");
    expect(codes).toContain("990201");
    expect(codes).not.toContain("990102");
  });

  it("CAN-2: a forged site id (a closed site, a city) is refused on the server and nothing is written", async () => {
    const c = await newCandidate();
    expect((await register(c.cookie, site2)).status).toBe(403);
    expect((await register(c.cookie, await orgId("9901"))).status).toBe(403);
    expect(await regOf(c.cookie)).toBeUndefined();
  });

  it("CAN-3: an ID number with a wrong check digit is refused; a full-width one is normalised and accepted", async () => {
    const c = await newCandidate();
    const good = residentId("2004-05-06", 900);
    const bad = good.slice(0, 17) + (good[17] === "1" ? "2" : "1");
    const r = await register(c.cookie, site1, details(bad));
    expect(r.data.fieldErrors.id_number.key).toBe("id.check_digit");
    const fullWidth = good.replace(/[0-9X]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    expect(toHalfWidth(fullWidth)).toBe(good);
    expect((await register(c.cookie, site1, details(fullWidth))).status).toBe(302);
    expect((await regOf(c.cookie))!.id_number).toBe(good);
  });

  it("CAN-2: the same ID number cannot be registered twice in a sitting", async () => {
    const id = residentId("2004-05-06", 901);
    const a = await newCandidate();
    const b = await newCandidate();
    expect((await register(a.cookie, site1, details(id))).status).toBe(302);
    expect((await register(b.cookie, site1, details(id))).data.fieldErrors.id_number.key).toBe(
      "privacy.id_unavailable",
    );
  });

  it("SET-8: with class options set, the class must be one of them", async () => {
    const c = await newCandidate();
    const r = await register(c.cookie, site1, details(undefined, { class_name: "不存在的班" }));
    expect(r.data.fieldErrors.class_name.key).toBe("class.not_an_option");
  });

  it("SET-9/SR-6: with the registry on, a record pre-fills the form at its site; a public candidate is refused where only registry candidates may register", async () => {
    const id = residentId("2005-03-08", 42, true);
    await getDb()
      .insertInto("student_record")
      .values({
        org_id: site3,
        id_type: "1",
        id_number: id,
        name: "李学籍",
        gender: "2",
        birth_date: "2005-03-08",
        ethnicity: "01",
        education: "20",
        class_name: "软件2501",
      })
      .execute();
    await getDb()
      .updateTable("site_setting")
      .set({ registry_enabled: true, only_province_registry: true })
      .where("org_id", "=", site3)
      .where("sitting_id", "=", sittingId)
      .execute();
    const c = await newCandidate();
    await lookUp(c.cookie, id, "李学籍");
    const page = await load(detailsRoute, `/candidate/details?site=${site3}`, c.cookie);
    expect(page.data.prefilled).toBe(true);
    expect(page.data.values.name).toBe("李学籍");
    expect(page.data.values.class_name).toBe("软件2501");
    // Issue 15 item 7 (CAN-5): without a record, a resident ID number still gives the gender and birth date.
    const plain = await newCandidate();
    await lookUp(plain.cookie, residentId("2002-07-09", 5), "王一");
    const form = await load(detailsRoute, `/candidate/details?site=${site3}`, plain.cookie);
    expect(form.data.prefilled).toBe(false);
    expect([form.data.values.gender, form.data.values.birth_date]).toEqual(["1", "2002-07-09"]);
    await lookUp(c.cookie, residentId("2001-01-01", 3));
    const sites = await load(siteRoute, "/candidate/site", c.cookie);
    expect(sites.data.sites.find((s: { code: string }) => s.code === "990201").refusal).toBe(
      "eligibility.public_refused",
    );
    const pub = await newCandidate();
    const refused = await register(
      pub.cookie,
      site3,
      details(residentId("2001-01-01", 3), { birth_date: "2001-01-01" }),
    );
    expect(refused.data.fieldErrors.site.key).toBe("eligibility.public_refused");
    expect(
      (
        await register(
          c.cookie,
          site3,
          details(id, { name: "李学籍", gender: "2", birth_date: "2005-03-08", class_name: "软件2501" }),
        )
      ).status,
    ).toBe(302);
    expect((await regOf(c.cookie))!.registry_candidate).toBe(true);
    await getDb()
      .updateTable("site_setting")
      .set({ registry_enabled: false, only_province_registry: false })
      .where("org_id", "=", site3)
      .where("sitting_id", "=", sittingId)
      .execute();
  });
});

describe("photo (PHO-4, PHO-7)", () => {
  it("PHO-7: a compliant photo is re-encoded to a 3:4 JPEG, stored once per ID, and served to its candidate only", async () => {
    const c = await readyCandidate();
    const reg = (await regOf(c.cookie))!;
    const photo = await getDb()
      .selectFrom("photo")
      .selectAll()
      .where("id", "=", reg.photo_id!)
      .executeTakeFirstOrThrow();
    expect(photo.width * 4).toBe(photo.height * 3);
    const img = await run(() =>
      photoImageRoute.loader({
        request: makeRequest("/candidate/photo-image", { cookie: c.cookie }),
        params: {},
        context: {},
      }),
    );
    expect(img.status).toBe(200);
    expect(img.headers?.get("Content-Type")).toBe("image/jpeg");
    const other = await newCandidate();
    expect(
      (
        await run(() =>
          photoImageRoute.loader({
            request: makeRequest("/candidate/photo-image", { cookie: other.cookie }),
            params: {},
            context: {},
          }),
        )
      ).status,
    ).toBe(404);
  });

  it("PHO-4: a PNG renamed .jpg, a dark background and a 20 MB file are refused with plain words and change nothing", async () => {
    const c = await newCandidate();
    await register(c.cookie);
    const png = await uploadPhoto(c.cookie, await pngBytes(), "photo.jpg");
    expect(png.status).toBe(400);
    expect(png.data.error).toContain("PNG");
    const dark = await uploadPhoto(c.cookie, await darkBackgroundPhoto());
    expect(dark.data.error).toMatch(/背景/);
    const huge = await uploadPhoto(c.cookie, hugeBytes(20 * 1024 * 1024));
    expect(huge.status).toBe(413);
    expect((await regOf(c.cookie))!.photo_id).toBeNull();
  });
});

describe("entries and seats (CAN-2, CAN-4)", () => {
  it("CAN-4: entries take a seat of their subject and of the site total; dropping one gives it back", async () => {
    const c = await readyCandidate();
    const before = await counters(site1, "14");
    expect((await entries(c.cookie, ["14", "65"])).location).toBe("/candidate/entries?saved=1");
    const after = await counters(site1, "14");
    expect(after.subject).toBe(before.subject + 1);
    expect(after.total).toBe(before.total + 2);
    // Issue 15 item 6 (CAN-8): the page says until when the seats are held (site 990101 does not review first).
    const page = await load(entriesRoute, "/candidate/entries?saved=1", c.cookie);
    expect(page.data.reviewFirst).toBe(false);
    expect(new Date(page.data.heldUntil).getTime()).toBeGreaterThan(Date.now());
    await entries(c.cookie, ["65"]);
    expect(await counters(site1, "14")).toEqual({ subject: before.subject, total: before.total + 1 });
  });

  it("X-7: saving entries reads the session, the current sitting and the registration with its rules, offer and entries in one statement, and writes entries, registration, audit and seats in one, with no transaction around them", async () => {
    const c = await readyCandidate();
    const h = getDbHandle();
    const statements: string[] = [];
    // Every statement the action sends (BEGIN and COMMIT aside) comes back through this plugin,
    // those compiled once (db/compile-once.ts) too.
    const counting = h.db.withPlugin({
      transformQuery: (a) => a.node,
      transformResult: async (a) => (statements.push(a.queryId.queryId), a.result),
    });
    let transactions = 0;
    const openTransaction = counting.transaction.bind(counting);
    counting.transaction = () => (transactions++, openTransaction());
    const auditsBefore = await auditCount("registration.entries");
    const before = await counters(site1, "14");
    setDbHandle({ ...h, db: counting });
    try {
      expect((await entries(c.cookie, ["14", "65"])).location).toBe("/candidate/entries?saved=1");
    } finally {
      setDbHandle(h);
    }
    // The session with the current sitting and the registration with its rules, offer, entries and
    // stamp, then the one write that checks the stamp and ends by taking every seat (decisions 0049,
    // 0051, 0060, 0061): 2, and no BEGIN or COMMIT (it was 11 in a transaction: the session, sitting,
    // rules, offer, entries, entry insert, registration update, audit, site total and subjects).
    expect(statements).toHaveLength(2);
    expect(transactions).toBe(0);
    expect(await counters(site1, "14")).toEqual({ subject: before.subject + 1, total: before.total + 2 });
    expect(await auditCount("registration.entries")).toBe(auditsBefore + 1);
    const reg = (await regOf(c.cookie))!;
    const rows = await getDb()
      .selectFrom("entry")
      .select(["subject_code", "hold_until"])
      .where("registration_id", "=", reg.id)
      .orderBy("subject_code")
      .execute();
    expect(rows.map((r) => r.subject_code)).toEqual(["14", "65"]);
    expect(rows.every((r) => r.hold_until !== null && r.hold_until.getTime() > Date.now())).toBe(true);
    // The entry_counts trigger runs after the one statement that also updates the registration.
    expect(reg.entry_count).toBe(2);
    expect(reg.hold_until!.getTime()).toBeGreaterThan(Date.now());
    await entries(c.cookie, ["65"]);
    expect((await regOf(c.cookie))!.entry_count).toBe(1);
  });

  it("X-7/CAN-4 (decision 0060): an entry paid between the read and the write is seen: the write changes nothing, and the change, run again with the registration locked, is refused", async () => {
    const c = await readyCandidate();
    await entries(c.cookie, ["14"]);
    const reg = (await regOf(c.cookie))!;
    const before = { "14": await counters(site1, "14"), "65": await counters(site1, "65") };
    const h = getDbHandle();
    let payment: Promise<unknown> | undefined;
    // Right after the change's unlocked read, the candidate's payment for subject 14 comes back.
    const racing = h.db.withPlugin({
      transformQuery: (a) => a.node,
      transformResult: async (a) => {
        const row = a.result.rows[0] as { change_stamp?: string } | undefined;
        if (row?.change_stamp !== undefined && !payment) {
          payment = h.db
            .updateTable("entry")
            .set({ paid: true, paid_at: new Date(), fee_fen: 5000 })
            .where("registration_id", "=", reg.id)
            .execute();
          // PostgreSQL: another pooled connection, done before the read answers. PGlite's one
          // connection is still the read's: the payment waits first in its queue, before the write.
          if (process.env.DATABASE_URL) await payment;
          else await new Promise((res) => setImmediate(res));
        }
        return a.result;
      },
    });
    setDbHandle({ ...h, db: racing });
    let r;
    try {
      r = await entries(c.cookie, ["65"]);
    } finally {
      setDbHandle(h);
    }
    await payment;
    // Without the stamp the write would have given back 14's seat (its delete skips a paid entry, but
    // the seats were counted from the read) and taken one of 65.
    expect(r.data.error).toBe("科目 14 已缴费，不能取消或修改。");
    expect(await counters(site1, "14")).toEqual(before["14"]);
    expect(await counters(site1, "65")).toEqual(before["65"]);
    expect(await entryRowsOf(reg.id)).toEqual([{ subject_code: "14", paid: true }]);
  });

  it("X-7 (decision 0061): a save writes the registration's row once; its new entries are counted in that write, removed ones by the counts trigger", async () => {
    const c = await readyCandidate();
    const reg = (await regOf(c.cookie))!;
    // Every new version of this registration's row, counted by a trigger of this test's own.
    await sql`create table if not exists test_registration_writes (id int primary key, n int not null)`.execute(
      getDb(),
    );
    await sql`create or replace function test_count_registration_write() returns trigger language plpgsql as $$
      begin
        insert into test_registration_writes values (new.id, 1) on conflict (id) do update set n = test_registration_writes.n + 1;
        return null;
      end $$`.execute(getDb());
    await sql`create or replace trigger test_registration_writes after update on registration
      for each row execute function test_count_registration_write()`.execute(getDb());
    const writes = async () =>
      (
        await sql<{
          n: number;
        }>`select coalesce((select n from test_registration_writes where id = ${reg.id}), 0) as n`.execute(getDb())
      ).rows[0].n;
    try {
      expect((await entries(c.cookie, ["14", "65"])).location).toBe("/candidate/entries?saved=1");
      expect(await writes()).toBe(1);
      expect((await regOf(c.cookie))!.entry_count).toBe(2);
      expect((await entries(c.cookie, ["14", "15"])).location).toBe("/candidate/entries?saved=1");
      expect((await regOf(c.cookie))!.entry_count).toBe(2);
      expect(await writes()).toBe(3);
    } finally {
      await sql`drop trigger test_registration_writes on registration`.execute(getDb());
    }
  });

  it("X-7 (decision 0061): when the request's session was read before the save, the registration is read on its own; a candidate without one is told so", async () => {
    const c = await readyCandidate();
    const before = await counters(site1, "14");
    const request = makeRequest("/candidate/entries/save", { cookie: c.cookie, form: { subject: ["14"] } });
    await readSession(request);
    await setEntriesOfRequest(request, { subjects: ["14"] });
    expect(await counters(site1, "14")).toEqual({ subject: before.subject + 1, total: before.total + 1 });
    const reg = (await regOf(c.cookie))!;
    expect(
      (await getDb().selectFrom("entry").select("subject_code").where("registration_id", "=", reg.id).execute()).map(
        (e) => e.subject_code,
      ),
    ).toEqual(["14"]);
    const none = await newCandidate();
    await expect(
      setEntriesOfRequest(makeRequest("/candidate/entries/save", { cookie: none.cookie }), { subjects: ["14"] }),
    ).rejects.toMatchObject({ key: "reg.none" });
  });

  it.runIf(!!process.env.DATABASE_URL)(
    "X-7 (decision 0060): the write's check sees a change committed while it waited for the registration's lock",
    async () => {
      const c = await readyCandidate();
      await entries(c.cookie, ["14"]);
      const reg = (await regOf(c.cookie))!;
      const stampOf = async () =>
        (await sql<{ s: string }>`select registration_stamp(${reg.id}) as s`.execute(getDb())).rows[0].s;
      const db = (await sql<{ db: string }>`select current_database() as db`.execute(getDb())).rows[0].db;
      const connectionString = withDatabase(process.env.DATABASE_URL!, db);
      const a = new pg.Client({ connectionString });
      const b = new pg.Client({ connectionString });
      await a.connect();
      await b.connect();
      // B checks the stamp it read while A, holding the registration (as every change of it does
      // first), changes an entry and commits; B's statement began before A's commit.
      const raced = async (check: string) => {
        const stamp = await stampOf();
        await a.query("begin");
        await a.query("select 1 from registration where id = $1 for update", [reg.id]);
        await a.query("update entry set hold_until = hold_until + interval '1 minute' where registration_id = $1", [
          reg.id,
        ]);
        const waiting = b.query<{ ok: boolean }>(check, [reg.id, stamp]);
        await new Promise((res) => setTimeout(res, 200));
        await a.query("commit");
        expect(await stampOf()).not.toBe(stamp);
        return (await waiting).rows[0].ok;
      };
      try {
        // Checked inside the locking statement itself, the stamp comes from the statement's older
        // snapshot and misses A's change (why 0049 kept the entries a statement of their own).
        expect(await raced("select registration_stamp($1) = $2 as ok from registration where id = $1 for update")).toBe(
          true,
        );
        expect(await raced("select registration_lock_if_unchanged($1, $2) as ok")).toBe(false);
        expect(
          (await b.query("select registration_lock_if_unchanged($1, $2) as ok", [reg.id, await stampOf()])).rows[0].ok,
        ).toBe(true);
      } finally {
        await a.end();
        await b.end();
      }
    },
  );

  it("CAN-2: a subject the site does not offer, more entries than allowed and a full subject are refused and take nothing", async () => {
    const c = await readyCandidate();
    expect((await entries(c.cookie, ["61"])).data.error).toBe("科目 61 不在本考点的开考科目中。");
    expect((await entries(c.cookie, ["14", "15", "24"])).data.error).toBe("本考点每人最多报考 2 科。");
    const first = await readyCandidate();
    await entries(first.cookie, ["24"]);
    await getDb()
      .updateTable("site_subject")
      .set({ capacity: sql`taken` })
      .where("org_id", "=", site1)
      .where("subject_code", "=", "24")
      .where("sitting_id", "=", sittingId)
      .execute();
    const before = await counters(site1, "15");
    expect((await entries(c.cookie, ["15", "24"])).data.error).toBe(
      "科目 24 的名额刚刚报满，未能保存，请选择其他科目。",
    );
    expect(await counters(site1, "15")).toEqual(before);
    await getDb()
      .updateTable("site_subject")
      .set({ capacity: 160 })
      .where("org_id", "=", site1)
      .where("subject_code", "=", "24")
      .where("sitting_id", "=", sittingId)
      .execute();
  });

  it("CAN-4/X-7: the page's script sends the form to its save route: a refusal is one line of JSON, a save the same redirect, no session a login", async () => {
    // Issue 21 item 2: a "full" answer without the page rendered again.
    const send = async (cookie: string | undefined, subjects: string[]) => {
      const request = makeRequest("/candidate/entries/save", { cookie, form: { subject: subjects } });
      request.headers.set("Accept", "application/json");
      try {
        return (await entriesSaveRoute.action({ request, params: {}, context: {} })) as Response;
      } catch (e) {
        if (e instanceof Response) return e;
        throw e;
      }
    };
    const c = await readyCandidate();
    const before = await counters(site1, "14");
    const refused = await send(c.cookie, ["61"]);
    expect(refused.status).toBe(200);
    expect(refused.headers.get("Content-Type")).toContain("application/json");
    const body = await refused.text();
    expect(JSON.parse(body)).toEqual({ error: "科目 61 不在本考点的开考科目中。" });
    expect(Buffer.byteLength(body)).toBeLessThan(100);
    expect(await counters(site1, "14")).toEqual(before);
    expect((await regOf(c.cookie))!.entry_count).toBe(0);

    const saved = await send(c.cookie, ["14"]);
    expect([saved.status, saved.headers.get("Location")]).toEqual([302, "/candidate/entries?saved=1"]);
    expect((await regOf(c.cookie))!.entry_count).toBe(1);
    const after = { subject: before.subject + 1, total: before.total + 1 };
    expect(await counters(site1, "14")).toEqual(after);
    // The same form again (a retry after a lost answer) changes nothing.
    expect((await send(c.cookie, ["14"])).status).toBe(302);
    expect(await counters(site1, "14")).toEqual(after);

    const anonymous = await send(undefined, ["14"]);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
  });

  it("CAN-4: the site's total capacity stops entries even when the subject has room", async () => {
    const c = await readyCandidate();
    await getDb()
      .updateTable("site_setting")
      .set({ total_capacity: sql`greatest(total_taken, 100)` })
      .where("org_id", "=", site1)
      .where("sitting_id", "=", sittingId)
      .execute();
    const t = await getDb()
      .selectFrom("site_setting")
      .select(["total_capacity", "total_taken"])
      .where("org_id", "=", site1)
      .where("sitting_id", "=", sittingId)
      .executeTakeFirstOrThrow();
    if (t.total_capacity === t.total_taken)
      expect((await entries(c.cookie, ["15"])).data.error).toBe("本考点的总报考名额已满，未能保存。");
    await getDb()
      .updateTable("site_setting")
      .set({ total_capacity: 800 })
      .where("org_id", "=", site1)
      .where("sitting_id", "=", sittingId)
      .execute();
  });

  it("SET-5: a preferred date takes a place of that day's quota, online candidates only", async () => {
    const province = await orgId("99");
    await getDb()
      .insertInto("province_setting")
      .values({ sitting_id: sittingId, org_id: province, preferred_dates_enabled: true })
      .onConflict((oc) => oc.columns(["sitting_id", "org_id"]).doUpdateSet({ preferred_dates_enabled: true }))
      .execute();
    await getDb()
      .insertInto("preferred_date_quota")
      .values({ sitting_id: sittingId, org_id: site1, exam_date: "2027-03-28", quota: 1 })
      .execute();
    const a = await readyCandidate();
    const b = await readyCandidate();
    expect((await entries(a.cookie, ["14"], { preferredDate: "2027-03-28" })).status).toBe(302);
    expect((await entries(b.cookie, ["14"], { preferredDate: "2027-03-28" })).data.error).toContain("意向名额已满");
    expect((await regOf(a.cookie))!.preferred_date).toBe("2027-03-28");
    await entries(a.cookie, ["14"], { preferredDate: "" });
    expect((await entries(b.cookie, ["14"], { preferredDate: "2027-03-28" })).status).toBe(302);
    await getDb()
      .updateTable("province_setting")
      .set({ preferred_dates_enabled: false })
      .where("org_id", "=", province)
      .execute();
  });
});

describe("lock, review, payment (CAN-5, CAN-6, CAN-7)", () => {
  it("CAN-7: the fee is the per-person fee once plus subject fees, computed on the server whatever the form says", async () => {
    const c = await readyCandidate();
    await entries(c.cookie, ["14", "65"]);
    const start = await act(payRoute, "/candidate/pay", c.cookie, { intent: "pay", amount: 1, amount_fen: 1 });
    expect(start.location).toMatch(/^\/pay\/sim\/SIM/);
    const p = await getDb()
      .selectFrom("payment")
      .selectAll()
      .where("registration_id", "=", (await regOf(c.cookie))!.id)
      .executeTakeFirstOrThrow();
    // 10 yuan per person + 110 for each of these subjects (levels 1 and 2).
    expect(p.amount_fen).toBe(1000 + 11000 + 11000);
    expect(p.per_person_fen).toBe(1000);
  });

  it("CAN-5: starting payment locks personal data, site and photo; entries can still change while unpaid", async () => {
    const c = await readyCandidate();
    await entries(c.cookie, ["14"]);
    await payThroughGateway(c.cookie, "fail");
    expect((await regOf(c.cookie))!.locked).toBe(true);
    expect((await register(c.cookie)).status).toBe(403);
    expect((await uploadPhoto(c.cookie, await compliantPhoto())).status).toBe(403);
    expect((await entries(c.cookie, ["14", "65"])).status).toBe(302);
  });

  it("CAN-7: a paid entry cannot be dropped; a later entry pays its subject fee only; the status page says so", async () => {
    const c = await readyCandidate();
    await entries(c.cookie, ["14"]);
    await payThroughGateway(c.cookie, "success");
    const reg = (await regOf(c.cookie))!;
    expect(reg.person_fee_paid).toBe(true);
    expect((await entries(c.cookie, [])).data.error).toBe("科目 14 已缴费，不能取消或修改。");
    expect((await entries(c.cookie, ["14", "65"])).status).toBe(302);
    await act(payRoute, "/candidate/pay", c.cookie, { intent: "pay" });
    const second = await getDb()
      .selectFrom("payment")
      .selectAll()
      .where("registration_id", "=", reg.id)
      .where("status", "=", "pending")
      .executeTakeFirstOrThrow();
    expect(second.amount_fen).toBe(11000);
    const status = await load(statusRoute, "/candidate", c.cookie);
    expect(status.data.status.next).toBe("confirm_payment");
    // Issue 15 item 6: the first order stands on the status page as a receipt; the open one does not.
    expect(status.data.receipts).toHaveLength(1);
    const [receipt] = status.data.receipts;
    expect(receipt.lines.map((l: { code: string }) => l.code)).toEqual(["14"]);
    expect(receipt.perPersonFen + receipt.lines[0].feeFen).toBe(receipt.totalFen);
    expect(receipt.perPersonFen).toBeGreaterThan(0);
  });

  it("CAN-7: a replayed notification changes nothing; a tampered amount or a forged signature is refused", async () => {
    const c = await readyCandidate();
    await entries(c.cookie, ["15"]);
    const start = await act(payRoute, "/candidate/pay", c.cookie, { intent: "pay" });
    const reg = (await regOf(c.cookie))!;
    const p = await getDb()
      .selectFrom("payment")
      .selectAll()
      .where("registration_id", "=", reg.id)
      .executeTakeFirstOrThrow();
    const fields = {
      order_id: p.id,
      txn_id: "T-REPLAY-1",
      status: "paid",
      amount_fen: String(p.amount_fen),
      ts: String(Date.now()),
    };
    const post = (body: URLSearchParams) =>
      notifyRoute.action({
        request: new Request("http://localhost:3000/payments/notify/simulated", { method: "POST", body }),
        params: { provider: "simulated" },
        context: {},
      });

    const tampered = { ...fields, amount_fen: "1" };
    const r0 = await post(simNotificationBody(tampered));
    expect(r0.headers.get("X-Kaowu-Outcome")).toBe("amount_mismatch");
    const forged = new URLSearchParams({
      ...fields,
      sign: signSimNotification(fields).replace(/^./, (ch) => (ch === "0" ? "1" : "0")),
    });
    expect((await post(forged)).status).toBe(400);
    expect(
      (await getDb().selectFrom("entry").select("paid").where("registration_id", "=", reg.id).executeTakeFirstOrThrow())
        .paid,
    ).toBe(false);

    expect((await post(simNotificationBody(fields))).headers.get("X-Kaowu-Outcome")).toBe("applied");
    expect((await post(simNotificationBody(fields))).headers.get("X-Kaowu-Outcome")).toBe("duplicate");
    const audits = await getDb()
      .selectFrom("audit_log")
      .select("id")
      .where("action", "=", "payment.paid")
      .where("entity_id", "=", p.id)
      .execute();
    expect(audits).toHaveLength(1);
    const outcomes = await getDb()
      .selectFrom("payment_notification")
      .select("outcome")
      .where("payment_id", "=", p.id)
      .orderBy("id")
      .execute();
    expect(outcomes.map((o) => o.outcome)).toEqual(["amount_mismatch", "applied", "duplicate"]); // a forged one writes no row
    expect(start.status).toBe(302);
  });

  it("CAN-7: with a delayed notification, coming back from the gateway reconciles at once; a timed-out payment can be given up", async () => {
    const c = await readyCandidate();
    await entries(c.cookie, ["24"]);
    const { txn } = await payThroughGateway(c.cookie, "timeout");
    const reg = (await regOf(c.cookie))!;
    const p = await getDb()
      .selectFrom("payment")
      .select("id")
      .where("registration_id", "=", reg.id)
      .executeTakeFirstOrThrow();
    expect((await entries(c.cookie, [])).data.error).toContain("正在支付中");
    // The payer pays after all, on the same order, and the notification is slow.
    const settled = await settleSimulatedTxn(txn, "delayed", { delayMs: 60_000 });
    const back = await load(payRoute, `/candidate/pay?order=${p.id}`, c.cookie);
    expect(back.data.lastOrder).toBe("paid");
    void settled;

    const d = await readyCandidate();
    await entries(d.cookie, ["24"]);
    await payThroughGateway(d.cookie, "timeout");
    await act(payRoute, "/candidate/pay", d.cookie, { intent: "abandon" });
    expect((await entries(d.cookie, [])).status).toBe(302);
  });

  it("CAN-7/FIN-2: a per-person fee paid meanwhile by another way is owed back as a refund when a late payment includes it again", async () => {
    const c = await readyCandidate();
    await entries(c.cookie, ["66"]);
    const { txn } = await payThroughGateway(c.cookie, "timeout");
    const reg = (await regOf(c.cookie))!;
    // As if the site's group payment had paid the per-person fee with another entry meanwhile.
    await getDb().updateTable("registration").set({ person_fee_paid: true }).where("id", "=", reg.id).execute();
    await (
      await settleSimulatedTxn(txn, "success", { backoffMs: 1 })
    ).delivered;
    const p = await getDb()
      .selectFrom("payment")
      .select(["status", "note", "per_person_fen"])
      .where("registration_id", "=", reg.id)
      .executeTakeFirstOrThrow();
    expect(p).toEqual({ status: "paid", note: "per_person_refund_due", per_person_fen: 1000 });
    // FIN-2 (issue 20 item 3): and owed back as a refund of that fee, once.
    const owed = await getDb()
      .selectFrom("refund")
      .select(["reason", "amount_fen", "state"])
      .where("registration_id", "=", reg.id)
      .execute();
    expect(owed).toEqual([{ reason: "per_person_fee", amount_fen: 1000, state: "due" }]);
  });

  it("CAN-6: with review required, payment waits for review; a photo failure needs a new photo before resubmitting", async () => {
    const c = await readyCandidate(site3);
    await entries(c.cookie, ["14"]);
    const refused = await act(payRoute, "/candidate/pay", c.cookie, { intent: "pay" });
    expect(refused.data.error).toBe("本考点需要审核，请先提交审核，审核通过后再缴费。");
    expect((await act(statusRoute, "/candidate", c.cookie, { intent: "submit_review" })).status).toBe(200);
    let reg = (await regOf(c.cookie))!;
    expect(reg).toMatchObject({ locked: true, review_status: "pending", hold_until: null });
    expect((await act(payRoute, "/candidate/pay", c.cookie, { intent: "pay" })).data.error).toBe(
      "报名信息正在审核中，审核通过后才能缴费。",
    );

    const admin = { accountId: null, name: "审核员", orgId: site3, sittingId, ip: null };
    await getDb()
      .transaction()
      .execute((trx) =>
        reviewRegistration(trx, admin, reg.id, { pass: false, failureType: "photo", reason: "背景不合格" }),
      );
    reg = (await regOf(c.cookie))!;
    expect(reg).toMatchObject({ locked: false, review_status: "failed" });
    expect((await act(statusRoute, "/candidate", c.cookie, { intent: "submit_review" })).data.error).toBe(
      "照片审核未通过，请先重新上传照片再提交审核。",
    );
    expect((await load(statusRoute, "/candidate", c.cookie)).data.status.next).toBe("new_photo");
    await new Promise((r) => setTimeout(r, 5));
    expect((await uploadPhoto(c.cookie, await compliantPhoto())).status).toBe(302);
    expect((await act(statusRoute, "/candidate", c.cookie, { intent: "submit_review" })).status).toBe(200);
    await getDb()
      .transaction()
      .execute((trx) => reviewRegistration(trx, admin, reg.id, { pass: true }));
    await payThroughGateway(c.cookie, "success");
    const e = await getDb()
      .selectFrom("entry")
      .select(["paid", "fee_fen"])
      .where("registration_id", "=", reg.id)
      .executeTakeFirstOrThrow();
    expect(e).toEqual({ paid: true, fee_fen: 11000 });
  });
});

describe("holds (CAN-8)", () => {
  it("CAN-8: unpaid online entries past their hold release their seats and the empty registration goes; paid, paying and group ones stay", async () => {
    const idle = await readyCandidate();
    await entries(idle.cookie, ["66"]);
    const paying = await readyCandidate();
    await entries(paying.cookie, ["66"]);
    await act(payRoute, "/candidate/pay", paying.cookie, { intent: "pay" });
    const paid = await readyCandidate();
    await entries(paid.cookie, ["66"]);
    await payThroughGateway(paid.cookie, "success");

    // A group registration (GRP-5: never auto-deleted), past any hold.
    const group = await getDb()
      .insertInto("registration")
      .values({
        ...details(residentId("2001-02-03", 77)),
        sitting_id: sittingId,
        org_id: site1,
        account_id: null,
        channel: "group",
        hold_until: new Date(0),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await getDb()
      .insertInto("entry")
      .values({
        registration_id: group.id,
        sitting_id: sittingId,
        org_id: site1,
        subject_code: "66",
        hold_until: new Date(0),
      })
      .execute();
    // Its seat counted, as the group import counts it (CAN-4).
    await addSeatsTaken(sittingId, site1, SITE_TOTAL, 1);
    await addSeatsTaken(sittingId, site1, "66", 1);
    const before = await counters(site1, "66");

    // Every unpaid hold has run out; the paying candidate's payment is still open at the gateway.
    await getDb()
      .updateTable("entry")
      .set({ hold_until: new Date(Date.now() - 60_000) })
      .where("paid", "=", false)
      .where("subject_code", "=", "66")
      .execute();
    await getDb()
      .updateTable("registration")
      .set({ hold_until: new Date(Date.now() - 60_000) })
      .where("id", "=", (await regOf(idle.cookie))!.id)
      .execute();
    const r = await releaseExpiredHolds(new Date());
    expect(r.entriesReleased).toBe(1);
    expect(r.registrationsDeleted).toBe(1);
    expect(await regOf(idle.cookie)).toBeUndefined();
    expect(await regOf(paid.cookie)).toBeDefined();
    expect(
      await getDb().selectFrom("registration").select("id").where("id", "=", group.id).executeTakeFirst(),
    ).toBeDefined();
    const after = await counters(site1, "66");
    expect(after.subject).toBe(before.subject - 1);
    // The photo outlives the registration (PHO-6).
    expect(await getDb().selectFrom("photo").select("id").where("org_id", "=", site1).execute()).not.toHaveLength(0);
    expect(await auditCount("registration.expired")).toBeGreaterThanOrEqual(1);
    // The paying one keeps its entry while the payment is open.
    const payingReg = (await regOf(paying.cookie))!;
    expect(
      await getDb().selectFrom("entry").select("id").where("registration_id", "=", payingReg.id).execute(),
    ).toHaveLength(1);
  });

  it("CAN-7/CAN-8: a payment confirmed after its entry was released gets the seat back when there is one", async () => {
    const c = await readyCandidate();
    await entries(c.cookie, ["65"]);
    const { txn } = await payThroughGateway(c.cookie, "timeout");
    const reg = (await regOf(c.cookie))!;
    // Far past the payment's expiry and the grace: the payment expires and the entry goes.
    await releaseExpiredHolds(new Date(Date.now() + 5 * 60 * 60_000));
    expect(await getDb().selectFrom("entry").select("id").where("registration_id", "=", reg.id).execute()).toHaveLength(
      0,
    );
    const stillThere = await getDb()
      .selectFrom("registration")
      .select("id")
      .where("id", "=", reg.id)
      .executeTakeFirst();
    if (!stillThere) return; // the empty registration went too; a refund is then due (covered below)
    const settled = await settleSimulatedTxn(txn, "success", { backoffMs: 1 });
    await settled.delivered;
    expect(await entryRowsOf(reg.id)).toEqual([{ subject_code: "65", paid: true }]);
  });
});

describe("windows for candidates (WIN-4, SET-6)", () => {
  it("WIN-4: with the site administrators' windows closed, candidates still register inside the online-registration window", async () => {
    await getDb()
      .updateTable("window")
      .set({ starts_at: new Date("2020-01-01T00:00:00Z"), ends_at: new Date("2020-01-02T00:00:00Z") })
      .where("kind", "in", ["pre_registration", "registration"])
      .where("org_id", "=", site1)
      .execute();
    const c = await readyCandidate();
    expect((await entries(c.cookie, ["15"])).status).toBe(302);
  });

  it("SET-6: once the site's online window has closed, the candidate's changes are refused and the status page says so", async () => {
    const c = await readyCandidate();
    await entries(c.cookie, ["15"]);
    const range = await getDb()
      .selectFrom("site_setting")
      .select(["online_starts_at", "online_ends_at"])
      .where("org_id", "=", site1)
      .where("sitting_id", "=", sittingId)
      .executeTakeFirstOrThrow();
    await getDb()
      .updateTable("site_setting")
      .set({ online_starts_at: new Date("2020-01-01T00:00:00Z"), online_ends_at: new Date("2020-01-02T00:00:00Z") })
      .where("org_id", "=", site1)
      .where("sitting_id", "=", sittingId)
      .execute();
    try {
      expect((await entries(c.cookie, ["15", "65"])).data.error).toBe(
        "当前不在该考点的考生网上报名时间内，不能修改报名信息。",
      );
      expect((await act(payRoute, "/candidate/pay", c.cookie, { intent: "pay" })).status).toBe(409);
      const status = await load(statusRoute, "/candidate", c.cookie);
      expect(status.data.status.next).toBe("closed");
      expect(status.data.status.lines[0]).toMatchObject({ topic: "window", tone: "stop", key: "status.window_closed" });
    } finally {
      await getDb()
        .updateTable("site_setting")
        .set(range)
        .where("org_id", "=", site1)
        .where("sitting_id", "=", sittingId)
        .execute();
    }
  });
});

describe("status page and roles (CAN-10, ORG-3)", () => {
  it("CAN-10: the status page walks a new candidate through site, photo, entries and payment", async () => {
    const c = await newCandidate();
    expect((await load(statusRoute, "/candidate", c.cookie)).data.status.next).toBe("choose_site");
    await register(c.cookie);
    expect((await load(statusRoute, "/candidate", c.cookie)).data.status.next).toBe("upload_photo");
    await uploadPhoto(c.cookie, await compliantPhoto());
    expect((await load(statusRoute, "/candidate", c.cookie)).data.status.next).toBe("choose_entries");
    await entries(c.cookie, ["15"]);
    expect((await load(statusRoute, "/candidate", c.cookie)).data.status.next).toBe("pay");
    await payThroughGateway(c.cookie, "success");
    const done = await load(statusRoute, "/candidate", c.cookie);
    expect(done.data.status.next).toBe("wait_allocation");
    expect(done.data.status.lines.find((l: { topic: string }) => l.topic === "payment").key).toBe("status.paid_all");
  });

  it("ORG-3: administrators are sent to the admin area, candidates away from it", async () => {
    const admin = await sessionCookie("site990101@example.com");
    expect((await load(statusRoute, "/candidate", admin)).location).toBe("/admin");
    const c = await newCandidate();
    expect((await load(adminRoute, "/admin", c.cookie)).location).toBe("/candidate");
  });
});
