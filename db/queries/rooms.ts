import { sql, type Kysely, type Transaction } from "kysely";
import type { ExamRange } from "~/domain/rooms";
import type { DB } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

/** ROOM-1: a site's rooms in number order, with how many batches each has and how many entries sit in them. */
export async function listRooms(db: Q, sittingId: number, orgId: number) {
  return db
    .selectFrom("room as r")
    .select([
      "r.id",
      "r.number",
      "r.location",
      "r.seats",
      (eb) =>
        eb
          .selectFrom("exam_batch as b")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("b.room_id", "=", "r.id")
          .as("batch_count"),
      (eb) =>
        eb
          .selectFrom("entry as e")
          .innerJoin("exam_batch as b", "b.id", "e.batch_id")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("b.room_id", "=", "r.id")
          .as("allocated"),
    ])
    .where("r.sitting_id", "=", sittingId)
    .where("r.org_id", "=", orgId)
    .orderBy("r.number")
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, batch_count: Number(r.batch_count), allocated: Number(r.allocated) })));
}

/** ROOM-1: a site's batches in room, then time order, each with its room number and allocated count. */
export async function listBatches(db: Q, sittingId: number, orgId: number) {
  const rows = await db
    .selectFrom("exam_batch as b")
    .innerJoin("room as r", "r.id", "b.room_id")
    .select([
      "b.id",
      "b.room_id",
      "r.number as room_number",
      "b.seq",
      "b.exam_date",
      "b.start_min",
      "b.end_min",
      "b.capacity",
      (eb) =>
        eb
          .selectFrom("entry as e")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("e.batch_id", "=", "b.id")
          .as("allocated"),
    ])
    .where("b.sitting_id", "=", sittingId)
    .where("b.org_id", "=", orgId)
    .orderBy("r.number")
    .orderBy("b.exam_date")
    .orderBy("b.start_min")
    .orderBy("b.seq")
    .execute();
  return rows.map((r) => ({ ...r, allocated: Number(r.allocated) }));
}

/** ROOM-1: the exam range and duration of every subject the site offers this sitting. */
export async function siteExamRanges(db: Q, sittingId: number, orgId: number): Promise<ExamRange[]> {
  return db
    .selectFrom("site_subject as ss")
    .innerJoin("subject as s", "s.code", "ss.subject_code")
    .select(["ss.subject_code", "ss.exam_start", "ss.exam_end", "s.minutes"])
    .where("ss.sitting_id", "=", sittingId)
    .where("ss.org_id", "=", orgId)
    .orderBy("ss.subject_code")
    .execute();
}

/** ROOM-2: how many entries each of these batches holds (only those holding any). */
export async function allocatedIn(db: Q, batchIds: readonly number[]) {
  if (batchIds.length === 0) return new Map<number, number>();
  const rows = await db
    .selectFrom("entry")
    .select(["batch_id", sql<number>`count(*)`.as("n")])
    .where("batch_id", "in", [...batchIds])
    .groupBy("batch_id")
    .execute();
  return new Map(rows.map((r) => [r.batch_id!, Number(r.n)]));
}
