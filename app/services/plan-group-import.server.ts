import { type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import type { DB } from "~db/schema";
import { planGroupImport, type GroupRowValue } from "~/domain/group-registration";
import type { RowError } from "~/domain/student-record";
import { loadAccounts, loadRecords, loadRegistrations } from "~db/queries/group-import";
import { loadSiteEligibility } from "~db/queries/setup";

/** GRP-2 … GRP-4: the plan of a group import (the pure `planGroupImport` over what the database holds). */

type Q = Kysely<DB> | Transaction<DB>;

export async function makePlan(
  db: Q,
  sittingId: number,
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: GroupRowValue }>,
  overwrite: boolean,
  now: Date,
  lock: boolean,
) {
  const ids = rows.map((r) => r.value.id_number);
  const registrations = await loadRegistrations(db, sittingId, ids, now, lock);
  const accounts = await loadAccounts(db, sittingId, [...new Set(rows.map((r) => r.value.email))]);
  const eligibility = await loadSiteEligibility(db, sittingId, siteId);
  const records = await loadRecords(db, ids);
  return {
    plan: planGroupImport({ siteId, overwrite, rows, registrations, accounts, eligibility, records }),
    registrations,
  };
}

/**
 * SR-3: the database's objections to the rows that did parse, so a file with a typo in one row
 * and an existing ID in another lists both at once. Reads only; nothing is written.
 */
export async function checkGroupRows(
  sittingId: number,
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: GroupRowValue }>,
  overwrite: boolean,
): Promise<RowError[]> {
  if (rows.length === 0) return [];
  return (await makePlan(getDb(), sittingId, siteId, rows, overwrite, new Date(), false)).plan.errors;
}
