import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import type { DB } from "~db/schema";
import { batchAttendance, canCheckIn, checkInVerdict, type CheckInVerdict } from "~/domain/check-in";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import { requireSite, requireWritableSitting } from "~/utils/permissions.server";
import { formatClock } from "~/domain/rooms";
import { parseWallClock } from "~/domain/windows";

type Q = Kysely<DB> | Transaction<DB>;

// DOC-9 (second half): recording attendance. One row per entry, written once: a second scan finds
// the first and says when it was (the row is the record of who and when; no audit entry a scan).

/** An entry by sitting code and admission number (what a card's token names), with where it sits and its attendance. */
export async function findCardEntry(db: Q, where: { sittingCode?: string; sittingId?: number; admissionNo: string }) {
  let q = db
    .selectFrom("entry as e")
    .innerJoin("sitting as t", "t.id", "e.sitting_id")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .leftJoin("exam_batch as b", "b.id", "e.batch_id")
    .leftJoin("attendance as a", "a.entry_id", "e.id")
    .select([
      "e.id as entry_id",
      "g.name",
      "e.org_id",
      "e.sitting_id",
      "e.batch_id",
      "b.room_id",
      "b.exam_date",
      "b.end_min",
      "a.checked_in_at",
      "a.checked_in_by_name",
    ])
    .where("e.admission_no", "=", where.admissionNo);
  if (where.sittingCode !== undefined) q = q.where("t.code", "=", where.sittingCode);
  if (where.sittingId !== undefined) q = q.where("e.sitting_id", "=", where.sittingId);
  return q.executeTakeFirst();
}

export type CheckInOutcome =
  | { state: "checked_in"; at: Date; by: string }
  | { state: "already"; at: Date; by: string }
  | { state: "refused"; verdict: CheckInVerdict };

/**
 * DOC-9: checks the entry in for the acting site (ORG-2: another site's candidate is refused, never
 * recorded), idempotently: a second time answers with the first check-in's time and person.
 */
export async function checkIn(
  ctx: AdminContext,
  entryId: number,
  post: { roomId: number | null; batchId: number | null },
  via: "scan" | "manual",
): Promise<CheckInOutcome> {
  requireSite(ctx);
  requireWritableSitting(ctx);
  const db = getDb();
  const e = await db
    .selectFrom("entry as e")
    .leftJoin("exam_batch as b", "b.id", "e.batch_id")
    .select(["e.id", "e.org_id", "e.sitting_id", "e.batch_id", "b.room_id"])
    .where("e.id", "=", entryId)
    .executeTakeFirst();
  if (!e) throw new AppError("checkin.not_found", {}, 404);
  const verdict = checkInVerdict(
    { sittingId: e.sitting_id, siteId: e.org_id, roomId: e.room_id, batchId: e.batch_id },
    { sittingId: ctx.sitting.id, siteId: ctx.org.id, ...post },
  );
  if (!canCheckIn(verdict)) return { state: "refused", verdict };
  const made = await db
    .insertInto("attendance")
    .values({
      entry_id: e.id,
      sitting_id: e.sitting_id,
      org_id: e.org_id,
      batch_id: e.batch_id!,
      via,
      checked_in_by: ctx.accountId,
      checked_in_by_name: ctx.name,
    })
    .onConflict((oc) => oc.column("entry_id").doNothing())
    .returning(["checked_in_at", "checked_in_by_name"])
    .executeTakeFirst();
  if (made) return { state: "checked_in", at: made.checked_in_at, by: made.checked_in_by_name };
  const first = await db
    .selectFrom("attendance")
    .select(["checked_in_at", "checked_in_by_name"])
    .where("entry_id", "=", e.id)
    .executeTakeFirstOrThrow();
  return { state: "already", at: first.checked_in_at, by: first.checked_in_by_name };
}

/** DOC-9: a site's batches for the check-in page's picker, in room and time order, with their counts. */
export async function checkInBatches(db: Q, sittingId: number, siteId: number) {
  const rows = await db
    .selectFrom("exam_batch as b")
    .innerJoin("room as r", "r.id", "b.room_id")
    .select([
      "b.id",
      "b.room_id",
      "b.seq",
      "b.exam_date",
      "b.start_min",
      "b.end_min",
      "r.number as room",
      sql<number>`(select count(*) from entry e where e.batch_id = b.id and e.admission_no is not null)`.as("expected"),
      sql<number>`(select count(*) from attendance a where a.batch_id = b.id)`.as("present"),
    ])
    .where("b.sitting_id", "=", sittingId)
    .where("b.org_id", "=", siteId)
    .orderBy("b.exam_date")
    .orderBy("b.start_min")
    .orderBy("r.number")
    .execute();
  return rows.map((r) => ({ ...r, expected: Number(r.expected), present: Number(r.present) }));
}

/** DOC-9: one batch's candidates in seat order with their check-in, and the batch's counts. */
export async function batchRoll(db: Q, sittingId: number, siteId: number, batchId: number, now = new Date()) {
  const batch = await db
    .selectFrom("exam_batch")
    .select(["id", "room_id", "exam_date", "end_min"])
    .where("id", "=", batchId)
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .executeTakeFirst();
  // A forged batch id of another site reads as no such batch (ORG-2).
  if (!batch) throw new AppError("checkin.no_batch", {}, 404);
  const entries = await db
    .selectFrom("entry as e")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .leftJoin("attendance as a", "a.entry_id", "e.id")
    .leftJoin("violation as v", "v.entry_id", "e.id")
    .select([
      "e.id",
      "e.seat",
      "v.kind as violation_kind",
      "e.admission_no",
      "e.subject_code",
      "g.name",
      "a.checked_in_at",
      "a.checked_in_by_name",
      "a.via",
    ])
    .where("e.batch_id", "=", batchId)
    .where("e.admission_no", "is not", null)
    .orderBy("e.seat")
    .execute();
  const ended = batchEnded(batch, now);
  return {
    batch,
    ended,
    entries,
    counts: batchAttendance(
      entries.map((e) => ({ checkedInAt: e.checked_in_at })),
      ended,
    ),
  };
}

/** A batch is over once its end has passed on its exam day (a wall clock in the deployment's zone, decision 0031). */
export function batchEnded(b: { exam_date: string; end_min: number }, now: Date): boolean {
  const end = parseWallClock(`${b.exam_date} ${formatClock(b.end_min)}`, getEnv().timeZone);
  return end !== null && now.getTime() >= end.getTime();
}
