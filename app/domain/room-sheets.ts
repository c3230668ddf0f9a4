// DOC-7 (manual §五十, §五十一): sign-in sheets and seating charts, one per room and batch, as pure
// rules: how a room's seats are laid out, which batches get a sheet, and the order on it. The PDFs
// are drawn in app/documents/room-sheets-pdf.server.ts, the data comes from db/queries/admission-cards.ts.

/** The most seats one row of a room may have (a wider grid would not print legibly on A4). */
export const MAX_SEAT_COLUMNS = 15;

/**
 * DOC-7: a room's seats per row when the site has not set it: the squarest grid (rows ≥ columns) of
 * at most 12 columns, e.g. 30 seats → 6 per row (5 rows), 40 → 7, 100 → 10.
 */
export function defaultSeatColumns(seats: number): number {
  return Math.max(1, Math.min(12, Math.ceil(Math.sqrt(seats))));
}

/** DOC-7: the room's grid: its seats per row (the site's own, or the default) and the rows that takes. */
export function seatGrid(room: { seats: number; seat_columns: number | null }): { rows: number; columns: number } {
  const columns = Math.min(room.seat_columns ?? defaultSeatColumns(room.seats), room.seats);
  return { rows: Math.ceil(room.seats / columns), columns };
}

/**
 * "6" → 6, "" → null (the default); anything but a whole number from 1 to the room's seats (and at
 * most MAX_SEAT_COLUMNS) is an error, reported as the key of rooms.columns_range.
 */
export function parseSeatColumns(text: string, seats: number): number | null | "invalid" {
  const s = text.normalize("NFKC").trim();
  if (s === "") return null;
  const n = Number(s);
  return Number.isInteger(n) && n >= 1 && n <= Math.min(MAX_SEAT_COLUMNS, Math.max(1, seats)) ? n : "invalid";
}

/** One candidate on a room's sheets. */
export interface SheetEntry {
  admissionNo: string;
  name: string;
  /** Already masked where the sheet is seen by others. */
  idNumber: string;
  subject: string;
  seat: number;
  photoPath: string | null;
}

/** One room and batch: the unit of a sign-in sheet and a seating chart. */
export interface RoomBatchSheet {
  room: string;
  location: string;
  /** The batch's number in the room ("07#3" → 3). */
  seq: number;
  examDate: string;
  /** "08:00–10:00". */
  examTime: string;
  seats: number;
  columns: number;
  entries: SheetEntry[];
}

/**
 * DOC-7: the sheets of a site: one per room and batch that seats anyone (an empty batch has nothing to
 * sign), rooms in number order, each room's batches in time order, candidates in seat order.
 */
export function roomBatchSheets<
  R extends {
    batchId: number;
    room: string;
    location: string;
    seq: number;
    examDate: string;
    examTime: string;
    seats: number;
    columns: number;
  } & SheetEntry,
>(rows: readonly R[]): RoomBatchSheet[] {
  const byBatch = new Map<number, RoomBatchSheet>();
  for (const r of rows) {
    let s = byBatch.get(r.batchId);
    if (!s) {
      s = {
        room: r.room,
        location: r.location,
        seq: r.seq,
        examDate: r.examDate,
        examTime: r.examTime,
        seats: r.seats,
        columns: r.columns,
        entries: [],
      };
      byBatch.set(r.batchId, s);
    }
    s.entries.push({
      admissionNo: r.admissionNo,
      name: r.name,
      idNumber: r.idNumber,
      subject: r.subject,
      seat: r.seat,
      photoPath: r.photoPath,
    });
  }
  const sheets = [...byBatch.values()];
  for (const s of sheets) s.entries.sort((a, b) => a.seat - b.seat || (a.admissionNo < b.admissionNo ? -1 : 1));
  return sheets.sort(
    (a, b) =>
      a.room.localeCompare(b.room) ||
      a.examDate.localeCompare(b.examDate) ||
      a.examTime.localeCompare(b.examTime) ||
      a.seq - b.seq,
  );
}

/** A sheet's file inside the zip: room, batch and start ("07#3 2027-03-27 0830" → `07-3_2027-03-27_0830`). */
export function sheetFileStem(s: Pick<RoomBatchSheet, "room" | "seq" | "examDate" | "examTime">): string {
  return `${s.room}-${s.seq}_${s.examDate}_${s.examTime.slice(0, 5).replace(":", "")}`;
}

/**
 * DOC-7: the seating chart's cells, row by row from the front, left to right as the invigilator faces
 * the room from the back (decision 0038): each seat of the grid with whoever sits there
 * (null: nobody this batch), and no cell past the room's last seat.
 */
export function seatingCells(sheet: Pick<RoomBatchSheet, "seats" | "columns" | "entries">) {
  const bySeat = new Map(sheet.entries.map((e) => [e.seat, e]));
  const rows = Math.ceil(sheet.seats / sheet.columns);
  const out: Array<Array<{ seat: number; entry: SheetEntry | null }>> = [];
  for (let r = 0; r < rows; r++) {
    const row: Array<{ seat: number; entry: SheetEntry | null }> = [];
    for (let c = 0; c < sheet.columns; c++) {
      const seat = r * sheet.columns + c + 1;
      if (seat > sheet.seats) break;
      row.push({ seat, entry: bySeat.get(seat) ?? null });
    }
    out.push(row);
  }
  return out;
}
