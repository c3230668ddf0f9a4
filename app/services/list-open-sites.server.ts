import { getDb } from "~db/client";
import { getOrgPath } from "~db/queries/orgs";
import { listOpenSites } from "~db/queries/registrations";
import { findRecordByIdNumber } from "~db/queries/student-records";
import { mayRegister, type StudentRecordRef } from "~/domain/eligibility";
import { normaliseIdNumber } from "~/domain/id-number";
import { matchingRecord } from "~/domain/prefill";

/**
 * CAN-2 + SET-9: the sites open for online registration now, each with whether this ID number may
 * register there (and why not). One record look-up, then the pure rule per site. SR-6/X-4: the
 * record counts only when the name matches too, so an ID number alone answers as if unknown.
 */
export async function listSitesForCandidate(
  sittingId: number,
  person: { idNumber: string; name: string } | null,
  now = new Date(),
) {
  const db = getDb();
  const sites = await listOpenSites(db, sittingId, now);
  let ref: StudentRecordRef | null = null;
  const id = person ? normaliseIdNumber(person.idNumber) : "";
  if (id && person) {
    const record = matchingRecord(await findRecordByIdNumber(db, id), person.name);
    if (record) {
      const province = (await getOrgPath(db, record.org_id)).find((o) => o.level === "province");
      ref = {
        siteId: record.org_id,
        provinceId: province?.id ?? 0,
        eligibleSiteIds: record.eligible_site_ids ?? [record.org_id],
      };
    }
  }
  const provinceIds = [...new Set(sites.map((s) => s.province_id))];
  const preferred = provinceIds.length
    ? new Set(
        (
          await db
            .selectFrom("province_setting")
            .select("org_id")
            .where("sitting_id", "=", sittingId)
            .where("org_id", "in", provinceIds)
            .where("preferred_dates_enabled", "=", true)
            .execute()
        ).map((r) => r.org_id),
      )
    : new Set<number>();
  return sites.map((s) => ({
    ...s,
    refusal: id
      ? mayRegister(
          {
            siteId: s.id,
            provinceId: s.province_id,
            registryEnabled: s.registry_enabled,
            onlyProvinceRegistry: s.only_province_registry,
            onlySiteRegistry: s.only_site_registry,
            crossSiteDisabled: preferred.has(s.province_id),
          },
          ref,
        )
      : null,
  }));
}
