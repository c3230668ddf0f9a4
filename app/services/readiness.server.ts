import { getDb } from "~db/client";
import { listSiteReadiness } from "~db/queries/setup";
import { countRegistrationGaps } from "~db/queries/candidate-search";
import { registrationReadiness, siteReadiness, type ReadinessItem } from "~/domain/readiness";

/** readiness (before registration, and registration gaps) of every enabled site under `rootId` in the sitting (a site's own is a subtree of one). */
export async function readinessOf(sittingId: number, rootId: number) {
  const rows = await listSiteReadiness(getDb(), sittingId, rootId);
  const gaps = new Map(
    (
      await countRegistrationGaps(
        getDb(),
        sittingId,
        rows.map((r) => r.id),
      )
    ).map((g) => [g.org_id, g]),
  );
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    open: r.open,
    // Issue 15 item 5: name the subjects, which candidates cannot choose until they are set (CAN-2).
    subjects: { capacity_not_set: r.codes_without_capacity, fees_not_set: r.codes_without_fee } as Partial<
      Record<ReadinessItem, string[]>
    >,
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
    registration: registrationReadiness({
      unpaidEntries: gaps.get(r.id)?.unpaid_entries ?? 0,
      unpaidCandidates: gaps.get(r.id)?.unpaid_candidates ?? 0,
      pendingReview: gaps.get(r.id)?.pending_review ?? 0,
      missingPhotos: gaps.get(r.id)?.missing_photos ?? 0,
      paidEntries: gaps.get(r.id)?.paid_entries ?? 0,
      batches: gaps.get(r.id)?.batches ?? 0,
      unallocated: gaps.get(r.id)?.unallocated ?? 0,
      unnumbered: gaps.get(r.id)?.unnumbered ?? 0,
    }),
  }));
}
