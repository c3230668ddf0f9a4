import { z } from "zod";

/** ROOM-1/ROOM-2: the rooms page: save a room, delete one, add a timetable or one batch, change one, delete batches. */
export const ROOMS_INTENT = {
  saveRoom: "save-room",
  deleteRoom: "delete-room",
  timetable: "timetable",
  addBatch: "add-batch",
  saveBatch: "save-batch",
  deleteBatches: "delete-batches",
} as const;

const id = z.coerce.number({ invalid_type_error: "form.invalid" }).int().positive({ message: "form.invalid" });
const text = z.string().default("");

export const RoomsActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal(ROOMS_INTENT.saveRoom),
      id: z.union([z.literal(""), id]).optional(),
      number: text,
      location: text,
      seats: text,
      columns: text,
    }),
    z.object({ intent: z.literal(ROOMS_INTENT.deleteRoom), id }),
    // The ticked rooms and days are read as lists beside this (form.getAll).
    z.object({
      intent: z.literal(ROOMS_INTENT.timetable),
      start: text,
      count: text,
      minutes: text,
      gap: text,
      capacity: text,
    }),
    z.object({
      intent: z.literal(ROOMS_INTENT.addBatch),
      room: id,
      date: text,
      start: text,
      end: text,
      capacity: text,
    }),
    z.object({
      intent: z.literal(ROOMS_INTENT.saveBatch),
      id,
      date: text,
      start: text,
      end: text,
      capacity: text,
    }),
    z.object({ intent: z.literal(ROOMS_INTENT.deleteBatches) }),
  ],
  { errorMap: () => ({ message: "form.invalid" }) },
);
