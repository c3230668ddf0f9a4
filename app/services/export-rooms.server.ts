import ExcelJS from "exceljs";
import { getDb } from "~db/client";
import { allocatedBySubject, listBatches, listRooms, siteExamRanges } from "~db/queries/rooms";
import { batchFitsSubject, batchLabel, formatClock } from "~/domain/rooms";
import { translator, type Locale } from "~/i18n";
import type { AdminContext } from "~/utils/auth.server";

/** ROOM-2: a site's rooms and batches as .xlsx, one sheet each, in the viewer's language. */
export async function exportRooms(ctx: AdminContext, site: { id: number; code: string }) {
  const t = translator(ctx.locale);
  return {
    body: await buildRoomsWorkbook(ctx.locale, ctx.sitting.id, site.id, false),
    fileName: `${t("rooms.title")}-${site.code}.xlsx`,
  };
}

/**
 * ROOM-2, and ADM-2's room statistics (`bySubject`): rooms, batches, and how many entries of each
 * subject every batch holds.
 */
export async function buildRoomsWorkbook(locale: Locale, sittingId: number, siteId: number, bySubject: boolean) {
  const t = translator(locale);
  const db = getDb();
  const [rooms, batches, ranges] = await Promise.all([
    listRooms(db, sittingId, siteId),
    listBatches(db, sittingId, siteId),
    siteExamRanges(db, sittingId, siteId),
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
  if (bySubject) {
    const counts = await allocatedBySubject(db, sittingId, siteId);
    const codes = [...new Set(counts.map((c) => c.subject_code))].sort();
    const at = new Map(counts.map((c) => [`${c.batch_id}:${c.subject_code}`, c.n]));
    sheet(
      t("rooms.export_subjects_sheet"),
      [t("rooms.batch"), t("rooms.batch_date"), t("rooms.batch_start"), ...codes, t("rooms.allocated")],
      batches.map((b) => [
        batchLabel(b.room_number, b.seq),
        b.exam_date,
        formatClock(b.start_min),
        ...codes.map((c) => at.get(`${b.id}:${c}`) ?? 0),
        b.allocated,
      ]),
    );
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
