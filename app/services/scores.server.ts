import { sql, type Kysely, type Transaction } from "kysely";
import { containsPattern } from "~db/queries/like";
import { getDb } from "~db/client";
import type { DB } from "~db/schema";
import { lockAdvisory } from "~db/queries/locks";
import { maskIdNumber } from "~/domain/id-number";
import {
  planScoreImport,
  scorePlanner,
  type ScoreImportOptions,
  type ScorePlan,
  type ScoreRow,
  type ScoreTarget,
} from "~/domain/scores";
import { planMailingImport, type MailingRow, type MailingTarget } from "~/domain/certificate-mailing";
import { recordAudit, recordAudits, type Actor } from "./audit.server";
import { openWriteWhileReading } from "~/imports/write-while-reading.server";

type Q = Kysely<DB> | Transaction<DB>;

// SCO-1 (manual §四十): the score file written into scores, and, as the options say, into the
// registrations' names and IDs and the violation table. All or nothing, under the site's lock.

async function scoreTargets(db: Q, sittingId: number, siteId: number, numbers: readonly string[] | null) {
  // Each row is its entry's target as the driver made it (a large file's 100,000 targets live through
  // the whole import: no second object each).
  const site = () =>
    db
      .selectFrom("entry as e")
      .innerJoin("registration as g", "g.id", "e.registration_id")
      .innerJoin("subject as s", "s.code", "e.subject_code")
      .leftJoin("violation as v", "v.entry_id", "e.id")
      .select([
        "e.admission_no",
        "e.id as entryId",
        "g.id as registrationId",
        "g.name",
        "g.id_number as idNumber",
        "e.subject_code as subjectCode",
        "s.level",
        "v.kind as violation",
      ])
      .where("e.sitting_id", "=", sittingId)
      .where("e.org_id", "=", siteId);
  // A large file names most of the site's entries: one pass over them beats looking each number up.
  // A small one is looked up, one array parameter a statement (not an IN list of parameters).
  // null: every numbered entry of the site (a file read while it is planned names them as it goes).
  const rows = await (
    numbers === null || numbers.length > 5000
      ? site().where("e.admission_no", "is not", null)
      : site().where(sql<boolean>`e.admission_no = any(${numbers}::text[])`)
  ).execute();
  const wanted = numbers && new Set(numbers);
  const map = new Map<string, ScoreTarget>();
  for (const r of rows) if (!wanted || wanted.has(r.admission_no!)) map.set(r.admission_no!, r);
  return map;
}

const numbersOf = (rows: ReadonlyArray<{ value: ScoreRow }>) =>
  rows.map((r) => r.value.admissionNo).filter((n): n is string => n !== null);

export type ScoreImportOutcome =
  | { ok: true; imported: number; skipped: number; identityUpdated: number; violationsUpdated: number }
  | { ok: false; errors: ScorePlan["errors"] };

type ScoreActor = Actor & { sittingId: number };

/**
 * Whether any of the site's entries has a score: only then does a write need the upsert, whose
 * speculative insertion costs ≈ 0.17 s a 100,000 rows (issue 19's benchmark). Asked under the site's
 * lock, which every score write holds, so the answer stands until the transaction ends.
 */
async function siteHasScores(trx: Transaction<DB>, sittingId: number, siteId: number) {
  const r = await sql<{ any: boolean }>`
    select exists (select 1 from score c join entry e on e.id = c.entry_id
      where e.sitting_id = ${sittingId} and e.org_id = ${siteId}) as any`.execute(trx);
  return r.rows[0].any;
}

/** The rows the plan let through, written one statement per 10,000 (each column one array unnested by the database). */
async function writeScores(
  trx: Transaction<DB>,
  actor: ScoreActor,
  siteId: number,
  rows: ScorePlan["rows"],
  replace: boolean,
) {
  for (let i = 0; i < rows.length; i += 10_000) {
    const chunk = rows.slice(i, i + 10_000);
    const col = <T>(f: (r: (typeof chunk)[number]) => T) => chunk.map(f);
    await sql`
      insert into score (entry_id, sitting_id, org_id, subject_code, registration_id, score, grade_code, part1, part2, certificate_no, remark)
      select t.e, ${actor.sittingId}::int, ${siteId}::int, t.sc, t.r, t.cj, t.dj, t.p1, t.p2, t.cert, t.bz
      from unnest(${col((r) => r.target.entryId)}::int[], ${col((r) => r.target.subjectCode)}::text[],
        ${col((r) => r.target.registrationId)}::int[], ${col((r) => r.value.score)}::smallint[],
        ${col((r) => r.value.grade)}::smallint[], ${col((r) => r.value.part1)}::smallint[],
        ${col((r) => r.value.part2)}::smallint[], ${col((r) => r.value.certificateNo)}::text[],
        ${col((r) => r.value.remark)}::text[]) as t(e, sc, r, cj, dj, p1, p2, cert, bz)
      ${
        replace
          ? sql`on conflict (entry_id) do update set score = excluded.score, grade_code = excluded.grade_code,
        part1 = excluded.part1, part2 = excluded.part2, certificate_no = excluded.certificate_no,
        remark = excluded.remark, imported_at = now()`
          : sql``
      }`.execute(trx);
  }
}

/** After the scores: the file's names and IDs (identity check off), the violation table (violations check off), the audit. */
async function finishScoreImport(
  trx: Transaction<DB>,
  actor: ScoreActor,
  siteId: number,
  plan: ScorePlan,
  imported: number,
  rowCount: number,
  options: ScoreImportOptions,
) {
  // The identity check was off: the file's name and ID win (each change audited, the ID masked by the writer).
  const identity = new Map(plan.identity.map((x) => [x.registrationId, x]));
  const audits = [];
  for (const x of identity.values()) {
    const before = await trx
      .selectFrom("registration")
      .select(["name", "id_number"])
      .where("id", "=", x.registrationId)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("registration")
      .set({ name: x.name, id_number: x.idNumber })
      .where("id", "=", x.registrationId)
      .execute();
    audits.push({
      action: "registration.score_identity" as const,
      entityType: "registration" as const,
      entityId: x.registrationId,
      orgId: siteId,
      before: { name: before.name, id_number: before.id_number },
      after: { name: x.name, id_number: x.idNumber },
    });
  }
  if (audits.length) await recordAudits(trx, actor, audits);
  // The violations check was off: the table follows the file.
  for (const v of plan.violations) {
    if (v.kind === null) await trx.deleteFrom("violation").where("entry_id", "=", v.entryId).execute();
    else
      await trx
        .insertInto("violation")
        .values({
          entry_id: v.entryId,
          sitting_id: actor.sittingId,
          org_id: siteId,
          kind: v.kind,
          source: "score_file",
          created_by: actor.accountId,
          created_by_name: actor.name,
        })
        .onConflict((oc) =>
          oc.column("entry_id").doUpdateSet({
            kind: v.kind!,
            source: "score_file",
            roll_call_batch_id: null,
            updated_at: sql`now()`,
          }),
        )
        .execute();
  }
  const figures = {
    imported,
    skipped: plan.skipped,
    identityUpdated: identity.size,
    violationsUpdated: plan.violations.length,
  };
  await recordAudit(trx, actor, {
    action: "score.import",
    entityType: "score",
    entityId: siteId,
    orgId: siteId,
    after: { rows: rowCount, ...figures, ...options },
  });
  return figures;
}

export async function importScores(
  actor: ScoreActor,
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: ScoreRow }>,
  options: ScoreImportOptions,
): Promise<ScoreImportOutcome> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteViolations", siteId);
      const targets = await scoreTargets(trx, actor.sittingId, siteId, numbersOf(rows));
      const plan = planScoreImport(rows, targets, options);
      if (plan.errors.length) return { ok: false as const, errors: plan.errors };
      const replace = await siteHasScores(trx, actor.sittingId, siteId);
      await writeScores(trx, actor, siteId, plan.rows, replace);
      const figures = await finishScoreImport(trx, actor, siteId, plan, plan.rows.length, rows.length, options);
      return { ok: true as const, ...figures };
    });
}

/**
 * SCO-1 on PostgreSQL, written while the file is still being read (decision 0042): the transaction
 * and the site's lock are taken first, the site's entries read once, and each part of typed rows is
 * planned and written as it comes, the database working on the other core while the next part is
 * parsed. Any error (a row that did not type, a check that failed) rolls everything back, and the
 * plan goes on to the end so the report lists every error, as the all-at-once path does.
 */
export async function openScoreImport(actor: ScoreActor, siteId: number, options: ScoreImportOptions) {
  const session = await openWriteWhileReading("siteViolations", siteId);
  const targets = scoreTargets(session.trx, actor.sittingId, siteId, null);
  const replace = siteHasScores(session.trx, actor.sittingId, siteId);
  const planner = scorePlanner(options);
  let rowCount = 0;
  let imported = 0;
  // The parts' writes, in order, apart from the planning: the next part is planned while the
  // database writes this one, instead of the database waiting for each plan.
  let writing: Promise<void> = Promise.resolve();
  session.queue(async () => void (await Promise.all([targets, replace])));
  return {
    push(rows: ReadonlyArray<{ row: number; value: ScoreRow }>, typingFailed: boolean) {
      rowCount += rows.length;
      session.queue(async () => {
        const t = await targets;
        const part = planner.add(rows, t);
        // Once anything failed nothing more is written: the rest is planned for the report only.
        if (typingFailed || planner.plan.errors.length) return;
        const upsert = await replace;
        writing = writing.then(() => writeScores(session.trx, actor, siteId, part, upsert));
        writing.catch(() => undefined); // reported by finish, never as an unhandled rejection
        imported += part.length;
      });
    },
    finish: (typingFailed: boolean): Promise<ScoreImportOutcome> =>
      session.finish<ScoreImportOutcome>(async () => {
        await writing;
        if (typingFailed || planner.plan.errors.length)
          return { commit: false, result: { ok: false as const, errors: planner.plan.errors } };
        const plan = planner.plan;
        const figures = await finishScoreImport(session.trx, actor, siteId, plan, imported, rowCount, options);
        return { commit: true, result: { ok: true as const, ...figures } };
      }),
    async abort() {
      await writing.catch(() => undefined);
      await session.abort();
    },
  };
}

/** The same plan's errors for the rows that typed, when others did not (one report lists everything). */
export async function checkScoreRows(
  sittingId: number,
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: ScoreRow }>,
  options: ScoreImportOptions,
) {
  const targets = await scoreTargets(getDb(), sittingId, siteId, numbersOf(rows));
  return planScoreImport(rows, targets, options).errors;
}

/** SCO-3: the site's scores, searchable by admission number or name; the ID masked (X-4). */
export async function listScores(
  db: Q,
  sittingId: number,
  siteId: number,
  f: { q?: string; subject?: string | null; offset?: number; limit?: number } = {},
) {
  let q = db
    .selectFrom("score as c")
    .innerJoin("entry as e", "e.id", "c.entry_id")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .innerJoin("subject as s", "s.code", "e.subject_code")
    .where("c.sitting_id", "=", sittingId)
    .where("c.org_id", "=", siteId);
  if (f.subject) q = q.where("e.subject_code", "=", f.subject);
  if (f.q) {
    const like = containsPattern(f.q);
    q = q.where((w) => w.or([w("e.admission_no", "like", like), w("g.name", "like", like)]));
  }
  const [rows, count] = await Promise.all([
    q
      .select([
        "c.entry_id",
        "c.score",
        "c.grade_code",
        "c.part1",
        "c.part2",
        "c.certificate_no",
        "c.remark",
        "e.admission_no",
        "e.subject_code",
        "s.name as subject_name",
        "g.name",
        "g.id_number",
      ])
      .orderBy("e.admission_no")
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

/** SCO-1/7: a candidate's own scores, by entry (shown on the status page once imported). */
export async function scoresOfRegistration(db: Q, registrationId: number) {
  return db
    .selectFrom("score as c")
    .innerJoin("entry as e", "e.id", "c.entry_id")
    .select(["e.subject_code", "c.score", "c.grade_code", "c.certificate_no"])
    .where("e.registration_id", "=", registrationId)
    .execute();
}

// ---- certificate mailing (SCO-2) ----

async function mailingTargets(db: Q, sittingId: number, siteId: number, numbers: readonly string[]) {
  const map = new Map<string, MailingTarget>();
  for (let i = 0; i < numbers.length; i += 20_000) {
    const rows = await db
      .selectFrom("entry as e")
      .leftJoin("score as c", "c.entry_id", "e.id")
      .select(["e.id", "e.admission_no", "c.certificate_no", "c.grade_code"])
      .where("e.sitting_id", "=", sittingId)
      .where("e.org_id", "=", siteId)
      .where(sql<boolean>`e.admission_no = any(${numbers.slice(i, i + 20_000)}::text[])`)
      .execute();
    for (const r of rows)
      map.set(r.admission_no!, {
        entryId: r.id,
        certificateNo: r.certificate_no,
        passed: r.grade_code !== null && r.grade_code >= 1,
      });
  }
  return map;
}

/** SCO-2: all or nothing; an entry's mailing is replaced by each import that names it. */
export async function importMailings(
  actor: Actor & { sittingId: number },
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: MailingRow }>,
) {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await lockAdvisory(trx, "siteViolations", siteId);
      const targets = await mailingTargets(
        trx,
        actor.sittingId,
        siteId,
        rows.map((r) => r.value.admissionNo),
      );
      const errors = planMailingImport(rows, targets);
      if (errors.length) return { ok: false as const, errors };
      for (const { value: v } of rows) {
        const t = targets.get(v.admissionNo)!;
        const values = {
          certificate_no: v.certificateNo ?? t.certificateNo,
          recipient: v.recipient,
          phone: v.phone,
          address: v.address,
          postcode: v.postcode,
          courier: v.courier,
          tracking_no: v.trackingNo,
          mailed_on: v.mailedOn,
          status: v.status,
        };
        await trx
          .insertInto("certificate_mailing")
          .values({ entry_id: t.entryId, sitting_id: actor.sittingId, org_id: siteId, ...values })
          .onConflict((oc) => oc.column("entry_id").doUpdateSet({ ...values, imported_at: sql`now()` }))
          .execute();
      }
      await recordAudit(trx, actor, {
        action: "score.mailing_import",
        entityType: "score",
        entityId: siteId,
        orgId: siteId,
        after: { rows: rows.length },
      });
      return { ok: true as const, imported: rows.length };
    });
}

export async function checkMailingRows(
  sittingId: number,
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: MailingRow }>,
) {
  const targets = await mailingTargets(
    getDb(),
    sittingId,
    siteId,
    rows.map((r) => r.value.admissionNo),
  );
  return planMailingImport(rows, targets);
}

/** SCO-2/item 7: a candidate's own certificate mailings (courier, tracking number, state). */
export async function mailingsOfRegistration(db: Q, registrationId: number) {
  return db
    .selectFrom("certificate_mailing as m")
    .innerJoin("entry as e", "e.id", "m.entry_id")
    .select(["e.subject_code", "m.courier", "m.tracking_no", "m.mailed_on", "m.status"])
    .where("e.registration_id", "=", registrationId)
    .execute();
}
