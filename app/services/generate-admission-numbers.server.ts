import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import { lockAdvisory } from "~db/queries/locks";
import { lockSiteSetting } from "~db/queries/setup";
import type { DB } from "~db/schema";
import {
  numberMatches,
  parseAdmissionFormat,
  planAdmissionNumbers,
  type NumberedEntry,
} from "~/domain/admission-numbers";
import { AppError } from "~/domain/errors";
import { getEnv } from "~/utils/env.server";
import type { Actor } from "./audit.server";
import { recordAudit } from "./audit.server";

type Q = Kysely<DB> | Transaction<DB>;

function format() {
  const f = parseAdmissionFormat(getEnv().ADMISSION_NUMBER_FORMAT);
  // The environment was checked at start-up; this cannot fail unless the check was bypassed.
  if ("error" in f) throw new Error(`ADMISSION_NUMBER_FORMAT: ${f.error}`);
  return f;
}

async function siteParts(db: Q, sittingId: number, siteId: number) {
  const [sitting, site] = await Promise.all([
    db.selectFrom("sitting").select("code").where("id", "=", sittingId).executeTakeFirstOrThrow(),
    db.selectFrom("org").select("code").where("id", "=", siteId).executeTakeFirstOrThrow(),
  ]);
  return { sitting: sitting.code, site: site.code };
}

async function siteEntries(
  db: Q,
  sittingId: number,
  siteId: number,
): Promise<Array<NumberedEntry & { allocated: boolean }>> {
  const rows = await db
    .selectFrom("entry as e")
    .leftJoin("exam_batch as b", "b.id", "e.batch_id")
    .leftJoin("room as r", "r.id", "b.room_id")
    .select([
      "e.id",
      "e.subject_code",
      "e.admission_no",
      "e.seat",
      "r.number as room",
      "b.exam_date",
      "b.start_min",
      "b.id as batch_id",
    ])
    .where("e.sitting_id", "=", sittingId)
    .where("e.org_id", "=", siteId)
    .orderBy("e.id")
    .execute();
  return rows.map((r) => ({
    entry_id: r.id,
    subject: r.subject_code,
    room: r.room ?? "",
    current: r.admission_no,
    // Earlier batches first: date and start as one sortable number.
    batch_order: r.exam_date ? Number(r.exam_date.replaceAll("-", "")) * 10_000 + (r.start_min ?? 0) : 0,
    seat: r.seat ?? 0,
    allocated: r.batch_id !== null,
  }));
}

/**
 * ADM-1 status for the page and the home page: every entry allocated? every allocated entry with a
 * number that still matches its subject and room ("serial not generated" otherwise)?
 */
export async function admissionNumberStatus(db: Q, sittingId: number, siteId: number) {
  const [entries, parts, setting] = await Promise.all([
    siteEntries(db, sittingId, siteId),
    siteParts(db, sittingId, siteId),
    db
      .selectFrom("site_setting")
      .select(["admission_issued", "admission_generated_at"])
      .where("sitting_id", "=", sittingId)
      .where("org_id", "=", siteId)
      .executeTakeFirst(),
  ]);
  const f = format();
  const unallocated = entries.filter((e) => !e.allocated).length;
  const missing = entries.filter((e) => e.allocated && !(e.current && numberMatches(f, parts, e))).length;
  return {
    entries: entries.length,
    unallocated,
    missing,
    numbered: entries.length - unallocated - missing,
    generatedAt: setting?.admission_generated_at ?? null,
    issued: setting?.admission_issued ?? 0,
    format: getEnv().ADMISSION_NUMBER_FORMAT,
  };
}

/**
 * ADM-1: numbers for the whole site once every entry is allocated; unchanged entries keep theirs,
 * no number is ever reused (the site's serial high-water mark is kept), and the database refuses a
 * duplicate in the sitting. Under the site's rooms lock, so allocation cannot move entries meanwhile.
 */
export async function generateAdmissionNumbers(actor: Actor & { sittingId: number }, siteId: number) {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteRooms", siteId);
      const setting = await lockSiteSetting(trx, actor.sittingId, siteId);
      const entries = await siteEntries(trx, actor.sittingId, siteId);
      const unpaid = await trx
        .selectFrom("entry")
        .select("id")
        .where("sitting_id", "=", actor.sittingId)
        .where("org_id", "=", siteId)
        .where("paid", "=", false)
        .executeTakeFirst();
      const unallocated = entries.filter((e) => !e.allocated).length;
      if (entries.length === 0) throw new AppError("admission.no_entries");
      if (unallocated > 0 || unpaid) throw new AppError("admission.not_all_allocated", { count: unallocated || 1 });
      const parts = await siteParts(trx, actor.sittingId, siteId);
      const f = format();
      const plan = planAdmissionNumbers(f, parts, entries, setting.admission_issued);
      if ("overflow" in plan) throw new AppError("admission.overflow", { count: plan.overflow, width: f.serialWidth });
      const changed = entries.filter((e) => plan.numbers.get(e.entry_id) !== e.current);
      // Cleared first, so that a number moving between entries never meets itself in the unique index.
      if (changed.length) {
        const ids = changed.filter((e) => e.current !== null).map((e) => e.entry_id);
        for (let i = 0; i < ids.length; i += 5000)
          await trx
            .updateTable("entry")
            .set({ admission_no: null })
            .where("id", "in", ids.slice(i, i + 5000))
            .execute();
        for (let i = 0; i < changed.length; i += 5000) {
          const chunk = changed.slice(i, i + 5000);
          await sql`
            update entry set admission_no = v.no
            from unnest(${chunk.map((e) => e.entry_id)}::int[], ${chunk.map((e) => plan.numbers.get(e.entry_id)!)}::text[]) as v(id, no)
            where entry.id = v.id`.execute(trx);
        }
      }
      await trx
        .updateTable("site_setting")
        .set({ admission_issued: plan.issued, admission_generated_at: new Date() })
        .where("sitting_id", "=", actor.sittingId)
        .where("org_id", "=", siteId)
        .execute();
      await recordAudit(trx, actor, {
        action: "admission.generate",
        entityType: "site_setting",
        entityId: siteId,
        orgId: siteId,
        after: { entries: entries.length, kept: plan.kept, new: changed.length, issued: plan.issued },
      });
      return { entries: entries.length, kept: plan.kept, fresh: changed.length };
    });
}
