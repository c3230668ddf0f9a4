import { sql, type Kysely, type Transaction } from "kysely";
import { containsPattern } from "~db/queries/like";
import { getDb } from "~db/client";
import type { DB, ViolationKind } from "~db/schema";
import { lockAdvisory } from "~db/queries/locks";
import { AppError } from "~/domain/errors";
import { maskIdNumber } from "~/domain/id-number";
import {
  planViolationImport,
  REMARK_MAX,
  rollCallAbsentees,
  type NumberedTarget,
  type ViolationRow,
} from "~/domain/violations";
import type { AdminContext } from "~/utils/auth.server";
import { requireSite, requireWritableSitting } from "~/utils/permissions.server";
import { recordAudit, type Actor } from "./audit.server";
import { batchEnded } from "./check-in.server";

type Q = Kysely<DB> | Transaction<DB>;

// VIO-1 (manual §三十八) and DOC-9's roll call: a site's violations, one per entry. Every change is
// audited; the ID number is shown masked and never written to the log.

/** A site's numbered entry by admission number, with what the add form fills in (name, subject, masked ID). */
export async function findNumberedEntry(db: Q, sittingId: number, siteId: number, admissionNo: string) {
  const e = await db
    .selectFrom("entry as e")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .innerJoin("subject as s", "s.code", "e.subject_code")
    .leftJoin("violation as v", "v.entry_id", "e.id")
    .select([
      "e.id",
      "e.admission_no",
      "e.subject_code",
      "s.name as subject_name",
      "g.name",
      "g.id_number",
      "v.id as violation_id",
      "v.kind as violation_kind",
    ])
    .where("e.sitting_id", "=", sittingId)
    .where("e.org_id", "=", siteId)
    .where("e.admission_no", "=", admissionNo)
    .executeTakeFirst();
  return e ? { ...e, id_number: maskIdNumber(e.id_number) } : null;
}

export interface ViolationFilter {
  q?: string;
  kind?: ViolationKind | null;
  offset?: number;
  limit?: number;
}

/** VIO-1: the site's violations, newest first, searchable by admission number or name. */
export async function listViolations(db: Q, sittingId: number, siteId: number, f: ViolationFilter = {}) {
  let q = db
    .selectFrom("violation as v")
    .innerJoin("entry as e", "e.id", "v.entry_id")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .innerJoin("subject as s", "s.code", "e.subject_code")
    .where("v.sitting_id", "=", sittingId)
    .where("v.org_id", "=", siteId);
  if (f.kind) q = q.where("v.kind", "=", f.kind);
  if (f.q) {
    const like = containsPattern(f.q);
    q = q.where((w) => w.or([w("e.admission_no", "like", like), w("g.name", "like", like)]));
  }
  const [rows, count] = await Promise.all([
    q
      .select([
        "v.id",
        "v.kind",
        "v.remark",
        "v.source",
        "v.created_by_name",
        "v.updated_at",
        "e.admission_no",
        "e.subject_code",
        "s.name as subject_name",
        "g.name",
        "g.id_number",
      ])
      .orderBy("v.updated_at", "desc")
      .orderBy("v.id", "desc")
      .offset(f.offset ?? 0)
      .limit(f.limit ?? 50)
      .execute(),
    q.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({ ...r, admission_no: r.admission_no ?? "", id_number: maskIdNumber(r.id_number) })),
  };
}

function cleanRemark(remark: string): string {
  const r = remark.replace(/\s+/g, " ").trim();
  if (r.length > REMARK_MAX) throw new AppError("violations.remark_too_long", { max: REMARK_MAX });
  return r;
}

/** VIO-1: add one by admission number (the site's own numbered entry); one per entry. */
export async function addViolation(
  ctx: AdminContext,
  input: { admissionNo: string; kind: ViolationKind; remark: string },
) {
  requireSite(ctx);
  requireWritableSitting(ctx);
  const remark = cleanRemark(input.remark);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteViolations", ctx.org.id);
      const e = await findNumberedEntry(trx, ctx.sitting.id, ctx.org.id, input.admissionNo);
      if (!e) throw new AppError("violations.no_such_entry", {}, 404);
      if (e.violation_id !== null)
        throw new AppError("violations.exists", { kindKey: `violations.kind.${e.violation_kind}` }, 409);
      const row = await trx
        .insertInto("violation")
        .values({
          entry_id: e.id,
          sitting_id: ctx.sitting.id,
          org_id: ctx.org.id,
          kind: input.kind,
          remark,
          source: "manual",
          created_by: ctx.accountId,
          created_by_name: ctx.name,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx.actor, {
        action: "violation.add",
        entityType: "violation",
        entityId: row.id,
        after: { admission_no: e.admission_no, subject_code: e.subject_code, kind: input.kind, remark },
      });
      return { id: row.id, name: e.name };
    });
}

/** One of the site's violations, or 404 (ORG-2: another site's id is no such violation). */
async function siteViolation(trx: Q, ctx: AdminContext, id: number) {
  const v = await trx
    .selectFrom("violation as v")
    .innerJoin("entry as e", "e.id", "v.entry_id")
    .select(["v.id", "v.kind", "v.remark", "v.source", "e.admission_no"])
    .where("v.id", "=", id)
    .where("v.sitting_id", "=", ctx.sitting.id)
    .where("v.org_id", "=", ctx.org.id)
    .executeTakeFirst();
  if (!v) throw new AppError("violations.not_found", {}, 404);
  return v;
}

/** VIO-1: change the kind or remark. An edited roll-call absence is the editor's now (undoing the roll call keeps it). */
export async function updateViolation(ctx: AdminContext, id: number, input: { kind: ViolationKind; remark: string }) {
  requireSite(ctx);
  requireWritableSitting(ctx);
  const remark = cleanRemark(input.remark);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteViolations", ctx.org.id);
      const v = await siteViolation(trx, ctx, id);
      if (v.kind === input.kind && v.remark === remark) return;
      await trx
        .updateTable("violation")
        .set({ kind: input.kind, remark, roll_call_batch_id: null, updated_at: sql`now()` })
        .where("id", "=", id)
        .execute();
      await recordAudit(trx, ctx.actor, {
        action: "violation.update",
        entityType: "violation",
        entityId: id,
        before: { admission_no: v.admission_no, kind: v.kind, remark: v.remark },
        after: { admission_no: v.admission_no, kind: input.kind, remark },
      });
    });
}

export async function deleteViolation(ctx: AdminContext, id: number) {
  requireSite(ctx);
  requireWritableSitting(ctx);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteViolations", ctx.org.id);
      const v = await siteViolation(trx, ctx, id);
      await trx.deleteFrom("violation").where("id", "=", id).execute();
      await recordAudit(trx, ctx.actor, {
        action: "violation.delete",
        entityType: "violation",
        entityId: id,
        before: { admission_no: v.admission_no, kind: v.kind, remark: v.remark, source: v.source },
      });
    });
}

// ---- import (VIO-1, through the shared pipeline) ----

async function importTargets(db: Q, sittingId: number, siteId: number, numbers: readonly string[]) {
  const map = new Map<string, NumberedTarget>();
  for (let i = 0; i < numbers.length; i += 5000) {
    const rows = await db
      .selectFrom("entry as e")
      .innerJoin("registration as g", "g.id", "e.registration_id")
      .leftJoin("violation as v", "v.entry_id", "e.id")
      .select(["e.id", "e.admission_no", "g.name", "v.kind", "v.remark"])
      .where("e.sitting_id", "=", sittingId)
      .where("e.org_id", "=", siteId)
      .where("e.admission_no", "in", numbers.slice(i, i + 5000))
      .execute();
    for (const r of rows)
      map.set(r.admission_no!, {
        entryId: r.id,
        name: r.name,
        violation: r.kind ? { kind: r.kind, remark: r.remark ?? "" } : null,
      });
  }
  return map;
}

export type ViolationImportOutcome =
  | { ok: true; inserted: number; updated: number; unchanged: number }
  | { ok: false; errors: ReturnType<typeof planViolationImport>["errors"] };

/** VIO-1: all or nothing, planned inside the transaction that writes (under the site's violations lock). */
export async function importViolations(
  actor: Actor & { sittingId: number },
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: ViolationRow }>,
  overwrite: boolean,
): Promise<ViolationImportOutcome> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteViolations", siteId);
      const targets = await importTargets(
        trx,
        actor.sittingId,
        siteId,
        rows.map((r) => r.value.admissionNo),
      );
      const plan = planViolationImport(rows, targets, overwrite);
      if (plan.errors.length) return { ok: false as const, errors: plan.errors };
      for (const { value } of rows) {
        const t = targets.get(value.admissionNo)!;
        if (t.violation && t.violation.kind === value.kind && t.violation.remark === value.remark) continue;
        await trx
          .insertInto("violation")
          .values({
            entry_id: t.entryId,
            sitting_id: actor.sittingId,
            org_id: siteId,
            kind: value.kind,
            remark: value.remark,
            source: "import",
            created_by: actor.accountId,
            created_by_name: actor.name,
          })
          .onConflict((oc) =>
            oc.column("entry_id").doUpdateSet({
              kind: value.kind,
              remark: value.remark,
              roll_call_batch_id: null,
              updated_at: sql`now()`,
            }),
          )
          .execute();
      }
      await recordAudit(trx, actor, {
        action: "violation.import",
        entityType: "violation",
        entityId: siteId,
        orgId: siteId,
        after: { rows: rows.length, inserted: plan.inserts, updated: plan.updates, unchanged: plan.unchanged },
      });
      return { ok: true as const, inserted: plan.inserts, updated: plan.updates, unchanged: plan.unchanged };
    });
}

/** The same plan's errors for the rows that typed, when others did not (one report lists everything). */
export async function checkViolationRows(
  sittingId: number,
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: ViolationRow }>,
  overwrite: boolean,
) {
  const targets = await importTargets(
    getDb(),
    sittingId,
    siteId,
    rows.map((r) => r.value.admissionNo),
  );
  return planViolationImport(rows, targets, overwrite).errors;
}

// ---- the roll call (DOC-9) ----

/**
 * DOC-9: once a batch has ended, every numbered entry of it never checked in and without a violation
 * becomes an absence, in one step (one audit entry naming the batch and the count).
 */
export async function markRestAbsent(ctx: AdminContext, batchId: number, now = new Date()) {
  requireSite(ctx);
  requireWritableSitting(ctx);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteViolations", ctx.org.id);
      const batch = await siteBatch(trx, ctx, batchId);
      if (!batchEnded(batch, now)) throw new AppError("checkin.batch_not_ended", {}, 409);
      const entries = await trx
        .selectFrom("entry as e")
        .leftJoin("attendance as a", "a.entry_id", "e.id")
        .leftJoin("violation as v", "v.entry_id", "e.id")
        .select(["e.id", "a.entry_id as present", "v.id as violation_id"])
        .where("e.batch_id", "=", batchId)
        .where("e.admission_no", "is not", null)
        .execute();
      const ids = rollCallAbsentees(
        entries.map((e) => ({ id: e.id, checkedIn: e.present !== null, hasViolation: e.violation_id !== null })),
      );
      if (ids.length)
        await trx
          .insertInto("violation")
          .values(
            ids.map((id) => ({
              entry_id: id,
              sitting_id: ctx.sitting.id,
              org_id: ctx.org.id,
              kind: "absent" as const,
              source: "roll_call" as const,
              roll_call_batch_id: batchId,
              created_by: ctx.accountId,
              created_by_name: ctx.name,
            })),
          )
          .execute();
      await recordAudit(trx, ctx.actor, {
        action: "violation.roll_call",
        entityType: "exam_batch",
        entityId: batchId,
        after: { absent: ids.length },
      });
      return { absent: ids.length };
    });
}

/** DOC-9: undo a batch's roll call: its absences not edited since are deleted (one audit entry). */
export async function undoRollCall(ctx: AdminContext, batchId: number) {
  requireSite(ctx);
  requireWritableSitting(ctx);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteViolations", ctx.org.id);
      await siteBatch(trx, ctx, batchId);
      const gone = await trx
        .deleteFrom("violation")
        .where("roll_call_batch_id", "=", batchId)
        .where("source", "=", "roll_call")
        .where("org_id", "=", ctx.org.id)
        .returning("id")
        .execute();
      await recordAudit(trx, ctx.actor, {
        action: "violation.roll_call_undo",
        entityType: "exam_batch",
        entityId: batchId,
        before: { absent: gone.length },
      });
      return { removed: gone.length };
    });
}

/** How many of a batch's absences its roll call made (and can still undo). */
export async function rollCallCount(db: Q, batchId: number): Promise<number> {
  const r = await db
    .selectFrom("violation")
    .select(sql<number>`count(*)`.as("n"))
    .where("roll_call_batch_id", "=", batchId)
    .where("source", "=", "roll_call")
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function siteBatch(db: Q, ctx: AdminContext, batchId: number) {
  const b = await db
    .selectFrom("exam_batch")
    .select(["id", "exam_date", "end_min"])
    .where("id", "=", batchId)
    .where("sitting_id", "=", ctx.sitting.id)
    .where("org_id", "=", ctx.org.id)
    .executeTakeFirst();
  if (!b) throw new AppError("checkin.no_batch", {}, 404);
  return b;
}

// ---- statistics (VIO-2) ----

/** VIO-2: counts by site, subject and kind for the given sites (aggregated in SQL). */
export async function violationCounts(db: Q, sittingId: number, siteIds: readonly number[]) {
  if (siteIds.length === 0) return [];
  const rows = await db
    .selectFrom("violation as v")
    .innerJoin("entry as e", "e.id", "v.entry_id")
    .select(["v.org_id", "e.subject_code", "v.kind", sql<number>`count(*)`.as("n")])
    .where("v.sitting_id", "=", sittingId)
    .where("v.org_id", "in", siteIds)
    .groupBy(["v.org_id", "e.subject_code", "v.kind"])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}
