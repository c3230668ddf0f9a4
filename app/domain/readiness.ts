/** X-6 (first part): what a site still lacks before registration can open. */
export const READINESS_ITEMS = ["fees_not_set", "no_subject", "capacity_not_set", "address_missing", "online_window_not_set"] as const;
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
