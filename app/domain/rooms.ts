// ROOM-1/ROOM-2 (manual §三十): a site's rooms and their batches, as pure rules. A batch's times are
// wall-clock minutes of its exam day (decision 0031): 08:00 is 480, 20:00 is 1200.

import type { MessageKey } from "~/i18n";
import { examDays } from "./preferred-dates";
import { MAX_SEAT_COLUMNS, parseSeatColumns } from "./room-sheets";

/** ROOM-1: batches lie inside 08:00–20:00 of an exam day. */
export const DAY_START_MIN = 8 * 60;
export const DAY_END_MIN = 20 * 60;
export const MAX_SEATS = 999;
/** SCH-2: a candidate's entries are at least this far apart (end of one to start of the next). */
export const MIN_GAP_MIN = 15;

export interface BatchTimes {
  exam_date: string;
  start_min: number;
  end_min: number;
}

export interface RoomFault {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** "7", "07", " 07 ", "０７" → "07"; anything else (0, 100, "A1") → null. */
export function normaliseRoomNumber(text: string): string | null {
  const s = text.normalize("NFKC").trim();
  if (!/^\d{1,2}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 99 ? String(n).padStart(2, "0") : null;
}

/** The manual's name for a batch: room number, '#', its number in the room ("07#1"). */
export function batchLabel(roomNumber: string, seq: number): string {
  return `${roomNumber}#${seq}`;
}

/** "08:30" → 510; null for anything that is not a time of day. */
export function parseClock(text: string): number | null {
  const m = /^(\d{1,2})[:：](\d{2})$/.exec(text.normalize("NFKC").trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 24 && min < 60 && h * 60 + min <= 24 * 60 ? h * 60 + min : null;
}

/** 510 → "08:30". */
export function formatClock(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;
}

/** "2027-03-27 08:00–10:00" */
export function formatBatchTime(b: BatchTimes): string {
  return `${b.exam_date} ${formatClock(b.start_min)}–${formatClock(b.end_min)}`;
}

export const overlaps = (a: BatchTimes, b: BatchTimes) =>
  a.exam_date === b.exam_date && a.start_min < b.end_min && b.start_min < a.end_min;

/** SCH-2: two batches one candidate may sit both of: never overlapping, and 15 minutes apart. */
export const farEnoughApart = (a: BatchTimes, b: BatchTimes) =>
  a.exam_date !== b.exam_date || a.end_min + MIN_GAP_MIN <= b.start_min || b.end_min + MIN_GAP_MIN <= a.start_min;

export interface ExamRange {
  subject_code: string;
  exam_start: string;
  exam_end: string;
  /** The subject's duration in minutes. */
  minutes: number;
}

/** An exam day of the site: a date inside the exam range of at least one subject it offers. */
export function isExamDay(date: string, ranges: readonly ExamRange[]): boolean {
  return ranges.some((r) => r.exam_start <= date && date <= r.exam_end);
}

/** The exam days of a site: every date inside some offered subject's range, in order. */
export function siteExamDays(ranges: readonly ExamRange[]): string[] {
  return [...new Set(ranges.flatMap((r) => examDays(r.exam_start, r.exam_end)))].sort();
}

/** ROOM-1: a batch may hold an entry of a subject when it lies in the subject's range and is long enough. */
export function batchFitsSubject(b: BatchTimes, r: ExamRange): boolean {
  return r.exam_start <= b.exam_date && b.exam_date <= r.exam_end && b.end_min - b.start_min >= r.minutes;
}

/**
 * ROOM-1: what is wrong with one batch of a room, given the room's seats, its other batches and the
 * site's exam ranges: outside 08:00–20:00, not an exam day, over the room's seats, overlapping
 * another batch of the same room, or too short for every subject of its day.
 */
export function batchFaults(
  b: BatchTimes & { capacity: number },
  room: { number: string; seats: number },
  others: ReadonlyArray<BatchTimes & { seq: number }>,
  ranges: readonly ExamRange[],
): RoomFault[] {
  const faults: RoomFault[] = [];
  if (!(b.start_min < b.end_min)) faults.push({ key: "rooms.batch_end_before_start" });
  else if (b.start_min < DAY_START_MIN || b.end_min > DAY_END_MIN)
    faults.push({
      key: "rooms.batch_outside_day",
      params: { time: `${formatClock(b.start_min)}–${formatClock(b.end_min)}` },
    });
  if (!isExamDay(b.exam_date, ranges)) faults.push({ key: "rooms.batch_not_exam_day", params: { date: b.exam_date } });
  else if (b.start_min < b.end_min && !ranges.some((r) => batchFitsSubject(b, r)))
    faults.push({
      key: "rooms.batch_too_short",
      params: {
        minutes: b.end_min - b.start_min,
        shortest: Math.min(
          ...ranges.filter((r) => r.exam_start <= b.exam_date && b.exam_date <= r.exam_end).map((r) => r.minutes),
        ),
      },
    });
  if (!Number.isInteger(b.capacity) || b.capacity < 1) faults.push({ key: "rooms.capacity_positive" });
  else if (b.capacity > room.seats)
    faults.push({ key: "rooms.capacity_over_seats", params: { capacity: b.capacity, seats: room.seats } });
  const clash = others.find((o) => overlaps(o, b));
  if (clash)
    faults.push({
      key: "rooms.batch_overlap",
      params: { other: batchLabel(room.number, clash.seq), time: formatBatchTime(clash) },
    });
  return faults;
}

export interface TimetableSpec {
  days: readonly string[];
  /** Minutes of the day the first batch starts. */
  start: number;
  count: number;
  minutes: number;
  gap: number;
}

/**
 * ROOM-1: a bulk timetable: on each chosen day, `count` batches of `minutes` with `gap` minutes
 * between them from `start` (the manual's 08:00–10:00 / 10:30–12:30 / 13:00–15:00 is 3 × 120 with
 * 30; seed 004's day is 15 × 20 with 10). Refused as a whole if its last batch ends after 20:00.
 */
export function planTimetable(spec: TimetableSpec): { batches: BatchTimes[] } | { fault: RoomFault } {
  if (!Number.isInteger(spec.count) || spec.count < 1 || spec.count > 40)
    return { fault: { key: "rooms.timetable_count_range" } };
  if (!Number.isInteger(spec.minutes) || spec.minutes < 10) return { fault: { key: "rooms.timetable_minutes_min" } };
  if (!Number.isInteger(spec.gap) || spec.gap < 0) return { fault: { key: "rooms.timetable_gap_negative" } };
  if (spec.days.length === 0) return { fault: { key: "rooms.timetable_no_days" } };
  const last = spec.start + spec.count * spec.minutes + (spec.count - 1) * spec.gap;
  if (spec.start < DAY_START_MIN || last > DAY_END_MIN)
    return {
      fault: { key: "rooms.timetable_outside_day", params: { start: formatClock(spec.start), end: formatClock(last) } },
    };
  const batches: BatchTimes[] = [];
  for (const day of [...spec.days].sort())
    for (let i = 0; i < spec.count; i++) {
      const start_min = spec.start + i * (spec.minutes + spec.gap);
      batches.push({ exam_date: day, start_min, end_min: start_min + spec.minutes });
    }
  return { batches };
}

/** The batches of one room in time order (how they are numbered when made together). */
export const byTime = <B extends BatchTimes>(a: B, b: B) =>
  a.exam_date < b.exam_date ? -1 : a.exam_date > b.exam_date ? 1 : a.start_min - b.start_min;

/** ROOM-1: the rooms template's data sheet and columns (a site with 40 labs imports them). */
export const ROOM_SHEET = "考场信息";
export const ROOM_COLUMNS = ["考场号", "考场位置", "座位数", "每排座位数"] as const;
export const ROOM_REQUIRED: readonly string[] = ["考场号", "座位数"];
export const LOCATION_MAX = 100;

// A type, not an interface: it is written as an audit record (a plain record of fields).
export type RoomValue = {
  number: string;
  location: string;
  seats: number;
  /** DOC-7: seats per row; null: the default; absent: not given (an import without the column keeps it). */
  seat_columns?: number | null;
};

/** A failing cell of an import (the shared pipeline's shape). */
export interface RoomCellError {
  column: string;
  value: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

const cellText = (v: unknown) =>
  v === null || v === undefined ? "" : String(typeof v === "object" && "text" in v ? v.text : v).trim();

/** ROOM-1: one row of the rooms template typed, or its failing cells (each named by its column). */
export function parseRoomRow(
  cells: Record<string, unknown>,
): { value: RoomValue; errors?: undefined } | { errors: RoomCellError[]; value?: undefined } {
  const errors: RoomCellError[] = [];
  const rawNumber = cellText(cells["考场号"]);
  const number = normaliseRoomNumber(rawNumber);
  if (!rawNumber) errors.push({ column: "考场号", value: "", key: "import.required" });
  else if (!number) errors.push({ column: "考场号", value: rawNumber, key: "rooms.number_format" });
  const location = cellText(cells["考场位置"]).replace(/\s+/g, " ");
  if (location.length > LOCATION_MAX)
    errors.push({ column: "考场位置", value: location, key: "rooms.location_too_long" });
  const rawSeats = cellText(cells["座位数"]).normalize("NFKC");
  const seats = Number(rawSeats);
  if (!rawSeats) errors.push({ column: "座位数", value: "", key: "import.required" });
  else if (!Number.isInteger(seats) || seats < 1 || seats > MAX_SEATS)
    errors.push({ column: "座位数", value: rawSeats, key: "rooms.seats_range" });
  const value: RoomValue = { number: number!, location, seats };
  if ("每排座位数" in cells) {
    const rawColumns = cellText(cells["每排座位数"]);
    const columns = parseSeatColumns(rawColumns, seats);
    if (columns === "invalid")
      errors.push({
        column: "每排座位数",
        value: rawColumns,
        key: "rooms.columns_range",
        params: { max: Math.min(MAX_SEAT_COLUMNS, seats || MAX_SEAT_COLUMNS) },
      });
    else value.seat_columns = columns;
  }
  return errors.length ? { errors } : { value };
}

/**
 * ROOM-1: what a rooms import would do: the same number twice in the file is an error; a number the
 * site already has needs "overwrite" and may not drop below its batches' capacity.
 */
export function planRoomImport(
  rows: ReadonlyArray<{ row: number; value: RoomValue }>,
  existing: ReadonlyMap<string, { maxCapacity: number }>,
  overwrite: boolean,
): { errors: Array<RoomCellError & { row: number }>; inserts: number; updates: number } {
  const errors: Array<RoomCellError & { row: number }> = [];
  const first = new Map<string, number>();
  let inserts = 0;
  let updates = 0;
  for (const { row, value } of rows) {
    const seen = first.get(value.number);
    if (seen !== undefined) {
      errors.push({
        row,
        column: "考场号",
        value: value.number,
        key: "rooms.duplicate_in_file",
        params: { first: seen },
      });
      continue;
    }
    first.set(value.number, row);
    const old = existing.get(value.number);
    if (!old) inserts++;
    else if (!overwrite)
      errors.push({
        row,
        column: "考场号",
        value: value.number,
        key: "rooms.number_taken",
        params: { number: value.number },
      });
    else if (value.seats < old.maxCapacity)
      errors.push({
        row,
        column: "座位数",
        value: String(value.seats),
        key: "rooms.seats_below_batches",
        params: { capacity: old.maxCapacity },
      });
    else updates++;
  }
  return { errors, inserts, updates };
}
