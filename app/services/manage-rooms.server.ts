import type { Transaction } from "kysely";
import { getDb } from "~db/client";
import { lockAdvisory } from "~db/queries/locks";
import { allocatedIn, siteExamRanges } from "~db/queries/rooms";
import type { DB } from "~db/schema";
import { AppError } from "~/domain/errors";
import {
  batchFaults,
  batchLabel,
  byTime,
  formatBatchTime,
  overlaps,
  parseRoomRow,
  planTimetable,
  type BatchTimes,
  type RoomValue,
  type TimetableSpec,
} from "~/domain/rooms";
import type { AdminContext } from "~/utils/auth.server";
import { requireSite } from "~/utils/permissions.server";
import { validateAllocation } from "~/domain/allocation";
import { currentPlacements, loadAllocationInput } from "./allocate-site.server";
import { recordAudit } from "./audit.server";

// ROOM-1/ROOM-2: a site's own rooms and batches. The caller checked the allocation window (WIN-3);
// every change holds the site's rooms lock, so two administrators cannot make overlapping batches.

export interface RoomInput {
  number: string;
  location: string;
  seats: string;
  /** DOC-7: seats per row ("" for the default). */
  columns?: string;
}

/** ROOM-1: the room's fields checked by the import's own row rules (one place), or the first thing wrong. */
export function checkRoomInput(input: RoomInput): RoomValue {
  const r = parseRoomRow({
    考场号: input.number,
    考场位置: input.location,
    座位数: input.seats,
    ...(input.columns === undefined ? {} : { 每排座位数: input.columns }),
  });
  if (r.errors) {
    const e = r.errors[0];
    const required = e.column === "座位数" ? "rooms.seats_range" : "rooms.number_format";
    throw new AppError(e.key === "import.required" ? required : e.key, e.params);
  }
  return r.value;
}

async function inSiteRooms<T>(ctx: AdminContext, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  requireSite(ctx);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteRooms", ctx.org.id);
      return work(trx);
    });
}

async function ownRoom(trx: Transaction<DB>, ctx: AdminContext, id: number) {
  const room = await trx
    .selectFrom("room")
    .selectAll()
    .where("id", "=", id)
    .where("sitting_id", "=", ctx.sitting.id)
    .where("org_id", "=", ctx.org.id)
    .executeTakeFirst();
  // A forged id of another site's room reads as "no such room" (ORG-2).
  if (!room) throw new AppError("rooms.not_found", {}, 404);
  return room;
}

/** ROOM-1: add a room, or change one (`id`); its seats never drop below a batch's capacity. */
export async function saveRoom(ctx: AdminContext, input: RoomInput & { id?: number }) {
  const value = checkRoomInput(input);
  return inSiteRooms(ctx, async (trx) => {
    const clash = await trx
      .selectFrom("room")
      .select("id")
      .where("sitting_id", "=", ctx.sitting.id)
      .where("org_id", "=", ctx.org.id)
      .where("number", "=", value.number)
      .executeTakeFirst();
    if (clash && clash.id !== input.id) throw new AppError("rooms.number_taken", { number: value.number });
    if (input.id) {
      const before = await ownRoom(trx, ctx, input.id);
      const biggest = await trx
        .selectFrom("exam_batch")
        .select((eb) => eb.fn.max("capacity").as("c"))
        .where("room_id", "=", before.id)
        .executeTakeFirst();
      const capacity = Number(biggest?.c ?? 0);
      if (value.seats < capacity) throw new AppError("rooms.seats_below_batches", { capacity });
      await trx.updateTable("room").set(value).where("id", "=", before.id).execute();
      await recordAudit(trx, ctx.actor, {
        action: "rooms.update",
        entityType: "room",
        entityId: before.id,
        before: {
          number: before.number,
          location: before.location,
          seats: before.seats,
          seat_columns: before.seat_columns,
        },
        after: value,
      });
      return before.id;
    }
    const { id } = await trx
      .insertInto("room")
      .values({ sitting_id: ctx.sitting.id, org_id: ctx.org.id, ...value })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.actor, { action: "rooms.add", entityType: "room", entityId: id, after: value });
    return id;
  });
}

/** ROOM-2: a room goes with its batches, unless any of them holds an allocation (clear it first). */
export async function deleteRoom(ctx: AdminContext, id: number) {
  return inSiteRooms(ctx, async (trx) => {
    const room = await ownRoom(trx, ctx, id);
    const batches = await trx.selectFrom("exam_batch").select(["id", "seq"]).where("room_id", "=", id).execute();
    const held = await allocatedIn(
      trx,
      batches.map((b) => b.id),
    );
    const first = batches.find((b) => held.has(b.id));
    if (first)
      throw new AppError("rooms.has_allocations", {
        label: batchLabel(room.number, first.seq),
        count: held.get(first.id)!,
      });
    await trx.deleteFrom("exam_batch").where("room_id", "=", id).execute();
    await trx.deleteFrom("room").where("id", "=", id).execute();
    await recordAudit(trx, ctx.actor, {
      action: "rooms.delete",
      entityType: "room",
      entityId: id,
      before: { number: room.number, location: room.location, seats: room.seats, batches: batches.length },
    });
    return room.number;
  });
}

/** The room's batches as the checks need them. */
async function batchesOfRooms(trx: Transaction<DB>, roomIds: readonly number[]) {
  if (roomIds.length === 0) return [];
  return trx
    .selectFrom("exam_batch")
    .select(["id", "room_id", "seq", "exam_date", "start_min", "end_min", "capacity"])
    .where("room_id", "in", [...roomIds])
    .execute();
}

/**
 * ROOM-1: a bulk timetable for the chosen rooms: every batch is checked like a single one (inside the
 * exam day, an exam day, long enough for a subject of that day, capacity within the room's seats, no
 * overlap with the room's batches), and the whole timetable is refused on the first problem.
 */
export async function addTimetable(
  ctx: AdminContext,
  input: TimetableSpec & { roomIds: readonly number[]; capacity: number | null },
) {
  if (input.roomIds.length === 0) throw new AppError("rooms.timetable_no_rooms");
  const plan = planTimetable(input);
  if ("fault" in plan) throw new AppError(plan.fault.key, plan.fault.params);
  return inSiteRooms(ctx, async (trx) => {
    const ranges = await siteExamRanges(trx, ctx.sitting.id, ctx.org.id);
    const rooms = [];
    for (const id of [...new Set(input.roomIds)]) rooms.push(await ownRoom(trx, ctx, id));
    rooms.sort((a, b) => a.number.localeCompare(b.number));
    const existing = await batchesOfRooms(
      trx,
      rooms.map((r) => r.id),
    );
    const rows = [];
    for (const room of rooms) {
      const others = existing.filter((b) => b.room_id === room.id);
      let seq = Math.max(0, ...others.map((b) => b.seq));
      for (const b of plan.batches) {
        const clash = others.find((o) => overlaps(o, b));
        if (clash)
          throw new AppError("rooms.timetable_clash", {
            number: room.number,
            time: formatBatchTime(clash),
            other: batchLabel(room.number, clash.seq),
          });
        const capacity = input.capacity ?? room.seats;
        const fault = batchFaults({ ...b, capacity }, room, [], ranges)[0];
        if (fault) throw new AppError(fault.key, fault.params);
        rows.push({
          room_id: room.id,
          sitting_id: ctx.sitting.id,
          org_id: ctx.org.id,
          seq: ++seq,
          ...b,
          capacity,
        });
      }
    }
    for (let i = 0; i < rows.length; i += 1000)
      await trx
        .insertInto("exam_batch")
        .values(rows.slice(i, i + 1000))
        .execute();
    await recordAudit(trx, ctx.actor, {
      action: "rooms.timetable",
      entityType: "exam_batch",
      entityId: ctx.org.id,
      after: {
        rooms: rooms.map((r) => r.number).join(","),
        days: [...input.days].sort().join(","),
        batches: rows.length,
        times: plan.batches
          .filter((b) => b.exam_date === plan.batches[0].exam_date)
          .map((b) => formatBatchTime(b).slice(11))
          .join(" "),
        capacity: input.capacity,
      },
    });
    return { rooms: rooms.length, batches: rows.length };
  });
}

/** ROOM-1: one batch, checked against its room's other batches. */
export async function addBatch(ctx: AdminContext, input: BatchTimes & { roomId: number; capacity: number }) {
  return inSiteRooms(ctx, async (trx) => {
    const room = await ownRoom(trx, ctx, input.roomId);
    const others = await batchesOfRooms(trx, [room.id]);
    const ranges = await siteExamRanges(trx, ctx.sitting.id, ctx.org.id);
    const b = { exam_date: input.exam_date, start_min: input.start_min, end_min: input.end_min };
    const fault = batchFaults({ ...b, capacity: input.capacity }, room, others, ranges)[0];
    if (fault) throw new AppError(fault.key, fault.params);
    const seq = Math.max(0, ...others.map((o) => o.seq)) + 1;
    const { id } = await trx
      .insertInto("exam_batch")
      .values({ room_id: room.id, sitting_id: ctx.sitting.id, org_id: ctx.org.id, seq, ...b, capacity: input.capacity })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.actor, {
      action: "rooms.batch_add",
      entityType: "exam_batch",
      entityId: id,
      after: { batch: batchLabel(room.number, seq), time: formatBatchTime(b), capacity: input.capacity },
    });
    return batchLabel(room.number, seq);
  });
}

/**
 * ROOM-1: change a batch's date, times or capacity (its room and number stay). A batch holding
 * candidates may change only so that the site's allocation still keeps every rule (SCH-2): no seat
 * above the new capacity, every entry still in a batch that fits its subject, every candidate's
 * entries still 15 minutes apart. Otherwise it is refused, naming how many it would break.
 */
export async function saveBatch(ctx: AdminContext, input: BatchTimes & { id: number; capacity: number }) {
  return inSiteRooms(ctx, async (trx) => {
    const batch = await trx
      .selectFrom("exam_batch")
      .selectAll()
      .where("id", "=", input.id)
      .where("sitting_id", "=", ctx.sitting.id)
      .where("org_id", "=", ctx.org.id)
      .executeTakeFirst();
    if (!batch) throw new AppError("rooms.batch_not_found", {}, 404);
    const room = await ownRoom(trx, ctx, batch.room_id);
    const others = (await batchesOfRooms(trx, [room.id])).filter((o) => o.id !== batch.id);
    const ranges = await siteExamRanges(trx, ctx.sitting.id, ctx.org.id);
    const b = { exam_date: input.exam_date, start_min: input.start_min, end_min: input.end_min };
    const fault = batchFaults({ ...b, capacity: input.capacity }, room, others, ranges)[0];
    if (fault) throw new AppError(fault.key, fault.params);
    const label = batchLabel(room.number, batch.seq);
    const held = (await allocatedIn(trx, [batch.id])).get(batch.id) ?? 0;
    if (held > 0) {
      const input2 = await loadAllocationInput(trx, ctx.sitting.id, ctx.org.id);
      const changed = {
        ...input2,
        batches: input2.batches.map((x) => (x.id === batch.id ? { ...x, ...b, capacity: input.capacity } : x)),
      };
      const broken = new Set(
        validateAllocation(changed, await currentPlacements(trx, ctx.sitting.id, ctx.org.id)).map((v) =>
          "entry_id" in v ? `e${v.entry_id}` : `b${v.batch_id}`,
        ),
      );
      if (broken.size) throw new AppError("rooms.batch_change_breaks", { label, held, count: broken.size });
    }
    await trx
      .updateTable("exam_batch")
      .set({ ...b, capacity: input.capacity })
      .where("id", "=", batch.id)
      .execute();
    await recordAudit(trx, ctx.actor, {
      action: "rooms.batch_edit",
      entityType: "exam_batch",
      entityId: batch.id,
      before: { batch: label, time: formatBatchTime(batch), capacity: batch.capacity },
      after: { batch: label, time: formatBatchTime(b), capacity: input.capacity },
    });
    return label;
  });
}

/** ROOM-2: the chosen batches go, all or none: one holding an allocation stops the lot. */
export async function deleteBatches(ctx: AdminContext, ids: readonly number[]) {
  if (ids.length === 0) throw new AppError("rooms.no_batch_selected");
  return inSiteRooms(ctx, async (trx) => {
    const rows = await trx
      .selectFrom("exam_batch as b")
      .innerJoin("room as r", "r.id", "b.room_id")
      .select(["b.id", "b.seq", "b.exam_date", "b.start_min", "b.end_min", "r.number"])
      .where("b.id", "in", [...new Set(ids)])
      .where("b.sitting_id", "=", ctx.sitting.id)
      .where("b.org_id", "=", ctx.org.id)
      .execute();
    if (rows.length !== new Set(ids).size) throw new AppError("rooms.batch_not_found", {}, 404);
    const held = await allocatedIn(
      trx,
      rows.map((r) => r.id),
    );
    const first = [...rows].sort(byTime).find((r) => held.has(r.id));
    if (first)
      throw new AppError("rooms.has_allocations", {
        label: batchLabel(first.number, first.seq),
        count: held.get(first.id)!,
      });
    await trx
      .deleteFrom("exam_batch")
      .where(
        "id",
        "in",
        rows.map((r) => r.id),
      )
      .execute();
    await recordAudit(trx, ctx.actor, {
      action: "rooms.batch_delete",
      entityType: "exam_batch",
      entityId: ctx.org.id,
      before: {
        batches: rows
          .sort((a, b) => a.number.localeCompare(b.number) || byTime(a, b))
          .map((r) => batchLabel(r.number, r.seq))
          .join(","),
      },
    });
    return rows.length;
  });
}
