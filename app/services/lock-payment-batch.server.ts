import { sql } from "kysely";
import { siteFeeOfEntry } from "~db/queries/entries";
import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { type PaymentBatchFilter } from "~/domain/group-payment";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireSite } from "~/utils/permissions.server";
import { isUniqueViolation } from "~db/errors";
import { lockRegistrations } from "~db/queries/locks";
import { requireEnabled, findPayable } from "./payment-batch-shared.server";

function isOneOpenViolation(e: unknown): boolean {
  return isUniqueViolation(e, "payment_batch_one_open");
}

/**
 * GRP-6 "lock a payment batch": every payable entry of the site matching the filter goes into one new payment batch,
 * which records what it adds up to. One open payment batch per site: the unique index on open payment batches makes
 * a concurrent second lock wait for the first and then fail. The candidates' registrations are locked
 * (in id order, as every registration change locks its registration first) before their entries are
 * read again and taken, so no entry is changed, paid individually or released while it is taken,
 * and none is taken twice.
 */
export async function lockPaymentBatch(ctx: AdminContext, filter: PaymentBatchFilter, now = new Date()) {
  requireSite(ctx, "grouppay.site_only");
  const db = getDb();
  try {
    return await db.transaction().execute(async (trx) => {
      const setting = await requireEnabled(trx, ctx);
      const open = await trx
        .selectFrom("payment_batch")
        .select("id")
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", ctx.org.id)
        .where("status", "=", "open")
        .executeTakeFirst();
      if (open) throw new AppError("grouppay.open_exists", {}, 409);
      // Claim the site's one open payment batch first; the figures follow once the entries are known.
      const { id } = await trx
        .insertInto("payment_batch")
        .values({
          sitting_id: ctx.sitting.id,
          org_id: ctx.org.id,
          candidate_count: 0,
          entry_count: 0,
          per_person_count: 0,
          per_person_fen: 0,
          subject_fen: 0,
          amount_fen: 0,
          subject_codes: [],
          created_by: ctx.accountId,
          created_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();

      const regIds = (await findPayable(trx, ctx, setting, filter, now)).registrationIds;
      if (regIds.length === 0) throw new AppError("grouppay.nothing_payable", {}, 409);
      await lockRegistrations(trx, regIds);
      const { summary, entryIds } = await findPayable(trx, ctx, setting, { ...filter, registrationIds: regIds }, now);
      if (entryIds.length === 0) throw new AppError("grouppay.nothing_payable", {}, 409);
      if (setting.per_person_fee_fen === null) throw new AppError("pay.fee_not_set", {}, 409);
      if (summary.missing_fees.length > 0)
        throw new AppError("grouppay.fee_missing", { codes: summary.missing_fees }, 409);
      if (summary.amount_fen <= 0) throw new AppError("grouppay.nothing_payable", {}, 409);

      await trx
        .updateTable("payment_batch")
        .set({
          candidate_count: summary.candidate_count,
          entry_count: summary.entry_count,
          per_person_count: summary.per_person_count,
          per_person_fen: summary.per_person_fen,
          subject_fen: summary.subject_fen,
          amount_fen: summary.amount_fen,
          subject_codes: summary.subject_codes,
        })
        .where("id", "=", id)
        .execute();
      // Guarded: an entry already in a payment batch (or paid) is never taken; the fee is the one the amount counts.
      const taken = await trx
        .updateTable("entry")
        .set({
          payment_batch_id: id,
          fee_fen: siteFeeOfEntry,
        })
        .where(sql<boolean>`id = any(${entryIds}::int[])`)
        .where("payment_batch_id", "is", null)
        .where("paid", "=", false)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== entryIds.length) throw new AppError("grouppay.changed", {}, 409);

      await recordAudit(trx, ctx.actor, {
        action: "group_payment.lock",
        entityType: "payment_batch",
        entityId: id,
        after: {
          filter: JSON.stringify(filter),
          candidates: summary.candidate_count,
          entries: summary.entry_count,
          per_person_count: summary.per_person_count,
          per_person_fen: summary.per_person_fen,
          subject_fen: summary.subject_fen,
          amount_fen: summary.amount_fen,
          subjects: summary.subject_codes.join(","),
        },
      });
      return { id, ...summary };
    });
  } catch (e) {
    if (isOneOpenViolation(e)) throw new AppError("grouppay.open_exists", {}, 409);
    throw e;
  }
}
