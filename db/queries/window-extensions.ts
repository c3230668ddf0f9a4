import type { Kysely, Transaction } from "kysely";
import type { DB } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

/** WIN-5: the open requests of an organisation's direct subordinates (the superior's home page). */
export async function listPendingExtensionsOfChildren(db: Q, sittingId: number, parentOrgId: number) {
  return db
    .selectFrom("window_extension_request as r")
    .innerJoin("org", "org.id", "r.org_id")
    .select([
      "r.id",
      "r.kind",
      "r.reason",
      "r.wanted_until",
      "r.requested_by_name",
      "r.created_at",
      "org.id as org_id",
      "org.code as org_code",
      "org.name as org_name",
    ])
    .where("r.sitting_id", "=", sittingId)
    .where("r.status", "=", "pending")
    .where("org.parent_id", "=", parentOrgId)
    .orderBy("r.created_at")
    .execute();
}

/** WIN-5: the windows an organisation has asked to extend and is waiting on (the banner says so). */
export async function listPendingExtensionKinds(db: Q, sittingId: number, orgId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("window_extension_request")
    .select("kind")
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", orgId)
    .where("status", "=", "pending")
    .execute();
  return rows.map((r) => r.kind);
}
