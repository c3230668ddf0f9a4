import { PDFDocument } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import * as allocationRoute from "../../app/routes/admin.allocation";
import * as admissionRoute from "../../app/routes/admin.admission-numbers";
import * as cardsRoute from "../../app/routes/admin.admission-cards";
import * as filesRoute from "../../app/routes/files.$id";
import * as scanRoute from "../../app/routes/c.$token";
import { signCardToken } from "../../app/domain/card-token";
import { cardSecret } from "../../app/services/admission-cards.server";
import { getDb } from "../../db/client";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, load, orgId, sessionCookie } from "../factories";
import { makeRegistration } from "../factories/registrations";
import { downloadFile, unzipBuffer } from "../factories/files";
import { roomsReady } from "../factories/rooms";

// DOC-1/DOC-2/DOC-4 (issue 17 items 1–3, 5): the site's small and large cards as generated files,
// at 990102 (inside its allocation window in the demo).
const PAGE = "/admin/admission-cards";
let site2: string, province: string, province50: string, finance: string, site1: string;
let id990102: number, sittingId: number;

beforeAll(async () => {
  [site2, province, province50, finance, site1] = await Promise.all(
    ["site990102", "province99", "province50", "finance990101", "site990101"].map((u) =>
      sessionCookie(`${u}@example.com`),
    ),
  );
  id990102 = await orgId("990102");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  await roomsReady(site2, {
    siteId: id990102,
    sittingId,
    rooms: [
      { number: "01", seats: 8 },
      { number: "02", seats: 8 },
    ],
  });
});

describe("site admission cards (DOC-1, DOC-2, DOC-4)", () => {
  it("DOC-1: before admission numbers exist nothing is generated, and the page says what is missing", async () => {
    for (let i = 0; i < 9; i++)
      await makeRegistration({
        siteId: id990102,
        sittingId,
        name: ["张三", "李四", "王五"][i % 3] + i,
        className: i % 2 ? "计科2401" : "会计2401",
        subjects: i % 3 === 0 ? ["14", "65"] : ["14"],
        paid: i % 3 === 0 ? ["14", "65"] : ["14"],
      });
    const page = await load(cardsRoute, PAGE, site2);
    expect(page.data.check).toMatchObject({ cards: 0, paid: 12, numbered: 0 });
    const r = await act(cardsRoute, PAGE, site2, { kind: "small_cards", order: "admission_no" });
    expect(r.data.error).toBe("本考点还没有可以打印的准考证：请先完成考场编排并生成准考证号。");
    expect(await getDb().selectFrom("job").select("id").where("type", "=", "generate-file").execute()).toEqual([]);
  });

  it("DOC-1/DOC-4: small cards by room and seat: a zip with one PDF per room, six cards a page, made by a job; a change makes it stale", async () => {
    await act(allocationRoute, "/admin/allocation", site2, { intent: "run" });
    await waitForInlineIdle();
    expect((await act(admissionRoute, "/admin/admission-numbers", site2, {})).data).toMatchObject({ ok: true });
    const before = await load(cardsRoute, PAGE, site2);
    expect(before.data.check).toMatchObject({ cards: 12, paid: 12, numbered: 12, missing: [] });

    expect((await act(cardsRoute, PAGE, site2, { kind: "small_cards", order: "room_seat" })).data).toMatchObject({
      ok: true,
    });
    await waitForInlineIdle();
    const page = await load(cardsRoute, PAGE, site2);
    const small = page.data.kinds.find((k: { kind: string }) => k.kind === "small_cards");
    expect(small.file).toMatchObject({ name: "小版准考证-990102.zip", stale: false });
    expect(page.data.kinds.find((k: { kind: string }) => k.kind === "large_cards").file).toBeNull();
    const res = await downloadFile(small.file.fileId, site2);
    expect(res.status).toBe(200);
    const files = await unzipBuffer(Buffer.from(await res.arrayBuffer()));
    const byRoom = await getDb()
      .selectFrom("entry as e")
      .innerJoin("exam_batch as b", "b.id", "e.batch_id")
      .innerJoin("room as r", "r.id", "b.room_id")
      .select(["r.number", (eb) => eb.fn.countAll<number>().as("n")])
      .where("e.org_id", "=", id990102)
      .groupBy("r.number")
      .orderBy("r.number")
      .execute();
    expect([...files.keys()].sort()).toEqual(byRoom.map((r) => `990102/小版准考证-990102-考场${r.number}.pdf`));
    for (const r of byRoom) {
      const pdf = await PDFDocument.load(files.get(`990102/小版准考证-990102-考场${r.number}.pdf`)!);
      expect(pdf.getPageCount()).toBe(Math.ceil(Number(r.n) / 6));
    }
    // A candidate's name changes: the cards say they are out of date.
    const reg = await getDb()
      .selectFrom("registration")
      .select("id")
      .where("org_id", "=", id990102)
      .where("sitting_id", "=", sittingId)
      .executeTakeFirstOrThrow();
    await getDb().updateTable("registration").set({ name: "张三丰" }).where("id", "=", reg.id).execute();
    const after = await load(cardsRoute, PAGE, site2);
    expect(after.data.kinds.find((k: { kind: string }) => k.kind === "small_cards").file.stale).toBe(true);
  });

  it("DOC-2: large cards, one a page, by name", async () => {
    await act(cardsRoute, PAGE, site2, { kind: "large_cards", order: "name" });
    await waitForInlineIdle();
    const large = (await load(cardsRoute, PAGE, site2)).data.kinds.find(
      (k: { kind: string }) => k.kind === "large_cards",
    );
    expect(large.file).toMatchObject({ name: "大版准考证-990102.zip", stale: false });
    const files = await unzipBuffer(Buffer.from(await (await downloadFile(large.file.fileId, site2)).arrayBuffer()));
    let pages = 0;
    for (const buf of files.values()) pages += (await PDFDocument.load(buf)).getPageCount();
    expect(pages).toBe(12);
  });

  it("DOC-4: a name with a character the font lacks is listed with its candidate, and nothing is generated", async () => {
    const reg = await getDb()
      .selectFrom("registration")
      .select("id")
      .where("org_id", "=", id990102)
      .where("sitting_id", "=", sittingId)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    await getDb().updateTable("registration").set({ name: "王𠇔" }).where("id", "=", reg.id).execute();
    const page = await load(cardsRoute, PAGE, site2);
    expect(page.data.check.missing).toEqual([{ char: "𠇔", codePoint: "U+201D4", names: ["王𠇔"] }]);
    const jobs = (await getDb().selectFrom("job").select("id").execute()).length;
    const r = await act(cardsRoute, PAGE, site2, { kind: "small_cards", order: "admission_no" });
    expect(r.data.error).toContain("准考证字库缺少 1 个字符（𠇔）");
    expect((await getDb().selectFrom("job").select("id").execute()).length).toBe(jobs);
    await getDb().updateTable("registration").set({ name: "王五" }).where("id", "=", reg.id).execute();
  });

  it("ORG-2/ORG-11: superiors in scope download; finance, another province and another site cannot; a forged kind or order changes nothing", async () => {
    const fileId = (await load(cardsRoute, PAGE, site2)).data.kinds[0].file.fileId;
    expect((await downloadFile(fileId, province)).status).toBe(200);
    const refused = (cookie: string) => load(filesRoute, `/files/${fileId}`, cookie, { id: fileId });
    expect((await refused(province50)).status).toBe(403);
    expect((await refused(site1)).status).toBe(403);
    expect((await refused(finance)).status).toBe(403);
    expect((await load(cardsRoute, PAGE, finance)).status).toBe(403);
    expect((await act(cardsRoute, PAGE, province, { kind: "small_cards" })).status).toBe(403);
    const jobs = (await getDb().selectFrom("job").select("id").execute()).length;
    expect((await act(cardsRoute, PAGE, site2, { kind: "all_cards" })).data.error).toBeTruthy();
    expect((await act(cardsRoute, PAGE, site2, { kind: "small_cards", order: "random" })).data.error).toBeTruthy();
    expect((await getDb().selectFrom("job").select("id").execute()).length).toBe(jobs);
  });

  it("DOC-9: the card's QR URL opens the candidate for the site's administrator; a tampered token, another province or no login sees nothing", async () => {
    const entry = await getDb()
      .selectFrom("entry")
      .innerJoin("registration as g", "g.id", "entry.registration_id")
      .select(["entry.admission_no", "g.name"])
      .where("entry.org_id", "=", id990102)
      .where("entry.sitting_id", "=", sittingId)
      .where("entry.admission_no", "is not", null)
      .executeTakeFirstOrThrow();
    const sittingCode = (
      await getDb().selectFrom("sitting").select("code").where("id", "=", sittingId).executeTakeFirstOrThrow()
    ).code;
    const token = signCardToken(await cardSecret(), sittingCode, entry.admission_no!);
    const open = (t: string, cookie?: string) => load(scanRoute, `/c/${t}`, cookie, { token: t });
    const ok = await open(token.toUpperCase(), site2);
    expect(ok.data).toMatchObject({ state: "ok", card: { admissionNo: entry.admission_no, name: entry.name } });
    expect(ok.data.card.roomBatch).toMatch(/^0[12] · 0[12]#\d$/);
    const tampered = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    expect((await open(tampered, site2)).data).toEqual({ state: "invalid" });
    const unknown = signCardToken(await cardSecret(), sittingCode, "9999999999999999");
    expect((await open(unknown, site2)).data).toEqual({ state: "not_found", admissionNo: "9999999999999999" });
    expect((await open(token, province50)).status).toBe(403);
    const anonymous = await open(token);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/login?redirectTo=${encodeURIComponent(`/c/${token}`)}`);
  });
});
