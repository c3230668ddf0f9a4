import { sql } from "kysely";
import { getDb } from "~db/client";
import { releasePreferredDate, releaseSeats } from "~db/queries/seats";
import type { Actor } from "./audit.server";
import { recordAudit } from "./audit.server";
import { reconcilePendingPayments } from "./reconcile-payments.server";
import { sweepRequestedRefunds } from "./refunds.server";

const SYSTEM: Actor = { accountId: null, name: "scheduler", orgId: null, sittingId: null, ip: null };

/**
 * CAN-8: unpaid online entries past their hold give their seats back, and an unpaid online
 * registration past its hold with no entries left goes too (its photo stays, PHO-6). Group
 * registrations are never touched, nor entries a group payment batch holds (GRP-6: the site pays
 * them), nor a registration with any such entry. Lost payment notifications are reconciled first, so a payment
 * made in the last minute is never mistaken for none. One registration per transaction, skipping
 * any a candidate is changing right now (the next run takes it).
 */
export async function releaseExpiredHolds(now = new Date(), limit = 500) {
  const payments = await reconcilePendingPayments(now);
  // Refunds whose provider answer was lost or still pending are asked about on the same beat.
  await sweepRequestedRefunds();
  const db = getDb();
  const due = await db
    .selectFrom("registration as r")
    .select("r.id")
    .where("r.channel", "=", "online")
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom("entry as e")
            .select(sql`1`.as("one"))
            .whereRef("e.registration_id", "=", "r.id")
            .where("e.paid", "=", false)
            .where("e.payment_batch_id", "is", null)
            .where("e.hold_until", "<", now),
        ),
        eb.and([eb("r.hold_until", "<", now), eb("r.person_fee_paid", "=", false)]),
      ]),
    )
    .orderBy("r.id")
    .limit(limit)
    .execute();

  let entries = 0;
  let registrations = 0;
  for (const { id } of due) {
    await db.transaction().execute(async (trx) => {
      const reg = await trx
        .selectFrom("registration")
        .selectAll()
        .where("id", "=", id)
        .where("channel", "=", "online")
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!reg) return;
      const pending = await trx
        .selectFrom("payment")
        .select("entry_ids")
        .where("registration_id", "=", reg.id)
        .where("status", "=", "pending")
        .where("expires_at", ">", now)
        .execute();
      const inPayment = new Set(pending.flatMap((p) => p.entry_ids));
      const expired = (
        await trx
          .selectFrom("entry")
          .select(["id", "subject_code"])
          .where("registration_id", "=", reg.id)
          .where("paid", "=", false)
          .where("payment_batch_id", "is", null)
          .where("hold_until", "<", now)
          .execute()
      ).filter((e) => !inPayment.has(e.id));
      if (expired.length > 0) {
        await trx
          .deleteFrom("entry")
          .where(
            "id",
            "in",
            expired.map((e) => e.id),
          )
          .where("payment_batch_id", "is", null)
          .execute();
        await releaseSeats(
          trx,
          reg.sitting_id,
          reg.org_id,
          expired.map((e) => e.subject_code),
        );
        entries += expired.length;
      }
      const left = await trx
        .selectFrom("entry")
        .select("id")
        .where("registration_id", "=", reg.id)
        .limit(1)
        .executeTakeFirst();
      const goes =
        !left &&
        !reg.person_fee_paid &&
        reg.hold_until !== null &&
        reg.hold_until < now &&
        pending.length === 0 &&
        reg.review_status !== "pending";
      if (goes) {
        await releasePreferredDate(trx, reg.sitting_id, reg.org_id, reg.preferred_date);
        await trx.deleteFrom("registration").where("id", "=", reg.id).execute();
        registrations++;
      }
      if (expired.length > 0 || goes) {
        await recordAudit(
          trx,
          { ...SYSTEM, sittingId: reg.sitting_id, orgId: reg.org_id },
          {
            action: goes ? "registration.expired" : "entry.expired",
            entityType: "registration",
            entityId: String(reg.id),
            before: {
              entries: expired.map((e) => e.subject_code).join(","),
              id_number: goes ? reg.id_number : undefined,
            },
            after: { entries: "" },
          },
        );
      }
    });
  }
  return {
    entriesReleased: entries,
    registrationsDeleted: registrations,
    paymentsChecked: payments.checked,
    paymentsSettled: payments.settled,
  };
}
