/** X-6 (first part): what a site still lacks before registration can open. */
export const READINESS_ITEMS = [
  "fees_not_set",
  "no_subject",
  "capacity_not_set",
  "address_missing",
  "online_window_not_set",
] as const;
export type ReadinessItem = (typeof READINESS_ITEMS)[number];

export interface SiteReadinessInput {
  open: boolean;
  address: string;
  offeredSubjects: number;
  feesComplete: boolean;
  totalCapacity: number | null;
  subjectsWithoutCapacity: number;
  onlineEnabled: boolean;
  onlineWindowSet: boolean;
}

/** Empty list = ready. A site that does not open this sitting (SET-1) has nothing to prepare. */
export function siteReadiness(s: SiteReadinessInput): ReadinessItem[] {
  if (!s.open) return [];
  const missing: ReadinessItem[] = [];
  if (!s.feesComplete) missing.push("fees_not_set");
  if (s.offeredSubjects === 0) missing.push("no_subject");
  if (s.totalCapacity === null || s.subjectsWithoutCapacity > 0) missing.push("capacity_not_set");
  if (!s.address.trim()) missing.push("address_missing");
  if (s.onlineEnabled && !s.onlineWindowSet) missing.push("online_window_not_set");
  return missing;
}

/** Where each item is fixed. */
export const READINESS_LINKS: Record<ReadinessItem, string> = {
  fees_not_set: "/admin/setup/fees",
  no_subject: "/admin/setup/subjects",
  capacity_not_set: "/admin/setup/capacity",
  address_missing: "/admin/orgs",
  online_window_not_set: "/admin/setup/settings#online",
};

/** The page that fixes an item, for the site itself or (with its id) for a superior looking at it. */
export function readinessLink(item: ReadinessItem, siteId?: number): string {
  const [path, hash] = READINESS_LINKS[item].split("#");
  const query = siteId === undefined ? "" : item === "address_missing" ? `?org=${siteId}` : `?site=${siteId}`;
  return `${path}${query}${hash ? `#${hash}` : ""}`;
}

/**
 * X-6 (second part): what stands between registration and allocation. Each item counts what is
 * still open and links to the candidate search that lists exactly those candidates.
 */
export const REGISTRATION_READINESS_ITEMS = [
  "unpaid_entries",
  "pending_review",
  "missing_photos",
  // X-6 (third part, issue 16 item 6): before the exam, once the site has paid entries.
  "no_batches",
  "unallocated_entries",
  "numbers_missing",
  // X-6 (issue 18 item 5): once every entry has its number, the documents the exam needs.
  "cards_missing",
  "cards_stale",
  "cbt_missing",
  "cbt_stale",
  "photo_package_missing",
  "photo_package_stale",
  "sign_in_missing",
  "sign_in_stale",
] as const;
export type RegistrationReadinessItem = (typeof REGISTRATION_READINESS_ITEMS)[number];

/** The documents a site makes before the exam, each either not generated, stale (its data changed since) or current. */
export const EXAM_DOCUMENTS = ["cards", "cbt", "photo_package", "sign_in"] as const;
export type ExamDocument = (typeof EXAM_DOCUMENTS)[number];
export type DocumentState = "missing" | "stale" | "current";

export interface RegistrationCounts {
  unpaidEntries: number;
  /** Candidates with an unpaid entry (the search lists candidates, not entries). */
  unpaidCandidates: number;
  pendingReview: number;
  missingPhotos: number;
  /** Paid entries, and how many of them have no batch, and no admission number. */
  paidEntries?: number;
  batches?: number;
  unallocated?: number;
  unnumbered?: number;
  /** X-6: each document's state; a document not given counts as not generated. */
  documents?: Partial<Record<ExamDocument, DocumentState>>;
}

export function registrationReadiness(
  c: RegistrationCounts,
): Array<{ item: RegistrationReadinessItem; count: number; candidates: number }> {
  const out: Array<{ item: RegistrationReadinessItem; count: number; candidates: number }> = [];
  if (c.unpaidEntries > 0) out.push({ item: "unpaid_entries", count: c.unpaidEntries, candidates: c.unpaidCandidates });
  if (c.pendingReview > 0) out.push({ item: "pending_review", count: c.pendingReview, candidates: c.pendingReview });
  if (c.missingPhotos > 0) out.push({ item: "missing_photos", count: c.missingPhotos, candidates: c.missingPhotos });
  // Before the exam: rooms, allocation and numbers, once there is anything to seat.
  if ((c.paidEntries ?? 0) > 0) {
    if ((c.batches ?? 0) === 0) out.push({ item: "no_batches", count: c.paidEntries!, candidates: 0 });
    else if ((c.unallocated ?? 0) > 0) out.push({ item: "unallocated_entries", count: c.unallocated!, candidates: 0 });
    else if ((c.unnumbered ?? 0) > 0) out.push({ item: "numbers_missing", count: c.unnumbered!, candidates: 0 });
    else
      for (const doc of EXAM_DOCUMENTS) {
        const state = c.documents?.[doc] ?? "missing";
        if (state !== "current")
          out.push({ item: `${doc}_${state}` as RegistrationReadinessItem, count: c.paidEntries!, candidates: 0 });
      }
  }
  return out;
}

const REGISTRATION_READINESS_SEARCH: Record<RegistrationReadinessItem, string> = {
  unpaid_entries: "/admin/candidates?payment=any_unpaid",
  pending_review: "/admin/review?review=pending",
  missing_photos: "/admin/candidates?photo=no",
  no_batches: "/admin/rooms",
  unallocated_entries: "/admin/allocation",
  numbers_missing: "/admin/admission-numbers",
  cards_missing: "/admin/admission-cards",
  cards_stale: "/admin/admission-cards",
  cbt_missing: "/admin/cbt-data",
  cbt_stale: "/admin/cbt-data",
  photo_package_missing: "/admin/photo-package",
  photo_package_stale: "/admin/photo-package",
  sign_in_missing: "/admin/room-sheets/sign-in",
  sign_in_stale: "/admin/room-sheets/sign-in",
};

/** X-6: cards are ready when either size is current; generated but none current is stale. */
export function documentState(files: ReadonlyArray<{ stale: boolean } | null>): DocumentState {
  const made = files.filter((f): f is { stale: boolean } => f !== null);
  if (made.length === 0) return "missing";
  return made.some((f) => !f.stale) ? "current" : "stale";
}

/** The filtered search (or the page) for an item, narrowed to one site when a superior looks at it. */
export function registrationReadinessLink(item: RegistrationReadinessItem, siteId?: number): string {
  const base = REGISTRATION_READINESS_SEARCH[item];
  return siteId === undefined ? base : `${base}${base.includes("?") ? "&" : "?"}site=${siteId}`;
}
