import { beforeAll, describe, expect, it } from "vitest";
import * as checkInRoute from "../../app/routes/admin.check-in._index";
import * as cardRoute from "../../app/routes/c.$token";
import * as candidatesRoute from "../../app/routes/admin.candidates._index";
import * as orgsRoute from "../../app/routes/admin.orgs";
import * as sheetsRoute from "../../app/routes/admin.room-sheets.$kind";
import * as photoRoute from "../../app/routes/admin.candidates.$id.photo";
import { signCardToken } from "../../app/domain/card-token";
import { cardSecret } from "../../app/services/admission-cards.server";
import { getDb } from "../../db/client";
import { act, load, orgId, sessionCookie } from "../factories";
import { numberedSite } from "../factories/rooms";
import { compliantPhoto } from "../fixtures/photos";

// DOC-9 (issue 19 item 1, check-in): 990102 on exam morning.
let site1: string, site2: string, province99: string;
let id990102: number, sittingId: number, sittingCode: string;
type Row = { id: number; admission_no: string; batch_id: number; name: string };
let entries: Row[];

beforeAll(async () => {
  [site1, site2, province99] = await Promise.all(
    ["site990101", "site990102", "province99"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  id990102 = await orgId("990102");
  const s = await getDb()
    .selectFrom("sitting")
    .select(["id", "code"])
    .where("is_current", "=", true)
    .executeTakeFirstOrThrow();
  [sittingId, sittingCode] = [s.id, s.code];
  const photo = await compliantPhoto();
  await numberedSite(site2, {
    siteId: id990102,
    sittingId,
    rooms: [
      { number: "01", seats: 2 },
      { number: "02", seats: 2 },
    ],
    candidates: [
      { name: "赵一", subjects: ["14"], photo },
      { name: "钱二", subjects: ["14"], photo },
      { name: "孙三", subjects: ["14"], photo },
      { name: "李四", subjects: ["14"], photo },
      { name: "周五", subjects: ["14"], photo },
    ],
  });
  entries = (await getDb()
    .selectFrom("entry as e")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .select(["e.id", "e.admission_no", "e.batch_id", "g.name"])
    .where("e.org_id", "=", id990102)
    .where("e.sitting_id", "=", sittingId)
    .orderBy("e.admission_no")
    .execute()) as Row[];
});

/** An entry no test has checked in yet (each test takes its own). */
const used = new Set<number>();
const fresh = (pick: (e: Row) => boolean = () => true) => {
  const e = entries.find((x) => !used.has(x.id) && pick(x))!;
  used.add(e.id);
  return e;
};

const tokenOf = async (e: Row) => signCardToken(await cardSecret(), sittingCode, e.admission_no);
const attendance = async (entryId: number) =>
  getDb().selectFrom("attendance").selectAll().where("entry_id", "=", entryId).executeTakeFirst();

/** Chooses the device's batch on the check-in page: the cookie it sets, added to the session's. */
async function choose(cookie: string, batch: number | string) {
  const r = await act(checkInRoute, "/admin/check-in", cookie, { intent: "post", batch });
  expect(r.status).toBe(302);
  return `${cookie}; ${r.headers!.get("Set-Cookie")!.split(";")[0]}`;
}

describe("check-in (DOC-9)", () => {
  it("DOC-9: a card of this device's batch is right, checked in once; a second scan says when and by whom", async () => {
    const first = fresh();
    const device = await choose(site2, first.batch_id);
    const token = await tokenOf(first);
    const page = await load(cardRoute, `/C/${token}`, device, { token });
    expect(page.data.checkIn).toMatchObject({ verdict: "ok", canCheckIn: true, at: null });
    const r = await act(cardRoute, `/C/${token}`, device, {}, { token });
    expect(r.data).toMatchObject({ ok: true, outcome: { state: "checked_in" }, name: first.name });
    const row = await attendance(first.id);
    expect(row).toMatchObject({ via: "scan", batch_id: first.batch_id, checked_in_by_name: expect.any(String) });
    const again = await act(cardRoute, `/C/${token}`, device, {}, { token });
    expect(again.data.outcome).toMatchObject({ state: "already", by: row!.checked_in_by_name });
    expect(new Date(again.data.outcome.at).getTime()).toBe(new Date(row!.checked_in_at).getTime());
    expect((await load(cardRoute, `/C/${token}`, device, { token })).data.checkIn).toMatchObject({ canCheckIn: false });
  });

  it("DOC-9: a candidate of another batch is flagged in red and still recorded (sent on to the right room)", async () => {
    const device = await choose(site2, entries[0].batch_id);
    const other = fresh((e) => e.batch_id !== entries[0].batch_id);
    const token = await tokenOf(other);
    const verdict = (await load(cardRoute, `/C/${token}`, device, { token })).data.checkIn.verdict;
    expect(["wrong_room", "wrong_batch"]).toContain(verdict);
    expect((await act(cardRoute, `/C/${token}`, device, {}, { token })).data.outcome.state).toBe("checked_in");
  });

  it("DOC-9/ORG-2: a tampered token is refused; another site's administrator sees nothing and records nothing; a superior checks no one in", async () => {
    const e = fresh();
    const token = await tokenOf(e);
    const forged = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    expect((await load(cardRoute, `/C/${forged}`, site2, { token: forged })).data.state).toBe("invalid");
    expect((await act(cardRoute, `/C/${forged}`, site2, {}, { token: forged })).status).toBe(400);
    expect((await load(cardRoute, `/C/${token}`, site1, { token })).status).toBe(403);
    const other = await act(cardRoute, `/C/${token}`, site1, {}, { token });
    expect(other.data.outcome).toEqual({ state: "refused", verdict: "wrong_site" });
    expect((await act(cardRoute, `/C/${token}`, province99, {}, { token })).status).toBe(403);
    expect(await attendance(e.id)).toBeUndefined();
  });

  it("DOC-9: check-in by admission number (full-width digits read); the roll counts present and not yet", async () => {
    const e = fresh();
    const device = await choose(site2, e.batch_id);
    const fullWidth = e.admission_no.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const r = await act(checkInRoute, "/admin/check-in", device, { intent: "manual", admissionNo: ` ${fullWidth} ` });
    expect(r.data).toMatchObject({ ok: true, outcome: { state: "checked_in" } });
    expect((await attendance(e.id))?.via).toBe("manual");
    const page = await load(checkInRoute, "/admin/check-in", device);
    const inBatch = entries.filter((x) => x.batch_id === e.batch_id);
    const present = (
      await getDb().selectFrom("attendance").select("entry_id").where("batch_id", "=", e.batch_id).execute()
    ).length;
    expect(present).toBeGreaterThanOrEqual(1);
    expect(page.data.roll.counts).toMatchObject({
      expected: inBatch.length,
      present,
      notYet: inBatch.length - present,
    });
    expect((await act(checkInRoute, "/admin/check-in", device, { intent: "manual", admissionNo: "1234" })).status).toBe(
      404,
    );
  });

  it("ORG-2: a batch of another site cannot be chosen; another site's admission number is no such number", async () => {
    const theirs = await getDb()
      .selectFrom("exam_batch")
      .select("id")
      .where("org_id", "=", id990102)
      .executeTakeFirstOrThrow();
    expect((await act(checkInRoute, "/admin/check-in", site1, { intent: "post", batch: theirs.id })).status).toBe(404);
    for (const forged of ["abc", "-1", "1e9", "2.5"])
      expect((await act(checkInRoute, "/admin/check-in", site1, { intent: "post", batch: forged })).status).toBe(404);
    const r = await act(checkInRoute, "/admin/check-in", site1, {
      intent: "manual",
      admissionNo: entries[1].admission_no,
    });
    expect(r.status).toBe(404);
    expect(await attendance(entries[1].id)).toBeUndefined();
  });

  it("DOC-9/ORG-11: a site's invigilator checks candidates in and sees nothing else; only a site has invigilators", async () => {
    const added = await act(orgsRoute, "/admin/orgs", site2, {
      intent: "add-user",
      orgId: id990102,
      login: "invigilator990102@example.com",
      name: "王监考",
      phone: "",
      role: "invigilator",
    });
    expect(added.data).toMatchObject({ ok: true });
    const province = await orgId("99");
    const wrong = await act(orgsRoute, "/admin/orgs", province99, {
      intent: "add-user",
      orgId: province,
      login: "invigilator99@example.com",
      name: "省监考",
      phone: "",
      role: "invigilator",
    });
    expect(wrong.data.error).toBe("监考员只能设在考点。");
    // Past the first login's password change (ORG-9), which is tested where it lives.
    await getDb()
      .updateTable("account")
      .set({ must_change_password: false })
      .where("email", "=", "invigilator990102@example.com")
      .execute();
    const inv = await sessionCookie("invigilator990102@example.com");
    const e = fresh();
    const device = await choose(inv, e.batch_id);
    const token = await tokenOf(e);
    const page = await load(cardRoute, `/C/${token}`, device, { token });
    expect(page.data.checkIn).toMatchObject({ verdict: "ok", canCheckIn: true });
    // The photo beside the name, for comparing with the face (the candidate's own registration only).
    const regId = Number(
      /\/admin\/candidates\/(\d+)\/photo/.exec(page.data.card.photo ?? "/admin/candidates/0/photo")![1],
    );
    if (page.data.card.photo)
      expect((await load(photoRoute, page.data.card.photo, inv, { id: String(regId) })).status).toBe(200);
    expect((await act(cardRoute, `/C/${token}`, device, {}, { token })).data.outcome.state).toBe("checked_in");
    expect((await attendance(e.id))?.checked_in_by_name).toBe("王监考");
    // Nothing else: no candidate list, no sheets, no other site's candidates, no users.
    expect((await load(candidatesRoute, "/admin/candidates", inv)).status).toBe(403);
    expect((await load(sheetsRoute, "/admin/room-sheets/sign-in", inv, { kind: "sign-in" })).status).toBe(403);
    expect((await load(orgsRoute, "/admin/orgs", inv)).status).toBe(403);
  });
});
