import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import type { DB } from "~db/schema";
import { lockAdvisory } from "~db/queries/locks";
import { planRoomImport, type RoomCellError, type RoomValue } from "~/domain/rooms";
import type { Actor } from "./audit.server";
import { recordAudit } from "./audit.server";

export type RoomImportOutcome =
  { ok: true; inserted: number; updated: number } | { ok: false; errors: Array<RoomCellError & { row: number }> };

/**
 * ROOM-1 through the shared import pipeline: all or nothing, planned inside the transaction that
 * writes (under the site's rooms lock), so a room added meanwhile is judged too.
 */
export async function importRooms(
  actor: Actor & { sittingId: number },
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: RoomValue }>,
  overwrite: boolean,
): Promise<RoomImportOutcome> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteRooms", siteId);
      const byNumber = await existingRooms(trx, actor.sittingId, siteId);
      const plan = planRoomImport(rows, byNumber, overwrite);
      if (plan.errors.length) return { ok: false as const, errors: plan.errors };
      for (const { value } of rows) {
        const old = byNumber.get(value.number);
        if (old) await trx.updateTable("room").set(value).where("id", "=", old.id).execute();
        else
          await trx
            .insertInto("room")
            .values({ sitting_id: actor.sittingId, org_id: siteId, ...value })
            .execute();
      }
      await recordAudit(trx, actor, {
        action: "rooms.import",
        entityType: "room",
        entityId: siteId,
        orgId: siteId,
        after: { rows: rows.length, inserted: plan.inserts, updated: plan.updates, overwrite },
      });
      return { ok: true as const, inserted: plan.inserts, updated: plan.updates };
    });
}

/** The site's rooms by number, each with the largest capacity of its batches (seats may not drop below it). */
async function existingRooms(db: Kysely<DB> | Transaction<DB>, sittingId: number, siteId: number) {
  const rows = await db
    .selectFrom("room as r")
    .select([
      "r.id",
      "r.number",
      sql<number>`coalesce((select max(b.capacity) from exam_batch b where b.room_id = r.id), 0)`.as("max_capacity"),
    ])
    .where("r.sitting_id", "=", sittingId)
    .where("r.org_id", "=", siteId)
    .execute();
  return new Map(rows.map((r) => [r.number, { id: r.id, maxCapacity: Number(r.max_capacity) }]));
}

/** The same plan's errors for the rows that typed, when others did not: one report lists everything (SR-3). */
export async function checkRooms(
  sittingId: number,
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: RoomValue }>,
  overwrite: boolean,
) {
  return planRoomImport(rows, await existingRooms(getDb(), sittingId, siteId), overwrite).errors;
}
