import { getDb } from "~db/client";
import { listSiteReadiness } from "~db/queries/setup";
import { siteReadiness, type ReadinessItem } from "~/domain/readiness";

/** readiness of every enabled site under `rootId` in the sitting (a site's own is a subtree of one). */
export async function readinessOf(sittingId: number, rootId: number) {
  const rows = await listSiteReadiness(getDb(), sittingId, rootId);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    open: r.open,
    missing: siteReadiness({
      open: r.open,
      address: r.address,
      offeredSubjects: r.offered,
      feesComplete: r.per_person_fee_fen !== null && r.without_fee === 0,
      totalCapacity: r.total_capacity,
      subjectsWithoutCapacity: r.without_capacity,
      onlineEnabled: r.online_enabled,
      onlineWindowSet: r.online_set,
    }) as ReadinessItem[],
  }));
}
