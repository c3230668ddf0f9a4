import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

/**
 * SET-3/CAN-7: the site's fee now for the entry being updated (`entry` in the statement), the fee an
 * entry keeps once a payment or a payment batch counts it.
 */
export const siteFeeOfEntry = sql<number | null>`(select f.fee_fen from site_fee f
  where f.sitting_id = entry.sitting_id and f.org_id = entry.org_id and f.subject_code = entry.subject_code)`;

/**
 * CAN-8: the unpaid entries of these registrations are held until `hold` (null: held no more, e.g.
 * while review decides). Paid entries never expire.
 */
export async function setUnpaidEntryHolds(q: Q, registrationIds: readonly number[], hold: Date | null) {
  if (registrationIds.length === 0) return;
  await q
    .updateTable("entry")
    .set({ hold_until: hold })
    .where("registration_id", "in", registrationIds)
    .where("paid", "=", false)
    .execute();
}
