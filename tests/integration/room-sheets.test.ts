import { beforeAll, describe, expect, it } from "vitest";
import * as roomsRoute from "../../app/routes/admin.rooms._index";
import * as sheetsRoute from "../../app/routes/admin.room-sheets.$kind";
import * as filesRoute from "../../app/routes/files.$id";
import { readinessOf } from "../../app/services/readiness.server";
import { getDb } from "../../db/client";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, load, orgId, sessionCookie } from "../factories";
import { downloadFile, unzipBuffer } from "../factories/files";
import { havePdftoppm, ink, mmBox, pdfPages, pdfText, renderPage } from "../factories/pdf-render";
import { numberedSite, openWindowNow } from "../factories/rooms";
import { compliantPhoto } from "../fixtures/photos";

// DOC-7 (issue 18 item 3): sign-in sheets and seating charts at 990102, one PDF per room and batch.
const SIGN_IN = "/admin/room-sheets/sign-in";
const SEATING = "/admin/room-sheets/seating";
const poppler = havePdftoppm();
let site2: string, finance: string, province50: string, province99: string;
let id990102: number, sittingId: number;

beforeAll(async () => {
  [site2, finance, province50, province99] = await Promise.all(
    ["site990102", "finance990101", "province50", "province99"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  id990102 = await orgId("990102");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  const photo = await compliantPhoto();
  await numberedSite(site2, {
    siteId: id990102,
    sittingId,
    rooms: [
      { number: "01", seats: 8 },
      { number: "02", seats: 8 },
    ],
    candidates: [
      { name: "赵一", subjects: ["14", "65"], photo },
      { name: "钱二", subjects: ["14"], photo },
      { name: "孙三", subjects: ["65"] },
      { name: "李四", subjects: ["14"], photo },
    ],
  });
});

const openPreExamWindow = () => openWindowNow(sittingId, "pre_exam_downloads");

/** Every allocated entry by room and batch, as the database has it. */
async function placements() {
  return getDb()
    .selectFrom("entry as e")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .innerJoin("exam_batch as b", "b.id", "e.batch_id")
    .innerJoin("room as r", "r.id", "b.room_id")
    .select(["e.admission_no", "e.seat", "g.name", "g.id_number", "b.seq", "b.exam_date", "b.start_min", "r.number"])
    .where("e.org_id", "=", id990102)
    .where("e.sitting_id", "=", sittingId)
    .execute();
}

async function generate(route: string, kind: string) {
  expect((await act(sheetsRoute, route, site2, {}, { kind })).data).toMatchObject({ ok: true });
  await waitForInlineIdle();
  const page = await load(sheetsRoute, route, site2, { kind });
  const res = await downloadFile(page.data.file.fileId, site2);
  return { page, files: await unzipBuffer(Buffer.from(await res.arrayBuffer())) };
}

const stem = (p: { number: string; seq: number; exam_date: string; start_min: number }) =>
  `990102/${p.number}-${p.seq}_${p.exam_date}_${String(Math.floor(p.start_min / 60)).padStart(2, "0")}${String(p.start_min % 60).padStart(2, "0")}.pdf`;

describe("sign-in sheets and seating charts (DOC-7)", () => {
  it("WIN-2/DOC-7: outside the pre-exam downloads window nothing is generated, with the window named", async () => {
    const page = await load(sheetsRoute, SIGN_IN, site2, { kind: "sign-in" });
    expect(page.data.canGenerate).toBe(false);
    expect(page.data.sheets).toBeGreaterThan(0);
    const r = await act(sheetsRoute, SIGN_IN, site2, {}, { kind: "sign-in" });
    expect(r.status).toBe(403);
    expect(r.data.error).toContain("考前资料下载时间");
  });

  it.skipIf(!poppler)(
    "DOC-7/X-4: one sign-in sheet per room and batch, candidates in seat order with masked ID numbers and a photo",
    { timeout: 60_000 },
    async () => {
      await openPreExamWindow();
      const { page, files } = await generate(SIGN_IN, "sign-in");
      expect(page.data.file).toMatchObject({ name: "考场签到表-990102.zip", stale: false });
      const rows = await placements();
      const batches = new Map<string, typeof rows>();
      for (const r of rows) batches.set(stem(r), [...(batches.get(stem(r)) ?? []), r]);
      expect([...files.keys()].sort()).toEqual([...batches.keys()].sort());
      for (const [name, inBatch] of batches) {
        const pdf = new Uint8Array(files.get(name)!);
        expect(pdfPages(pdf)).toMatchObject({ pages: 1, width: expect.closeTo(595.3, 0) });
        const text = pdfText(pdf);
        // Seat order: each admission number appears after the one of the seat before it.
        const bySeat = [...inBatch].sort((a, b) => a.seat! - b.seat!);
        const at = bySeat.map((r) => text.indexOf(r.admission_no!));
        expect(at.every((i) => i >= 0)).toBe(true);
        expect([...at].sort((a, b) => a - b)).toEqual(at);
        for (const r of bySeat) {
          expect(text).toContain(r.name);
          // only the last four characters of the ID number, never the whole.
          expect(text).not.toContain(r.id_number);
          expect(text).toContain(`${"*".repeat(r.id_number.length - 4)}${r.id_number.slice(-4)}`);
        }
        expect(text).toContain(`应到 ${inBatch.length} 人`);
      }
      // The photo is printed in the first row's photo box (12 + 12 mm from the left, below the heading).
      const first = [...batches.entries()].find(([, b]) => b.some((r) => r.seat === 1 && r.name !== "孙三"))!;
      const g = renderPage(new Uint8Array(files.get(first[0])!), 100);
      expect(ink(g, mmBox(100, 25, 39, 15, 20))).toBeGreaterThan(600); // the silhouette: ~1,300 of ~4,700 pixels dark
    },
  );

  it.skipIf(!poppler)(
    "DOC-7: the seating chart draws the room's grid (its seats per row), landscape, each seat with number and name; stale when the layout changes",
    { timeout: 60_000 },
    async () => {
      // Room 01: 8 seats in rows of 3 (3 rows: 3, 3, 2), set on the rooms page.
      const room01 = await getDb()
        .selectFrom("room")
        .select("id")
        .where("org_id", "=", id990102)
        .where("number", "=", "01")
        .executeTakeFirstOrThrow();
      const { files } = await generate(SEATING, "seating");
      expect(
        (
          await act(roomsRoute, "/admin/rooms", site2, {
            intent: "save-room",
            id: room01.id,
            number: "01",
            location: "",
            seats: 8,
            columns: 3,
          })
        ).data,
      ).toMatchObject({ ok: true });
      expect((await load(sheetsRoute, SEATING, site2, { kind: "seating" })).data.file.stale).toBe(true);
      // the home page says so too (the sign-in sheets print the room's layout as well), and asks for the rest.
      const [mine] = await readinessOf(sittingId, id990102);
      expect(mine.registration.map((g) => g.item)).toEqual([
        "missing_photos", // 孙三
        "cards_missing",
        "cbt_missing",
        "photo_package_missing",
        "sign_in_stale",
      ]);
      const rows = (await placements()).filter((r) => r.number === "01");
      const name = stem(rows[0]);
      const before = pdfPages(new Uint8Array(files.get(name)!));
      expect(before.width).toBeGreaterThan(before.height); // landscape
      const { files: again } = await generate(SEATING, "seating");
      const text = pdfText(new Uint8Array(again.get(name)!));
      const inBatch = rows.filter((r) => stem(r) === name);
      for (const r of inBatch) {
        expect(text).toContain(r.admission_no);
        expect(text).toContain(r.name);
      }
      // Three seats to a row: seats 01 02 03 on one line, 04 on the next.
      const lines = text.split("\n");
      const line = (seat: string) => lines.findIndex((l) => new RegExp(`(^|\\s)${seat}(\\s|$)`).test(l));
      expect(line("01")).toBe(line("03"));
      expect(line("04")).toBeGreaterThan(line("03"));
      expect(line("07")).toBeGreaterThan(line("04"));
    },
  );

  it("DOC-7: seats per row must be 1 to the room's seats (and at most 15); empty is the default", async () => {
    const room02 = await getDb()
      .selectFrom("room")
      .select(["id", "seat_columns"])
      .where("org_id", "=", id990102)
      .where("number", "=", "02")
      .executeTakeFirstOrThrow();
    for (const columns of ["9", "0", "2.5", "x"]) {
      const r = await act(roomsRoute, "/admin/rooms", site2, {
        intent: "save-room",
        id: room02.id,
        number: "02",
        location: "",
        seats: 8,
        columns,
      });
      expect(r.data.error).toContain("每排座位数应为 1 至 8 的整数");
    }
    await act(roomsRoute, "/admin/rooms", site2, {
      intent: "save-room",
      id: room02.id,
      number: "02",
      location: "",
      seats: 8,
      columns: "４",
    });
    expect(
      (await getDb().selectFrom("room").select("seat_columns").where("id", "=", room02.id).executeTakeFirstOrThrow())
        .seat_columns,
    ).toBe(4);
    await act(roomsRoute, "/admin/rooms", site2, {
      intent: "save-room",
      id: room02.id,
      number: "02",
      location: "",
      seats: 8,
      columns: "",
    });
    expect(
      (await getDb().selectFrom("room").select("seat_columns").where("id", "=", room02.id).executeTakeFirstOrThrow())
        .seat_columns,
    ).toBeNull();
  });

  it("ORG-2/ORG-11: finance and another province cannot read the page or the file; the province above sees it, cannot generate", async () => {
    const fileId = (await load(sheetsRoute, SIGN_IN, site2, { kind: "sign-in" })).data.file.fileId;
    expect((await load(sheetsRoute, SIGN_IN, finance, { kind: "sign-in" })).status).toBe(403);
    expect((await load(filesRoute, `/files/${fileId}`, province50, { id: fileId })).status).toBe(403);
    const above = await load(sheetsRoute, `${SIGN_IN}?site=${id990102}`, province99, { kind: "sign-in" });
    expect(above.data).toMatchObject({ canGenerate: false, file: { fileId } });
    expect((await act(sheetsRoute, SIGN_IN, province99, {}, { kind: "sign-in" })).status).toBe(403);
    expect((await load(sheetsRoute, "/admin/room-sheets/other", site2, { kind: "other" })).status).toBe(404);
  });
});
