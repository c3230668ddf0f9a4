import ExcelJS from "exceljs";
import { getDb } from "~db/client";
import { listBatches, listRooms, siteExamRanges } from "~db/queries/rooms";
import { batchFitsSubject, batchLabel, formatClock } from "~/domain/rooms";
import { translator } from "~/i18n";
import type { AdminContext } from "~/utils/auth.server";

/** ROOM-2: a site's rooms and batches as .xlsx, one sheet each, in the viewer's language. */
export async function exportRooms(ctx: AdminContext, site: { id: number; code: string }) {
  const t = translator(ctx.locale);
  const db = getDb();
  const [rooms, batches, ranges] = await Promise.all([
    listRooms(db, ctx.sitting.id, site.id),
    listBatches(db, ctx.sitting.id, site.id),
    siteExamRanges(db, ctx.sitting.id, site.id),
  ]);
  const wb = new ExcelJS.Workbook();
  wb.creator = "Kaowu";
  const sheet = (name: string, header: string[], rows: Array<Array<string | number>>) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(header).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    ws.views = [{ state: "frozen", ySplit: 1 }];
    header.forEach((_, i) => (ws.getColumn(i + 1).width = i === 1 ? 30 : 14));
    // Room numbers stay text ("07"), not the number 7.
    ws.getColumn(1).numFmt = "@";
  };
  sheet(
    t("rooms.export_rooms_sheet"),
    [t("rooms.number"), t("rooms.location"), t("rooms.seats"), t("rooms.batch_count"), t("rooms.allocated")],
    rooms.map((r) => [r.number, r.location, r.seats, r.batch_count, r.allocated]),
  );
  sheet(
    t("rooms.export_batches_sheet"),
    [
      t("rooms.batch"),
      t("rooms.number"),
      t("rooms.batch_date"),
      t("rooms.batch_start"),
      t("rooms.batch_end"),
      t("rooms.capacity"),
      t("rooms.allocated"),
      t("rooms.fits"),
    ],
    batches.map((b) => [
      batchLabel(b.room_number, b.seq),
      b.room_number,
      b.exam_date,
      formatClock(b.start_min),
      formatClock(b.end_min),
      b.capacity,
      b.allocated,
      ranges
        .filter((r) => batchFitsSubject(b, r))
        .map((r) => r.subject_code)
        .join(" "),
    ]),
  );
  return {
    body: Buffer.from(await wb.xlsx.writeBuffer()),
    fileName: `${t("rooms.title")}-${site.code}.xlsx`,
  };
}
