/**
 * SET-9 (manual §十九 5): who may register at a site, given the site's student-record settings
 * and the candidate's student record (if any). Pure; SR-7 classification lives here too.
 */
export interface SiteEligibility {
  siteId: number;
  provinceId: number;
  registryEnabled: boolean;
  onlyProvinceRegistry: boolean;
  onlySiteRegistry: boolean;
  /** SET-5 (§十四 note 1): with preferred dates enabled in the province, no one registers across sites. */
  crossSiteDisabled?: boolean;
}

export interface StudentRecordRef {
  siteId: number;
  provinceId: number;
  /** Sites the record may register at; empty = any site of its province. Default: its own site. */
  eligibleSiteIds: readonly number[];
}

export type EligibilityRefusal =
  | "eligibility.public_refused"
  | "eligibility.site_registry_only"
  | "eligibility.not_eligible_site"
  | "eligibility.cross_site_disabled";

export function mayRegister(site: SiteEligibility, record: StudentRecordRef | null): EligibilityRefusal | null {
  if (site.crossSiteDisabled && record && record.provinceId === site.provinceId && record.siteId !== site.siteId)
    return "eligibility.cross_site_disabled";
  // Registry off: the record plays no part; everyone registers freely.
  if (!site.registryEnabled) return null;
  // A record from another province is unrestricted here: its holder counts as a public candidate.
  const inProvince = record !== null && record.provinceId === site.provinceId ? record : null;
  const atThisSite = inProvince !== null && inProvince.siteId === site.siteId;
  if (site.onlySiteRegistry) {
    // §十九 5.2 and 5.4: only this site's registry candidates.
    return atThisSite ? null : "eligibility.site_registry_only";
  }
  if (!inProvince) {
    // §十九 5.1: only this province's registry candidates; 5.3: public candidates welcome.
    return site.onlyProvinceRegistry ? "eligibility.public_refused" : null;
  }
  // §十九 5.1 and 5.3: a registry candidate of this province may register where the record allows.
  if (atThisSite || inProvince.eligibleSiteIds.length === 0 || inProvince.eligibleSiteIds.includes(site.siteId))
    return null;
  return "eligibility.not_eligible_site";
}

/** SR-7: a registry candidate only if the site's registry is on and the record is at that site. */
export function isRegistryCandidate(site: SiteEligibility, record: StudentRecordRef | null): boolean {
  return site.registryEnabled && record !== null && record.siteId === site.siteId;
}
