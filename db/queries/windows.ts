import type { Kysely, Transaction } from "kysely";
import type { DB } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

export async function listWindows(db: Q, sittingId: number, orgIds: number[]) {
  if (orgIds.length === 0) return [];
  return db
    .selectFrom("window")
    .selectAll()
    .where("sitting_id", "=", sittingId)
    .where("org_id", "in", orgIds)
    .execute();
}
