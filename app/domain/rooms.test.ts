import { describe, expect, it } from "vitest";
import {
  batchFaults,
  batchFitsSubject,
  batchLabel,
  siteExamDays,
  farEnoughApart,
  formatClock,
  normaliseRoomNumber,
  parseClock,
  parseRoomRow,
  planRoomImport,
  planTimetable,
  type ExamRange,
} from "./rooms";

const ranges: ExamRange[] = [
  { subject_code: "14", exam_start: "2027-03-27", exam_end: "2027-03-29", minutes: 120 },
  { subject_code: "65", exam_start: "2027-03-27", exam_end: "2027-03-27", minutes: 90 },
];
const room = { number: "07", seats: 40 };
const at = (start: string, end: string, date = "2027-03-27") => ({
  exam_date: date,
  start_min: parseClock(start)!,
  end_min: parseClock(end)!,
});

describe("rooms and batches (ROOM-1)", () => {
  it("ROOM-1: a room number is two digits 01–99, typed any way a user types it", () => {
    expect(normaliseRoomNumber("7")).toBe("07");
    expect(normaliseRoomNumber(" 07 ")).toBe("07");
    expect(normaliseRoomNumber("０７")).toBe("07");
    expect(normaliseRoomNumber("99")).toBe("99");
    for (const bad of ["0", "00", "100", "A1", "", "7.5"]) expect(normaliseRoomNumber(bad)).toBeNull();
    expect(batchLabel("07", 1)).toBe("07#1");
  });

  it("ROOM-1: times of day read and print as hours:minutes", () => {
    expect(parseClock("08:00")).toBe(480);
    expect(parseClock("8:30")).toBe(510);
    expect(parseClock("１０：２０")).toBe(620);
    expect(parseClock("25:00")).toBeNull();
    expect(parseClock("8")).toBeNull();
    expect(formatClock(620)).toBe("10:20");
  });

  it("ROOM-1: a batch at 19:30–21:00 lies outside the exam day and is refused", () => {
    const faults = batchFaults({ ...at("19:30", "21:00"), capacity: 30 }, room, [], ranges);
    expect(faults.map((f) => f.key)).toContain("rooms.batch_outside_day");
    expect(batchFaults({ ...at("07:30", "09:30"), capacity: 30 }, room, [], ranges).map((f) => f.key)).toContain(
      "rooms.batch_outside_day",
    );
    expect(batchFaults({ ...at("18:00", "20:00"), capacity: 30 }, room, [], ranges)).toEqual([]);
  });

  it("ROOM-1: overlapping batches in one room are refused, naming the other batch; touching ones are not", () => {
    const others = [{ ...at("08:00", "10:00"), seq: 1 }];
    const clash = batchFaults({ ...at("09:30", "11:30"), capacity: 30 }, room, others, ranges);
    expect(clash).toEqual([{ key: "rooms.batch_overlap", params: { other: "07#1", time: "2027-03-27 08:00–10:00" } }]);
    expect(batchFaults({ ...at("10:00", "12:00"), capacity: 30 }, room, others, ranges)).toEqual([]);
    expect(batchFaults({ ...at("09:00", "11:00", "2027-03-28"), capacity: 30 }, room, others, ranges)).toEqual([]);
  });

  it("ROOM-1: capacity is at most the room's seats; a day outside every subject's range is not an exam day", () => {
    expect(batchFaults({ ...at("08:00", "10:00"), capacity: 41 }, room, [], ranges)).toEqual([
      { key: "rooms.capacity_over_seats", params: { capacity: 41, seats: 40 } },
    ]);
    expect(batchFaults({ ...at("08:00", "10:00", "2027-03-30"), capacity: 30 }, room, [], ranges)[0].key).toBe(
      "rooms.batch_not_exam_day",
    );
  });

  it("ROOM-1: a batch shorter than its subject cannot hold it; one shorter than every subject of its day is refused", () => {
    const b = at("08:00", "09:30");
    expect(batchFitsSubject(b, ranges[1])).toBe(true); // 65 takes 90 minutes
    expect(batchFitsSubject(b, ranges[0])).toBe(false); // 14 takes 120
    expect(batchFitsSubject(at("08:00", "10:00", "2027-03-28"), ranges[1])).toBe(false); // outside 65's range
    expect(batchFaults({ ...at("08:00", "08:20"), capacity: 30 }, room, [], ranges)).toEqual([
      { key: "rooms.batch_too_short", params: { minutes: 20, shortest: 90 } },
    ]);
  });

  it("ROOM-1: a site's exam days are the dates of its subjects' exam ranges", () => {
    expect(siteExamDays(ranges)).toEqual(["2027-03-27", "2027-03-28", "2027-03-29"]);
    expect(siteExamDays([])).toEqual([]);
  });

  it("SCH-2: two batches are far enough apart for one candidate when 15 minutes lie between them", () => {
    expect(farEnoughApart(at("08:00", "10:00"), at("10:15", "12:15"))).toBe(true);
    expect(farEnoughApart(at("08:00", "10:00"), at("10:10", "12:10"))).toBe(false);
    expect(farEnoughApart(at("08:00", "10:00"), at("09:00", "11:00", "2027-03-28"))).toBe(true);
  });
});

describe("bulk timetable (ROOM-1)", () => {
  const days = ["2027-03-28", "2027-03-27"];
  const times = (r: ReturnType<typeof planTimetable>) =>
    "batches" in r ? r.batches.map((b) => `${b.exam_date} ${formatClock(b.start_min)}-${formatClock(b.end_min)}`) : r;

  it("ROOM-1: the manual's day: 08:00–10:00 / 10:30–12:30 / 13:00–15:00, day by day in date order", () => {
    expect(times(planTimetable({ days, start: 480, count: 3, minutes: 120, gap: 30 }))).toEqual([
      "2027-03-27 08:00-10:00",
      "2027-03-27 10:30-12:30",
      "2027-03-27 13:00-15:00",
      "2027-03-28 08:00-10:00",
      "2027-03-28 10:30-12:30",
      "2027-03-28 13:00-15:00",
    ]);
  });

  it("ROOM-1: the common 120-minute day at 08:00 / 10:20 / 12:40 / 15:00", () => {
    const r = planTimetable({ days: ["2027-03-27"], start: 480, count: 4, minutes: 120, gap: 20 });
    expect(times(r)).toEqual([
      "2027-03-27 08:00-10:00",
      "2027-03-27 10:20-12:20",
      "2027-03-27 12:40-14:40",
      "2027-03-27 15:00-17:00",
    ]);
  });

  it("ROOM-1: seed 004's fifteen 20-minute batches with 10-minute gaps end at 15:20", () => {
    const r = planTimetable({ days: ["2027-03-27"], start: 480, count: 15, minutes: 20, gap: 10 });
    expect("batches" in r && r.batches.length).toBe(15);
    expect((times(r) as string[]).at(-1)).toBe("2027-03-27 15:00-15:20");
  });

  it("ROOM-1: a timetable running past 20:00 is refused as a whole, saying when it would end", () => {
    expect(planTimetable({ days, start: 480, count: 6, minutes: 120, gap: 30 })).toEqual({
      fault: { key: "rooms.timetable_outside_day", params: { start: "08:00", end: "22:30" } },
    });
    expect(planTimetable({ days: [], start: 480, count: 1, minutes: 120, gap: 0 })).toEqual({
      fault: { key: "rooms.timetable_no_days" },
    });
    expect(planTimetable({ days, start: 480, count: 0, minutes: 120, gap: 0 })).toEqual({
      fault: { key: "rooms.timetable_count_range" },
    });
  });
});

describe("rooms import rows (ROOM-1)", () => {
  it("ROOM-1: a row types into a room; every failing cell is named by its column", () => {
    expect(parseRoomRow({ 考场号: 7, 考场位置: " 实验楼  301 ", 座位数: "４０" })).toEqual({
      value: { number: "07", location: "实验楼 301", seats: 40 },
    });
    expect(parseRoomRow({ 考场号: "", 座位数: "0" }).errors?.map((e) => [e.column, e.key])).toEqual([
      ["考场号", "import.required"],
      ["座位数", "rooms.seats_range"],
    ]);
  });

  it("ROOM-1: the same number twice in a file, an existing number without overwrite, or seats below a batch are refused", () => {
    const rows = [
      { row: 2, value: { number: "07", location: "", seats: 40 } },
      { row: 3, value: { number: "07", location: "", seats: 40 } },
      { row: 4, value: { number: "08", location: "", seats: 30 } },
    ];
    const existing = new Map([["08", { maxCapacity: 35 }]]);
    expect(planRoomImport(rows, existing, false).errors.map((e) => [e.row, e.key])).toEqual([
      [3, "rooms.duplicate_in_file"],
      [4, "rooms.number_taken"],
    ]);
    expect(planRoomImport(rows, existing, true).errors.map((e) => [e.row, e.key])).toEqual([
      [3, "rooms.duplicate_in_file"],
      [4, "rooms.seats_below_batches"],
    ]);
    expect(planRoomImport([rows[0]], existing, false)).toEqual({ errors: [], inserts: 1, updates: 0 });
  });
});
