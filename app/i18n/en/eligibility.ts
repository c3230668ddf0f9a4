// "eligibility.*" messages in English.
import type { eligibilityZhCN } from "../zh-CN/eligibility";

export const eligibilityEn: Record<keyof typeof eligibilityZhCN, string> = {
  "eligibility.registry_enabled": "Student-record registry enabled",
  "eligibility.only_province_registry": "Only this province's registry candidates",
  "eligibility.only_site_registry": "Only this site's registry candidates",
  "eligibility.effect.off": "Registry off: every candidate may register here.",
  "eligibility.effect.00": "Public candidates may register; registry candidates where their record allows.",
  "eligibility.effect.10":
    "Public candidates may not register; this province's registry candidates where their record allows.",
  "eligibility.effect.11": "Only this site's registry candidates may register.",
  "eligibility.effect.01": "Only this site's registry candidates may register.",
  "eligibility.other_province":
    "Candidates with records in another province are not restricted by these settings; they count as public candidates.",
  "eligibility.public_refused": "This site accepts only this province's registry candidates.",
  "eligibility.site_registry_only": "This site accepts only its own registry candidates.",
  "eligibility.not_eligible_site": "Your student record does not allow registering at this site.",
  "eligibility.cross_site_disabled":
    "Preferred exam dates are on in this province, so no one registers across sites: a registry candidate registers only at the site holding the record.",
};
