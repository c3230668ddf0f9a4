import type { Readable } from "node:stream";
import { getDb } from "~db/client";
import { roomSheetRows } from "~db/queries/admission-cards";
import type { DB } from "~db/schema";
import type { Kysely, Transaction } from "kysely";
import { maskIdNumber } from "~/domain/id-number";
import { roomBatchSheets, seatGrid, sheetFileStem, type RoomBatchSheet } from "~/domain/room-sheets";
import { formatClock } from "~/domain/rooms";
import {
  drawSeatingChart,
  drawSignInSheet,
  type SheetHead,
  type SheetLabels,
} from "~/documents/room-sheets-pdf.server";
import { translator, type Locale } from "~/i18n";
import { localPathOf } from "~/utils/file-store.server";
import { streamPdfZip } from "./pdf-zip.server";

type Q = Kysely<DB> | Transaction<DB>;

export type RoomSheetKind = "sign_in" | "seating";

/**
 * DOC-7: a site's rooms and batches with their candidates. The sign-in sheet is passed around the
 * room, so the ID number is masked to its last four characters (X-4; decision 0038): the photo and
 * name identify the candidate, the ID card in hand is checked against them.
 */
export async function loadRoomSheets(db: Q, sittingId: number, siteId: number): Promise<RoomBatchSheet[]> {
  const rows = await roomSheetRows(db, sittingId, siteId);
  return roomBatchSheets(
    rows.map((r) => ({
      batchId: r.batch_id,
      room: r.room,
      location: r.location,
      seq: r.seq,
      examDate: r.exam_date,
      examTime: `${formatClock(r.start_min)}–${formatClock(r.end_min)}`,
      seats: r.seats,
      columns: seatGrid(r).columns,
      admissionNo: r.admission_no!,
      name: r.name,
      idNumber: maskIdNumber(r.id_number),
      subject: `(${r.subject_code}) ${r.subject_name}`,
      seat: r.seat ?? 0,
      photoPath: r.photo_path ? localPathOf({ path: r.photo_path }) : null,
    })),
  );
}

export function sheetLabels(locale: Locale): SheetLabels {
  const t = translator(locale);
  return {
    signInTitle: t("sheets.sign_in_title"),
    chartTitle: t("sheets.chart_title"),
    site: t("sheets.site"),
    room: t("sheets.room"),
    batch: t("sheets.batch"),
    time: t("sheets.time"),
    seat: t("sheets.seat"),
    photo: t("sheets.photo"),
    name: t("sheets.name"),
    idNumber: t("sheets.id_number"),
    admissionNo: t("sheets.admission_no"),
    subject: t("sheets.subject"),
    signature: t("sheets.signature"),
    noPhoto: t("card.no_photo"),
    signInFooter: (expected) => t("sheets.sign_in_footer", { expected }),
    chartFooter: (seated, seats) => t("sheets.chart_footer", { seated, seats }),
    page: (n, total) => t("sheets.page", { n, total }),
    front: t("sheets.front"),
  };
}

/**
 * DOC-7: the site's sign-in sheets or seating charts as a .zip holding one PDF per room and batch
 * (`<site code>/<room>-<batch>_<date>_<start>.pdf`), streamed one PDF at a time.
 */
export async function roomSheetsZip(
  kind: RoomSheetKind,
  o: {
    sittingId: number;
    siteId: number;
    siteCode: string;
    locale: Locale;
    onProgress?: (done: number, total: number) => Promise<void>;
  },
): Promise<Readable> {
  const db = getDb();
  const [sheets, head] = await Promise.all([
    loadRoomSheets(db, o.sittingId, o.siteId),
    db
      .selectFrom("org as o")
      .innerJoin("sitting as t", (j) => j.on("t.id", "=", o.sittingId))
      .select(["o.code as siteCode", "o.name as siteName", "t.name as sittingName"])
      .where("o.id", "=", o.siteId)
      .executeTakeFirstOrThrow(),
  ]);
  const labels = sheetLabels(o.locale);
  const h: SheetHead = head;
  return streamPdfZip(sheets, {
    name: (s) => `${o.siteCode}/${sheetFileStem(s)}.pdf`,
    draw: (s) => (kind === "sign_in" ? drawSignInSheet(s, h, labels) : drawSeatingChart(s, h, labels)),
    weight: (s) => s.entries.length,
    onProgress: o.onProgress,
  });
}
