import { getDb } from "~db/client";
import { recordRefundDue } from "~db/queries/refunds";
import { cancellationRefundFen } from "~/domain/refunds";
import { listManagedEntries } from "~db/queries/candidate-search";
import { lockRegistrations } from "~db/queries/locks";
import { releasePreferredDate, releaseSeats } from "~db/queries/seats";
import { cancellationRefusal } from "~/domain/candidate-management";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudits, type AuditInput } from "./audit.server";
import { resolveSelection, type BulkOutcome, type Selection } from "./candidate-selection.server";
import { requireSite } from "~/utils/permissions.server";

/**
 * MGT-2 cancellation of paid candidates (never group-paid ones, never with entries in an open payment batch).
 * The registration and its entries are kept read-only in `cancellation` (MGT-5) and then deleted, so
 * the seats return and the candidate may register again; the photo stays (PHO-6). What was paid
 * becomes a refund due, which finance pays back from the refunds page.
 */
export async function cancelRegistrations(ctx: AdminContext, sel: Selection, reason: string): Promise<BulkOutcome> {
  requireSite(ctx);
  const why = reason.trim();
  if (!why) throw new AppError("mgt.reason_required");
  if (why.length > 500) throw new AppError("mgt.too_long");
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const ids = await resolveSelection(trx, ctx, sel);
      const regs = await lockRegistrations(trx, ids);
      const entries = await listManagedEntries(
        trx,
        regs.map((r) => r.id),
      );
      const out: BulkOutcome = { done: 0, skipped: [] };
      const audits: AuditInput[] = [];
      // requireSite: every registration is of the admin's own site.
      const released: string[] = [];
      for (const r of regs) {
        const es = entries.get(r.id) ?? [];
        const refusal = cancellationRefusal(es);
        if (refusal) {
          out.skipped.push({ id: r.id, name: r.name, reason: refusal });
          continue;
        }
        // What the candidate paid, per-person fee included (refunds are settled from this).
        const paidFen = Number(
          (
            await trx
              .selectFrom("payment")
              .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amount_fen"), eb.lit(0)).as("n"))
              .where("registration_id", "=", r.id)
              .where("status", "=", "paid")
              .executeTakeFirstOrThrow()
          ).n,
        );
        const { photo_id: _photo, ...snapshot } = r;
        await trx
          .insertInto("cancellation")
          .values({
            sitting_id: r.sitting_id,
            org_id: r.org_id,
            registration_id: r.id,
            account_id: r.account_id,
            channel: r.channel,
            id_type: r.id_type,
            id_number: r.id_number,
            name: r.name,
            class_name: r.class_name,
            registration: JSON.stringify(snapshot),
            entries: JSON.stringify(
              es.map((e) => ({
                subject_code: e.subject_code,
                paid: e.paid,
                fee_fen: e.fee_fen,
                paid_at: e.paid_at,
                payment_id: e.payment_id,
              })),
            ),
            subject_codes: es.map((e) => e.subject_code),
            paid_fen: paidFen,
            reason: why,
            cancelled_by: ctx.accountId,
            cancelled_by_name: ctx.name,
          })
          .execute();
        // What was paid is owed back (issue 20 item 3), less what is already owed on the same payment.
        const paid = await trx
          .selectFrom("payment as p")
          .select([
            "p.id",
            "p.sitting_id",
            "p.org_id",
            "p.registration_id",
            "p.account_id",
            "p.amount_fen",
            (eb) =>
              eb
                .selectFrom("refund as f")
                .select((e) => e.fn.coalesce(e.fn.sum<number>("f.amount_fen"), e.lit(0)).as("n"))
                .whereRef("f.payment_id", "=", "p.id")
                .as("owed"),
          ])
          .where("p.registration_id", "=", r.id)
          .where("p.status", "=", "paid")
          .execute();
        for (const p of paid)
          await recordRefundDue(trx, p, "cancelled", cancellationRefundFen(p.amount_fen, Number(p.owed ?? 0)));
        // The payments stay on record (finance), detached from the registration that goes.
        // A note already there (per_person_refund_due) is finance's and stays.
        await trx
          .updateTable("payment")
          .set({ note: `cancelled: ${why}`.slice(0, 500) })
          .where("registration_id", "=", r.id)
          .where("status", "=", "paid")
          .where("note", "=", "")
          .execute();
        await trx.deleteFrom("entry").where("registration_id", "=", r.id).execute();
        await releasePreferredDate(trx, r.sitting_id, r.org_id, r.preferred_date);
        await trx.deleteFrom("registration").where("id", "=", r.id).execute();
        released.push(...es.map((e) => e.subject_code));
        audits.push({
          action: "registration.cancel",
          entityType: "registration",
          entityId: r.id,
          orgId: r.org_id,
          before: { name: r.name, entries: es.map((e) => e.subject_code).join(","), paid_fen: paidFen },
          after: { reason: why },
        });
        out.done++;
      }
      // The shared counters last, as everywhere (decision 0014).
      await releaseSeats(trx, ctx.sitting.id, ctx.org.id, released);
      await recordAudits(trx, ctx.actor, audits);
      return out;
    });
}
