import { getDb } from "~db/client";
import { loadSiteEligibility } from "~db/queries/setup";
import { getOrgPath } from "~db/queries/orgs";
import { findRecordByIdNumber } from "~db/queries/student-records";
import { isRegistryCandidate, mayRegister, type StudentRecordRef } from "~/domain/eligibility";
import { normaliseIdNumber } from "~/domain/id-number";
import { matchingRecord } from "~/domain/prefill";

// SR-6/SR-7 for the registration pages: which record pre-fills a candidate's form at a site, and
// whether the candidate counts as a registry or a public candidate there.

/** SR-6/X-4: a record counts only when the name matches it too: knowing an ID number alone tells nothing. */
async function recordRef(idNumber: string, name: string) {
  const record = matchingRecord(await findRecordByIdNumber(getDb(), normaliseIdNumber(idNumber)), name);
  if (!record) return { record: null, ref: null };
  const province = (await getOrgPath(getDb(), record.org_id)).find((o) => o.level === "province");
  const ref: StudentRecordRef = {
    siteId: record.org_id,
    provinceId: province?.id ?? 0,
    eligibleSiteIds: record.eligible_site_ids ?? [record.org_id],
  };
  return { record, ref };
}

/** SR-6: the record that pre-fills the form, when the site's registry is on and the record may register there. */
export async function findPrefillRecord(sittingId: number, siteId: number, idNumber: string, name: string) {
  const site = await loadSiteEligibility(getDb(), sittingId, siteId);
  if (!site.registryEnabled) return null;
  const { record, ref } = await recordRef(idNumber, name);
  if (!record || !ref || mayRegister(site, ref) !== null) return null;
  return record;
}

/** SET-9 + SR-7: may this ID register at the site, and as which kind of candidate. */
export async function classifyCandidate(sittingId: number, siteId: number, idNumber: string, name: string) {
  const site = await loadSiteEligibility(getDb(), sittingId, siteId);
  const { ref } = await recordRef(idNumber, name);
  return {
    refusal: mayRegister(site, ref),
    kind: isRegistryCandidate(site, ref) ? ("registry" as const) : ("public" as const),
  };
}
