import { getDb } from "~db/client";
import { listSiteReadiness } from "~db/queries/setup";
import { countRegistrationGaps } from "~db/queries/candidate-search";
import {
  documentState,
  registrationReadiness,
  siteReadiness,
  type DocumentState,
  type ExamDocument,
  type ReadinessItem,
} from "~/domain/readiness";
import { generatedFileView } from "./generated-files.server";

/**
 * X-6 (issue 18 item 5): the state of each document a site makes before the exam, asked only of a
 * site whose every paid entry has its number (before that the list says what to do first). A
 * document's staleness is its data's fingerprint now against the one it was made from.
 */
async function documentStates(sittingId: number, siteId: number): Promise<Record<ExamDocument, DocumentState>> {
  const db = getDb();
  const [small, large, cbt, photos, signIn] = await Promise.all(
    (["small_cards", "large_cards", "cbt_data", "photo_package", "sign_in_sheets"] as const).map((k) =>
      generatedFileView(db, k, sittingId, siteId),
    ),
  );
  return {
    cards: documentState([small, large]),
    cbt: documentState([cbt]),
    photo_package: documentState([photos]),
    sign_in: documentState([signIn]),
  };
}

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
  const documents = new Map<number, Record<ExamDocument, DocumentState>>();
  // One site at a time: a centre's home page must not start hundreds of fingerprint scans at once.
  for (const r of rows) {
    const g = gaps.get(r.id);
    if (g && g.paid_entries > 0 && g.batches > 0 && g.unallocated === 0 && g.unnumbered === 0)
      documents.set(r.id, await documentStates(sittingId, r.id));
  }
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
      documents: documents.get(r.id),
    }),
  }));
}
