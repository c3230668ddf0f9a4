import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import { lockAdvisory } from "~db/queries/locks";
import { siteExamRanges } from "~db/queries/rooms";
import { lockSiteSetting } from "~db/queries/setup";
import type { DB } from "~db/schema";
import {
  allocate,
  placeSelected,
  validateAllocation,
  type AllocationInput,
  type ClassSeating,
  type Placement,
  type UnplacedReason,
} from "~/domain/allocation";
import { batchLabel } from "~/domain/rooms";
import { AppError } from "~/domain/errors";
import type { Actor } from "./audit.server";
import { recordAudit } from "./audit.server";
import { lpSolver } from "./lp-solver.server";

type Q = Kysely<DB> | Transaction<DB>;

/** SCH-1: what must hold before a site allocates: every entry paid, the site address set, batches to fill. */
export async function allocationPreconditions(db: Q, sittingId: number, siteId: number) {
  const [unpaid, site, batches] = await Promise.all([
    db
      .selectFrom("entry")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("sitting_id", "=", sittingId)
      .where("org_id", "=", siteId)
      .where("paid", "=", false)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("org_sitting")
      .select("address")
      .where("sitting_id", "=", sittingId)
      .where("org_id", "=", siteId)
      .executeTakeFirst(),
    db
      .selectFrom("exam_batch")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("sitting_id", "=", sittingId)
      .where("org_id", "=", siteId)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    unpaid: Number(unpaid.n),
    addressMissing: !(site?.address ?? "").trim(),
    noBatches: Number(batches.n) === 0,
  };
}

/** SCH-1: the first unmet precondition, as the user's message. */
export function refuseUnlessReady(pre: Awaited<ReturnType<typeof allocationPreconditions>>) {
  if (pre.unpaid > 0) throw new AppError("allocation.unpaid", { count: pre.unpaid });
  if (pre.addressMissing) throw new AppError("allocation.address_missing");
  if (pre.noBatches) throw new AppError("allocation.no_batches");
}

/** SCH-2's input for one site: its batches, its paid entries with each candidate's preferred date, its subjects. */
export async function loadAllocationInput(db: Q, sittingId: number, siteId: number): Promise<AllocationInput> {
  const [batches, entries, subjects] = await Promise.all([
    db
      .selectFrom("exam_batch as b")
      .innerJoin("room as r", "r.id", "b.room_id")
      .select(["b.id", "r.number as room_number", "b.seq", "b.exam_date", "b.start_min", "b.end_min", "b.capacity"])
      .where("b.sitting_id", "=", sittingId)
      .where("b.org_id", "=", siteId)
      .orderBy("b.id")
      .execute(),
    db
      .selectFrom("entry as e")
      .innerJoin("registration as g", "g.id", "e.registration_id")
      .select(["e.id", "e.registration_id", "e.subject_code", "g.preferred_date", "g.class_name"])
      .where("e.sitting_id", "=", sittingId)
      .where("e.org_id", "=", siteId)
      .where("e.paid", "=", true)
      .orderBy("e.id")
      .execute(),
    siteExamRanges(db, sittingId, siteId),
  ]);
  const setting = await db
    .selectFrom("site_setting")
    .select("class_seating")
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .executeTakeFirst();
  return { batches, entries, subjects, classSeating: setting?.class_seating ?? "together" };
}

export interface AllocationSummary {
  total: number;
  placed: number;
  onDate: number;
  preferred: number;
  bound: { placed: number; onDate: number };
  unplaced: Array<{ entryId: number; reason: UnplacedReason }>;
  ms: number;
}

/**
 * SCH-2/SCH-3: the site's automatic allocation. Replaces the site's whole allocation with an
 * optimal one (decision 0032), checked by the validator before anything is written; refused while
 * SCH-1's preconditions do not hold. Runs under the site's rooms lock, so the rooms and batches
 * cannot change underneath it.
 */
export async function allocateSite(
  actor: Actor & { sittingId: number },
  siteId: number,
  onProgress: (percent: number) => Promise<void> = async () => {},
  classSeating?: ClassSeating,
): Promise<AllocationSummary> {
  const started = performance.now();
  const solve = await lpSolver();
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteRooms", siteId);
      refuseUnlessReady(await allocationPreconditions(trx, actor.sittingId, siteId));
      // The site's class option, as chosen with this run, is kept for the next.
      if (classSeating) {
        await lockSiteSetting(trx, actor.sittingId, siteId);
        await trx
          .updateTable("site_setting")
          .set({ class_seating: classSeating })
          .where("sitting_id", "=", actor.sittingId)
          .where("org_id", "=", siteId)
          .execute();
      }
      const input = await loadAllocationInput(trx, actor.sittingId, siteId);
      await onProgress(20);
      const result = allocate(input, solve);
      await onProgress(70);
      const violations = validateAllocation(input, result.placements);
      // Never written: a plan that breaks a rule is a bug, reported as one.
      if (violations.length)
        throw new Error(`allocation broke ${violations.length} rules: ${JSON.stringify(violations[0])}`);
      // ADM-1: a number names its room; an entry that leaves its room (or loses its seat) loses it,
      // and the next generation gives it a new one while every other entry keeps its own.
      const roomOf = new Map(input.batches.map((b) => [b.id, b.room_number]));
      const before = await trx
        .selectFrom("entry")
        .select(["id", "batch_id"])
        .where("sitting_id", "=", actor.sittingId)
        .where("org_id", "=", siteId)
        .where("admission_no", "is not", null)
        .execute();
      const after = new Map(result.placements.map((x) => [x.entry_id, roomOf.get(x.batch_id)]));
      const moved = before
        .filter((e) => e.batch_id === null || after.get(e.id) !== roomOf.get(e.batch_id))
        .map((e) => e.id);
      await trx
        .updateTable("entry")
        .set({ batch_id: null, seat: null })
        .where("sitting_id", "=", actor.sittingId)
        .where("org_id", "=", siteId)
        .where("batch_id", "is not", null)
        .execute();
      for (let i = 0; i < moved.length; i += 5000)
        await trx
          .updateTable("entry")
          .set({ admission_no: null })
          .where("id", "in", moved.slice(i, i + 5000))
          .execute();
      const p = result.placements;
      for (let i = 0; i < p.length; i += 5000) {
        const chunk = p.slice(i, i + 5000);
        await sql`
          update entry set batch_id = v.batch_id, seat = v.seat
          from unnest(${chunk.map((x) => x.entry_id)}::int[], ${chunk.map((x) => x.batch_id)}::int[], ${chunk.map((x) => x.seat)}::int[])
            as v(id, batch_id, seat)
          where entry.id = v.id`.execute(trx);
      }
      await onProgress(95);
      const summary: AllocationSummary = {
        total: input.entries.length,
        placed: p.length,
        onDate: result.onDate,
        preferred: input.entries.filter((e) => e.preferred_date !== null).length,
        bound: result.bound,
        unplaced: result.unplaced.map((u) => ({ entryId: u.entry_id, reason: u.reason })),
        ms: Math.round(performance.now() - started),
      };
      await recordAudit(trx, actor, {
        action: "allocation.auto",
        entityType: "exam_batch",
        entityId: siteId,
        orgId: siteId,
        after: {
          entries: summary.total,
          placed: summary.placed,
          on_preferred_date: summary.onDate,
          unplaced: summary.unplaced.length,
          class_seating: input.classSeating,
        },
      });
      return summary;
    });
}

/**
 * SCH-3: clear the site's whole allocation, or only the chosen entries' (inside the window; the
 * caller checked it). Numbers go with the allocation they name (ADM-1); serials are never given again.
 */
export async function clearAllocation(
  actor: Actor & { sittingId: number },
  siteId: number,
  entryIds?: readonly number[],
) {
  if (entryIds && entryIds.length === 0) throw new AppError("allocation.none_selected");
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteRooms", siteId);
      let q = trx
        .updateTable("entry")
        .set({ batch_id: null, seat: null, admission_no: null })
        .where("sitting_id", "=", actor.sittingId)
        .where("org_id", "=", siteId)
        .where("batch_id", "is not", null);
      if (entryIds) q = q.where("id", "in", [...new Set(entryIds)]);
      const n = Number((await q.executeTakeFirst()).numUpdatedRows);
      await recordAudit(trx, actor, {
        action: "allocation.clear",
        entityType: "exam_batch",
        entityId: siteId,
        orgId: siteId,
        before: entryIds ? { allocated: n, selected: entryIds.length } : { allocated: n },
      });
      return n;
    });
}

/** The site's current placements, as the domain reads them. */
export async function currentPlacements(db: Q, sittingId: number, siteId: number): Promise<Placement[]> {
  const rows = await db
    .selectFrom("entry")
    .select(["id", "batch_id", "seat"])
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .where("batch_id", "is not", null)
    .execute();
  return rows.map((r) => ({ entry_id: r.id, batch_id: r.batch_id!, seat: r.seat! }));
}

/**
 * SCH-3: the chosen entries into one chosen batch (manual §三十一 4), with the automatic allocation's
 * checks; SCH-1's preconditions hold here too. Entries of another site are unknown (ORG-2).
 */
export async function allocateSelected(
  actor: Actor & { sittingId: number },
  siteId: number,
  entryIds: readonly number[],
  batchId: number,
) {
  if (entryIds.length === 0) throw new AppError("allocation.none_selected");
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteRooms", siteId);
      refuseUnlessReady(await allocationPreconditions(trx, actor.sittingId, siteId));
      const input = await loadAllocationInput(trx, actor.sittingId, siteId);
      if (!input.batches.some((b) => b.id === batchId)) throw new AppError("rooms.batch_not_found", {}, 404);
      const current = await currentPlacements(trx, actor.sittingId, siteId);
      const r = placeSelected(input, current, entryIds, batchId);
      const violations = validateAllocation(input, [...current, ...r.placements]);
      if (violations.length) throw new Error(`manual allocation broke ${violations.length} rules`);
      for (const p of r.placements)
        await trx
          .updateTable("entry")
          .set({ batch_id: p.batch_id, seat: p.seat })
          .where("id", "=", p.entry_id)
          .execute();
      const b = input.batches.find((x) => x.id === batchId)!;
      await recordAudit(trx, actor, {
        action: "allocation.manual",
        entityType: "exam_batch",
        entityId: batchId,
        orgId: siteId,
        after: { batch: batchLabel(b.room_number, b.seq), placed: r.placements.length, refused: r.refused.length },
      });
      return r;
    });
}
