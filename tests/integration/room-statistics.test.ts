import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import * as roomsRoute from "../../app/routes/admin.rooms._index";
import * as statsRoute from "../../app/routes/admin.room-statistics";
import * as filesRoute from "../../app/routes/files.$id";
import { getDb } from "../../db/client";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, load, makeRequest, sessionCookie } from "../factories";

// ADM-2 (issue 16 item 5): the room statistics as a generated file: made by a job, shown with its
// time, size and maker, stale once the rooms change, downloadable only in scope.
const PAGE = "/admin/room-statistics";
let site2: string, province: string, province50: string, site1: string;

beforeAll(async () => {
  [site2, province, province50, site1] = await Promise.all(
    ["site990102", "province99", "province50", "site990101"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  await act(roomsRoute, "/admin/rooms", site2, { intent: "save-room", number: "01", location: "A", seats: 30 });
});

const download = async (fileId: string, cookie: string) => {
  const r = await filesRoute
    .loader({ request: makeRequest(`/files/${fileId}`, { cookie }), params: { id: fileId }, context: {} })
    .catch((e: unknown) => e);
  return r as Response;
};

describe("room statistics (ADM-2)", () => {
  it("ADM-2: generated on demand as a job; the page shows when, by whom and how big; a change marks it stale", async () => {
    expect((await load(statsRoute, PAGE, site2)).data.file).toBeNull();
    expect((await act(statsRoute, PAGE, site2, {})).data).toMatchObject({ ok: true });
    await waitForInlineIdle();
    const page = await load(statsRoute, PAGE, site2);
    expect(page.data.file).toMatchObject({ stale: false, by: expect.any(String), size: expect.any(Number) });
    expect(page.data.file.name).toBe("考场统计-990102.xlsx");
    const res = await download(page.data.file.fileId, site2);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(["考场", "批次", "批次科目人数"]);
    // The data changes: the file says it is out of date until generated again.
    await act(roomsRoute, "/admin/rooms", site2, { intent: "save-room", number: "02", location: "B", seats: 30 });
    expect((await load(statsRoute, PAGE, site2)).data.file.stale).toBe(true);
    await act(statsRoute, PAGE, site2, {});
    await waitForInlineIdle();
    expect((await load(statsRoute, PAGE, site2)).data.file.stale).toBe(false);
    expect(
      await getDb().selectFrom("generated_file").select("id").where("kind", "=", "room_statistics").execute(),
    ).toHaveLength(1);
  });

  it("ORG-2/ORG-11: its superiors read and download it; another province or site cannot; only the site generates", async () => {
    const fileId = (await load(statsRoute, PAGE, site2)).data.file.fileId;
    const id990102 = (
      await getDb().selectFrom("org").select("id").where("code", "=", "990102").executeTakeFirstOrThrow()
    ).id;
    const view = await load(statsRoute, `${PAGE}?site=${id990102}`, province);
    expect(view.data).toMatchObject({ canGenerate: false, file: { fileId } });
    expect((await download(fileId, province)).status).toBe(200);
    const refused = (cookie: string) => load(filesRoute, `/files/${fileId}`, cookie, { id: fileId });
    expect((await refused(province50)).status).toBe(403);
    expect((await refused(site1)).status).toBe(403);
    expect((await act(statsRoute, PAGE, province, {})).status).toBe(403);
  });
});
