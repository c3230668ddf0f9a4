import type { Kysely, Transaction } from "kysely";
import { getDb } from "~db/client";
import type { DB } from "~db/schema";
import { findRecordByIdNumber } from "~db/queries/student-records";
import { AppError } from "~/domain/errors";
import { takeLookup } from "~/domain/id-lookup-throttle";
import { isIdType, normaliseIdNumber, validateIdNumber } from "~/domain/id-number";
import { matchingRecord } from "~/domain/prefill";
import type { CandidateContext } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";

// SR-6/X-4: the candidate's ID number travels by POST and stays in a server-side draft; every new
// ID number (or name) tried counts against the account's look-up allowance.

export interface Draft {
  idType: string;
  idNumber: string;
  name: string;
}

/** Count one look-up for the account, or refuse with the time it may try again (429). */
export async function takeIdLookup(db: Kysely<DB> | Transaction<DB>, accountId: string, now = new Date()) {
  const row = await db
    .selectFrom("id_lookup_throttle")
    .selectAll()
    .where("account_id", "=", accountId)
    .executeTakeFirst();
  const d = takeLookup(row ? { windowStart: row.window_start, count: row.count } : undefined, now);
  if (!d.allowed) {
    const time = new Intl.DateTimeFormat("en-GB", {
      timeZone: getEnv().timeZone,
      hour: "2-digit",
      minute: "2-digit",
    }).format(d.retryAt);
    throw new AppError("privacy.lookup_limit", { time }, 429);
  }
  await db
    .insertInto("id_lookup_throttle")
    .values({ account_id: accountId, window_start: d.next.windowStart, count: d.next.count })
    .onConflict((oc) => oc.column("account_id").doUpdateSet({ window_start: d.next.windowStart, count: d.next.count }))
    .execute();
}

export async function readDraft(ctx: CandidateContext): Promise<Draft | null> {
  const row = await getDb()
    .selectFrom("candidate_draft")
    .select(["id_type", "id_number", "name"])
    .where("account_id", "=", ctx.accountId)
    .where("sitting_id", "=", ctx.sitting.id)
    .executeTakeFirst();
  return row ? { idType: row.id_type, idNumber: row.id_number, name: row.name } : null;
}

export type SaveDraftResult = { ok: true } | { ok: false; problem: string };

/**
 * The ID number and name typed on the site page: validated, counted when new, kept as the draft.
 * Typing the same pair again costs nothing.
 */
export async function saveDraft(ctx: CandidateContext, input: Draft, now = new Date()): Promise<SaveDraftResult> {
  const idType = isIdType(input.idType) ? input.idType : "1";
  const idNumber = normaliseIdNumber(input.idNumber);
  const name = input.name.trim().replace(/\s+/g, " ").slice(0, 50);
  const problem = validateIdNumber(idType, idNumber, now);
  if (problem) return { ok: false, problem };
  if (!name) return { ok: false, problem: "privacy.name_hint" };
  const db = getDb();
  const before = await readDraft(ctx);
  if (!before || before.idNumber !== idNumber || before.name !== name) await takeIdLookup(db, ctx.accountId, now);
  await db
    .insertInto("candidate_draft")
    .values({
      account_id: ctx.accountId,
      sitting_id: ctx.sitting.id,
      id_type: idType,
      id_number: idNumber,
      name,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(["account_id", "sitting_id"])
        .doUpdateSet({ id_type: idType, id_number: idNumber, name, updated_at: now }),
    )
    .execute();
  return { ok: true };
}

export async function clearDraft(
  db: Kysely<DB> | Transaction<DB>,
  ctx: Pick<CandidateContext, "accountId" | "sitting">,
) {
  await db
    .deleteFrom("candidate_draft")
    .where("account_id", "=", ctx.accountId)
    .where("sitting_id", "=", ctx.sitting.id)
    .execute();
}

/** SR-6: the student record of the ID number, only when the name matches it too (else null, as for no record). */
export async function findMatchingRecord(idNumber: string, name: string) {
  if (!idNumber) return null;
  return matchingRecord(await findRecordByIdNumber(getDb(), normaliseIdNumber(idNumber)), name);
}
