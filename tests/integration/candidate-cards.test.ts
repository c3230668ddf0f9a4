import ExcelJS from "exceljs";
import { PDFDocument } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import * as allocationRoute from "../../app/routes/admin.allocation";
import * as admissionRoute from "../../app/routes/admin.admission-numbers";
import * as ccardsRoute from "../../app/routes/admin.candidate-cards";
import * as exportRoute from "../../app/routes/admin.candidate-cards.export";
import * as cardRoute from "../../app/routes/candidate.card";
import * as statusRoute from "../../app/routes/candidate._index";
import { getDb } from "../../db/client";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, load, makeRequest, newCandidate, orgId, run, sessionCookie } from "../factories";
import { makeRegistration } from "../factories/registrations";
import { roomsReady } from "../factories/rooms";

// DOC-3/CAN-9 (issue 17 item 7): candidates' own cards at 990102: pre-generated after the allocation
// window, checked, downloaded by the candidate from the print start, counted per subject.
const PAGE = "/admin/candidate-cards";
let site2: string, finance: string, province50: string;
let id990102: number, sittingId: number;
let alice: { id: string; cookie: string }, bob: { id: string; cookie: string };
let aliceReg: number;

const setCardPrint = (hoursFromNow: number) =>
  getDb()
    .updateTable("window")
    .set({ starts_at: new Date(Date.now() + hoursFromNow * 3_600_000) })
    .where("sitting_id", "=", sittingId)
    .where("kind", "=", "card_print")
    .execute();
const setAllocationEnd = (hoursFromNow: number) =>
  getDb()
    .updateTable("window")
    .set({ ends_at: new Date(Date.now() + hoursFromNow * 3_600_000) })
    .where("sitting_id", "=", sittingId)
    .where("kind", "=", "allocation")
    .where("org_id", "=", id990102)
    .execute();
/** The candidate's card as the browser gets it: the PDF response, or the refusal's status and message. */
async function download(cookie: string): Promise<{ status: number; pdf?: Uint8Array; error?: string }> {
  const call = () => cardRoute.loader({ request: makeRequest("/candidate/card", { cookie }), params: {}, context: {} });
  const r = await call().catch((e: unknown) => e);
  if (r instanceof Response && r.headers.get("Content-Type") === "application/pdf")
    return { status: r.status, pdf: new Uint8Array(await r.arrayBuffer()) };
  const o = await run(() => (r instanceof Response ? Promise.reject(r) : Promise.resolve(r)));
  return { status: o.status, error: (o.data as { message?: string } | undefined)?.message };
}

beforeAll(async () => {
  [site2, finance, province50] = await Promise.all(
    ["site990102", "finance990101", "province50"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  id990102 = await orgId("990102");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  await roomsReady(site2, { siteId: id990102, sittingId, rooms: [{ number: "01", seats: 10 }] });
  // 990102 lets candidates print their own cards (SET-1).
  await getDb()
    .updateTable("site_setting")
    .set({ self_print: true })
    .where("org_id", "=", id990102)
    .where("sitting_id", "=", sittingId)
    .execute();
  alice = await newCandidate("爱丽丝");
  bob = await newCandidate("鲍勃");
  aliceReg = (
    await makeRegistration({
      accountId: alice.id,
      siteId: id990102,
      sittingId,
      name: "爱丽丝",
      subjects: ["14", "65"],
      paid: ["14", "65"],
    })
  ).reg.id;
  await makeRegistration({
    accountId: bob.id,
    siteId: id990102,
    sittingId,
    name: "鲍勃",
    subjects: ["14"],
    paid: ["14"],
  });
  for (let i = 0; i < 3; i++) await makeRegistration({ siteId: id990102, sittingId, subjects: ["65"], paid: ["65"] });
  await act(allocationRoute, "/admin/allocation", site2, { intent: "run" });
  await waitForInlineIdle();
  await act(admissionRoute, "/admin/admission-numbers", site2, {});
});

describe("candidates' own cards (DOC-3, CAN-9)", () => {
  it("CAN-9: before the print start there is no card; from it the candidate downloads one PDF with a card per subject, counted", async () => {
    await setCardPrint(+24);
    const early = await download(alice.cookie);
    expect(early.status).toBe(403);
    expect(early.error).toMatch(/^准考证 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 起才能下载。$/);
    expect((await load(statusRoute, "/candidate", alice.cookie)).data.cardDownload).toBe(false);

    await setCardPrint(-1);
    const status = await load(statusRoute, "/candidate", alice.cookie);
    expect(status.data.cardDownload).toBe(true);
    expect(status.data.status.next).toBe("print_card");
    const res = await download(alice.cookie);
    expect(res.status).toBe(200);
    const pdf = await PDFDocument.load(res.pdf!);
    expect(pdf.getPageCount()).toBe(2);
    await download(alice.cookie);
    const row = await getDb()
      .selectFrom("candidate_card")
      .selectAll()
      .where("registration_id", "=", aliceReg)
      .executeTakeFirstOrThrow();
    expect(row.downloads).toBe(2);
    expect(row.file_id).not.toBeNull();
    // Bob gets his own card (one subject), never Alice's: the route has no id to change.
    const bobs = await PDFDocument.load((await download(bob.cookie)).pdf!);
    expect(bobs.getPageCount()).toBe(1);
  });

  it("CAN-9: a site that does not let candidates print their own gives no card", async () => {
    await getDb()
      .updateTable("site_setting")
      .set({ self_print: false })
      .where("org_id", "=", id990102)
      .where("sitting_id", "=", sittingId)
      .execute();
    const r = await download(alice.cookie);
    expect(r).toEqual({ status: 403, error: "该考点不允许考生自行打印准考证，请向考点领取。" });
    expect((await load(statusRoute, "/candidate", alice.cookie)).data.cardDownload).toBe(false);
    const page = await load(ccardsRoute, PAGE, site2);
    expect(page.data.selfPrint).toBe(false);
    await getDb()
      .updateTable("site_setting")
      .set({ self_print: true })
      .where("org_id", "=", id990102)
      .where("sitting_id", "=", sittingId)
      .execute();
  });

  it("DOC-3: pre-generation waits for the allocation window to end; then every card is made, the check says all current, and a change shows as out of date", async () => {
    const refused = await act(ccardsRoute, PAGE, site2, {});
    expect(refused.data.error).toBe("编排时间结束后才能预生成考生准考证（编排时间内考场和座位还可能变化）。");
    await setAllocationEnd(-1);
    const started = await act(ccardsRoute, PAGE, site2, {});
    expect(started.data, started.data.error).toMatchObject({ ok: true });
    await waitForInlineIdle();
    const page = await load(ccardsRoute, PAGE, site2);
    expect(page.data.check).toEqual({ candidates: 5, current: 5, stale: 0, missing: 0 });
    // Alice's and Bob's cards were already current (made at their downloads): kept, not made again.
    expect(page.data.last.result).toEqual({ candidates: 5, made: 3, kept: 2 });

    await getDb().updateTable("registration").set({ name: "爱丽丝·改" }).where("id", "=", aliceReg).execute();
    expect((await load(ccardsRoute, PAGE, site2)).data.check).toMatchObject({ current: 4, stale: 1 });
    // Her next download is made from the data as it is now, and is current again.
    expect((await download(alice.cookie)).status).toBe(200);
    expect((await load(ccardsRoute, PAGE, site2)).data.check).toMatchObject({ current: 5, stale: 0 });
  });

  it("DOC-3: downloads per subject, and the check report with ID numbers masked (X-4)", async () => {
    const page = await load(ccardsRoute, PAGE, site2);
    const bySubject = Object.fromEntries(
      page.data.stats.map((s: { code: string; entries: number; downloaded: number }) => [
        s.code,
        [s.entries, s.downloaded],
      ]),
    );
    expect(bySubject).toEqual({ "14": [2, 2], "65": [4, 1] });
    const res = (await exportRoute.loader({
      request: makeRequest(`${PAGE}/export?what=report`, { cookie: site2 }),
      params: {},
      context: {},
    })) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual(["准考证号", "姓名", "证件号码", "准考证状态", "下载次数"]);
    expect(rows).toHaveLength(6);
    for (const r of rows.slice(1)) expect(String(r[2])).toMatch(/^\*{14}\d{3}[\dX]$/);
    expect(rows.find((r) => r[1] === "爱丽丝·改")).toEqual([
      expect.stringMatching(/^\d{16} \d{16}$/),
      "爱丽丝·改",
      expect.any(String),
      "最新",
      3,
    ]);
  });

  it("ORG-11/ORG-2: finance and another province cannot see the page or the report", async () => {
    expect((await load(ccardsRoute, PAGE, finance)).status).toBe(403);
    expect((await load(exportRoute, `${PAGE}/export?site=${id990102}`, province50)).status).toBe(403);
  });
});
