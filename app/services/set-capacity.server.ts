import { sql } from "kysely";
import { getDb } from "~db/client";
import { lockSiteSetting } from "~db/queries/setup";
import { isCapacityBelowTaken } from "~db/errors";
import { AppError } from "~/domain/errors";
import { checkSubjectCapacity, checkTotalCapacity } from "~/domain/capacity";
import { checkQuotas } from "~/domain/preferred-dates";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireSite } from "~/utils/permissions.server";

/**
 * A registration that took a seat between the read and the write: the shards' own check (decision
 * 0051) refuses the capacity under their locks, and the answer is the one the guard gives.
 */
async function belowTaken<T>(write: Promise<T>, params: Record<string, string | number>): Promise<T> {
  try {
    return await write;
  } catch (e) {
    if (isCapacityBelowTaken(e)) throw new AppError("capacity.below_taken", params);
    throw e;
  }
}

/**
 * SET-4/SET-10: the "change numbers" dialog. The site row is locked first, and each subject's
 * capacity is written by a guarded UPDATE (… WHERE taken <= new); the database then spreads it over
 * the counter's shards under their locks (decision 0051), so a registration taking a seat at the
 * same moment can never leave a capacity below the entries already taken (CAN-4).
 */
export async function setCapacity(ctx: AdminContext, input: { total: number; subjects: Record<string, number> }) {
  requireSite(ctx);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const setting = await lockSiteSetting(trx, ctx.sitting.id, ctx.org.id);
      const totalProblem = checkTotalCapacity(input.total, setting.total_taken);
      if (totalProblem) throw new AppError(totalProblem, { taken: setting.total_taken, subjectKey: "capacity.total" });
      const offered = await trx
        .selectFrom("site_subject")
        .select(["subject_code", "capacity", "taken"])
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", ctx.org.id)
        .forUpdate()
        .execute();
      // The total's shards before the subjects', by code: the order seat_change takes them in, so a
      // registration taking seats meanwhile waits instead of deadlocking (decision 0051).
      const total = await belowTaken(
        trx
          .updateTable("site_setting")
          .set({ total_capacity: input.total })
          .where("sitting_id", "=", ctx.sitting.id)
          .where("org_id", "=", ctx.org.id)
          .where(sql<boolean>`total_taken <= ${input.total}`)
          .executeTakeFirst(),
        { taken: setting.total_taken, subjectKey: "capacity.total" },
      );
      if (Number(total.numUpdatedRows) !== 1)
        throw new AppError("capacity.below_taken", { taken: setting.total_taken, subjectKey: "capacity.total" });
      const before: Record<string, unknown> = { total: setting.total_capacity };
      const after: Record<string, unknown> = { total: input.total };
      for (const [code, capacity] of Object.entries(input.subjects).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const row = offered.find((o) => o.subject_code === code);
        if (!row) throw new AppError("subject.not_offered", { code });
        const problem = checkSubjectCapacity(capacity, row.taken);
        if (problem) throw new AppError(problem, { taken: row.taken, subject: code });
        const updated = await belowTaken(
          trx
            .updateTable("site_subject")
            .set({ capacity })
            .where("sitting_id", "=", ctx.sitting.id)
            .where("org_id", "=", ctx.org.id)
            .where("subject_code", "=", code)
            .where("taken", "<=", capacity)
            .executeTakeFirst(),
          { taken: row.taken, subject: code },
        );
        if (Number(updated.numUpdatedRows) !== 1)
          throw new AppError("capacity.below_taken", { taken: row.taken, subject: code });
        if (row.capacity !== capacity) {
          before[code] = row.capacity;
          after[code] = capacity;
        }
      }
      // SET-5: existing preferred-date quotas must still fit the new total.
      const quotas = await trx
        .selectFrom("preferred_date_quota")
        .select(["exam_date as date", "quota"])
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", ctx.org.id)
        .execute();
      if (quotas.length) {
        const q = checkQuotas(quotas, input.total);
        if (q) throw new AppError("capacity.quotas_exceed", { date: q.date ?? "" });
      }
      await recordAudit(trx, ctx.actor, {
        action: "setup.capacity",
        entityType: "site_setting",
        entityId: ctx.org.code,
        before,
        after,
      });
    });
}
