import type { Transaction } from "kysely";
import { getDb } from "~db/client";
import type { DB } from "~db/schema";
import { listEntries, lockRegistrationByAccount } from "~db/queries/registrations";
import { releasePreferredDate, releaseSeats, takePreferredDate, takeSubjectSeat, takeTotalSeats } from "~db/queries/seats";
import { AppError } from "~/domain/errors";
import { entryChangeRefusal, holdUntil } from "~/domain/registration";
import type { CandidateContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { holdMinutes, loadOffer, loadPreferredDays, loadSiteLabel, loadSiteRules } from "./load-registration.server";

export interface SetEntriesInput {
  /** The subjects the candidate wants, all of them (kept paid ones included). */
  subjects: string[];
  /** SET-5: the preferred exam day, '' for none; undefined = leave as it is. */
  preferredDate?: string;
}

/**
 * CAN-2/CAN-4: the candidate's entries become exactly `subjects`. New entries take a seat of the
 * site's total and of their subject by guarded UPDATEs inside this transaction, so no interleaving
 * of requests ever exceeds a capacity; removed unpaid entries give theirs back. Paid entries and
 * entries in a pending payment never change (CAN-7).
 */
export async function setEntries(ctx: CandidateContext, input: SetEntriesInput, now = new Date()) {
  const db = getDb();
  const sittingId = ctx.sitting.id;
  return db.transaction().execute(async (trx) => {
    const reg = await lockRegistrationByAccount(trx, sittingId, ctx.accountId);
    if (!reg) throw new AppError("reg.none", {}, 409);
    const rules = await loadSiteRules(trx, sittingId, reg.org_id);
    const current = await listEntries(trx, reg.id, now);
    const offered = new Set((await loadOffer(trx, sittingId, reg.org_id)).map((o) => o.code));
    const wanted = input.subjects.map((s) => s.trim()).filter(Boolean);
    const refusal = entryChangeRefusal(rules, reg, current, wanted, offered, now);
    if (refusal) throw new AppError(refusal.key, refusal.params, 409);

    const have = new Set(current.map((e) => e.subject_code));
    const add = [...new Set(wanted)].filter((c) => !have.has(c)).sort();
    const remove = current.filter((e) => !wanted.includes(e.subject_code));

    if (remove.length > 0) {
      await trx.deleteFrom("entry").where("id", "in", remove.map((e) => e.id)).where("paid", "=", false).execute();
      await releaseSeats(trx, sittingId, reg.org_id, remove.map((e) => e.subject_code));
    }
    if (add.length > 0) {
      // Lock order: registration (held) → site_setting → site_subject by code (db/queries/seats.ts).
      if (!(await takeTotalSeats(trx, sittingId, reg.org_id, add.length))) throw new AppError("entries.site_full", {}, 409);
      for (const code of add) {
        if (!(await takeSubjectSeat(trx, sittingId, reg.org_id, code))) throw new AppError("entries.subject_full", { code }, 409);
      }
      const hold = holdUntil(now, holdMinutes(), reg.review_status === "pending");
      await trx.insertInto("entry").values(add.map((code) => ({ registration_id: reg.id, sitting_id: sittingId, org_id: reg.org_id, subject_code: code, hold_until: hold }))).execute();
    }

    let preferred = reg.preferred_date;
    if (input.preferredDate !== undefined && (input.preferredDate || null) !== reg.preferred_date) {
      preferred = await changePreferredDate(trx, ctx, reg, input.preferredDate || null, current.some((e) => e.paid));
    }
    if (add.length > 0 || remove.length > 0) {
      // CAN-8: the registration's own hold restarts with the candidate's activity.
      const hold = holdUntil(now, holdMinutes(), reg.review_status === "pending");
      await trx.updateTable("registration").set({ hold_until: reg.person_fee_paid ? null : hold, updated_at: now }).where("id", "=", reg.id).execute();
    }
    if (add.length > 0 || remove.length > 0 || preferred !== reg.preferred_date) {
      await recordAudit(trx, { ...ctx.actor, orgId: reg.org_id }, {
        action: "registration.entries", entityType: "registration", entityId: String(reg.id),
        before: { entries: current.map((e) => e.subject_code).join(","), preferred_date: reg.preferred_date },
        after: { entries: wanted.slice().sort().join(","), preferred_date: preferred },
      });
    }
    return { added: add, removed: remove.map((e) => e.subject_code) };
  });

  async function changePreferredDate(
    trx: Transaction<DB>,
    c: CandidateContext, reg: { id: number; org_id: number; preferred_date: string | null; channel: string }, date: string | null, anyPaid: boolean,
  ) {
    // SET-5: online candidates only, during online registration (checked above), before paying.
    if (reg.channel !== "online") throw new AppError("preferred.online_only", {}, 409);
    if (anyPaid) throw new AppError("preferred.fixed_after_payment", {}, 409);
    const site = await loadSiteLabel(trx, reg.org_id);
    const days = await loadPreferredDays(trx, c.sitting.id, reg.org_id, site.provinceId);
    if (date !== null && !days.some((d) => d.date === date)) throw new AppError("preferred.not_offered", {}, 400);
    await releasePreferredDate(trx, c.sitting.id, reg.org_id, reg.preferred_date);
    if (date !== null && !(await takePreferredDate(trx, c.sitting.id, reg.org_id, date))) throw new AppError("preferred.day_full", { date }, 409);
    await trx.updateTable("registration").set({ preferred_date: date, updated_at: now }).where("id", "=", reg.id).execute();
    return date;
  }
}
