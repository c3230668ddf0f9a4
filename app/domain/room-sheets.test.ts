import { describe, expect, it } from "vitest";
import {
  defaultSeatColumns,
  MAX_SEAT_COLUMNS,
  parseSeatColumns,
  roomBatchSheets,
  seatGrid,
  seatingCells,
  sheetFileStem,
} from "./room-sheets";
import { parseRoomRow } from "./rooms";

const row = (batchId: number, room: string, seq: number, start: string, seat: number, admissionNo: string) => ({
  batchId,
  room,
  location: "",
  seq,
  examDate: "2027-03-27",
  examTime: `${start}–10:00`,
  seats: 30,
  columns: 6,
  admissionNo,
  name: admissionNo,
  idNumber: "**************1234",
  subject: "(14) 一级",
  seat,
  photoPath: null,
});

describe("DOC-7: the room's layout", () => {
  it("DOC-7: the default is the squarest grid of at most 12 seats a row", () => {
    expect([1, 4, 30, 40, 100, 999].map(defaultSeatColumns)).toEqual([1, 2, 6, 7, 10, 12]);
    expect(seatGrid({ seats: 30, seat_columns: null })).toEqual({ rows: 5, columns: 6 });
    expect(seatGrid({ seats: 28, seat_columns: 8 })).toEqual({ rows: 4, columns: 8 });
    // A room shrunk below its rows' width: never more seats a row than the room has.
    expect(seatGrid({ seats: 5, seat_columns: 8 })).toEqual({ rows: 1, columns: 5 });
  });

  it("DOC-7: seats per row: empty for the default, 1 to the seats and at most 15, full-width digits read", () => {
    expect(parseSeatColumns("", 30)).toBeNull();
    expect(parseSeatColumns(" ６ ", 30)).toBe(6);
    expect(parseSeatColumns("15", 30)).toBe(MAX_SEAT_COLUMNS);
    for (const bad of ["16", "0", "-1", "2.5", "六", "31"]) expect(parseSeatColumns(bad, 30)).toBe("invalid");
    expect(parseSeatColumns("9", 8)).toBe("invalid");
  });

  it("DOC-7/ROOM-1: the rooms template's optional 每排座位数 column; a file without it leaves the setting alone", () => {
    expect(parseRoomRow({ 考场号: "7", 考场位置: "", 座位数: "30", 每排座位数: "6" })).toEqual({
      value: { number: "07", location: "", seats: 30, seat_columns: 6 },
    });
    expect(parseRoomRow({ 考场号: "7", 考场位置: "", 座位数: "30", 每排座位数: "" }).value).toMatchObject({
      seat_columns: null,
    });
    expect(parseRoomRow({ 考场号: "7", 考场位置: "", 座位数: "30" }).value).not.toHaveProperty("seat_columns");
    expect(parseRoomRow({ 考场号: "7", 考场位置: "", 座位数: "30", 每排座位数: "40" }).errors).toEqual([
      { column: "每排座位数", value: "40", key: "rooms.columns_range", params: { max: 15 } },
    ]);
  });

  it("DOC-7: the chart's cells run row by row from the front; empty seats are shown, nothing past the last seat", () => {
    const cells = seatingCells({
      seats: 8,
      columns: 3,
      entries: [
        { admissionNo: "A", name: "甲", idNumber: "", subject: "", seat: 1, photoPath: null },
        { admissionNo: "B", name: "乙", idNumber: "", subject: "", seat: 5, photoPath: null },
      ],
    });
    expect(cells.map((r) => r.map((c) => c.seat))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8],
    ]);
    expect(cells[0][0].entry?.name).toBe("甲");
    expect(cells[1][1].entry?.name).toBe("乙");
    expect(cells[0][1].entry).toBeNull();
  });
});

describe("DOC-7: which sheets, in which order", () => {
  it("DOC-7: one sheet per room and batch that seats anyone, rooms in number order, batches by time, candidates by seat", () => {
    const sheets = roomBatchSheets([
      row(3, "02", 1, "08:00", 2, "N5"),
      row(2, "01", 2, "13:00", 1, "N4"),
      row(1, "01", 1, "08:00", 3, "N1"),
      row(1, "01", 1, "08:00", 1, "N2"),
      row(3, "02", 1, "08:00", 1, "N3"),
    ]);
    expect(sheets.map((s) => `${s.room}#${s.seq}`)).toEqual(["01#1", "01#2", "02#1"]);
    expect(sheets[0].entries.map((e) => e.admissionNo)).toEqual(["N2", "N1"]);
    expect(sheets[2].entries.map((e) => e.seat)).toEqual([1, 2]);
    expect(sheetFileStem(sheets[1])).toBe("01-2_2027-03-27_1300");
  });
});
