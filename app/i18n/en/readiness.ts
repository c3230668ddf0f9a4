// "readiness.*" messages in English.
import type { readinessZhCN } from "../zh-CN/readiness";

export const readinessEn: Record<keyof typeof readinessZhCN, string> = {
  "readiness.reg.title": "Registration and before the exam: still open",
  "readiness.reg.open_items": "Open items",
  "readiness.reg.unpaid_entries":
    "{count} unpaid entries ({candidates, plural, one {# candidate} other {# candidates}})",
  "readiness.reg.pending_review": "{count, plural, one {# registration} other {# registrations}} pending review",
  "readiness.reg.missing_photos": "{count, plural, one {# candidate} other {# candidates}} without a photo",
  "readiness.reg.no_batches":
    "{count, plural, one {# paid entry waits} other {# paid entries wait}} for rooms and batches",
  "readiness.reg.unallocated_entries": "{count, plural, one {# paid entry} other {# paid entries}} not allocated",
  "readiness.reg.numbers_missing":
    "{count, plural, one {# allocated entry} other {# allocated entries}} without an admission number",
  "readiness.reg.cards_missing": "Admission cards not generated",
  "readiness.reg.cards_stale": "Admission cards out of date (data changed since): generate again",
  "readiness.reg.cbt_missing": "CBT data not generated",
  "readiness.reg.cbt_stale": "CBT data out of date (data changed since): generate again",
  "readiness.reg.photo_package_missing": "Photo package not generated",
  "readiness.reg.photo_package_stale": "Photo package out of date (data changed since): generate again",
  "readiness.reg.sign_in_missing": "Sign-in sheets not generated",
  "readiness.reg.sign_in_stale": "Sign-in sheets out of date (data changed since): generate again",
  "readiness.title": "Before registration can open",
  "readiness.ready": "Ready: pre-registration setup is complete.",
  "readiness.not_open": "This site does not open this sitting.",
  "readiness.rollup": "{ready} of {total, plural, one {# site} other {# sites}} are ready.",
  "readiness.missing": "Missing",
  "readiness.item.fees_not_set": "Fees not set",
  "readiness.item.no_subject": "No offered subject",
  "readiness.item.capacity_not_set": "Capacity not set",
  "readiness.item.address_missing": "Site address missing",
  "readiness.item.online_window_not_set": "Online-registration window not set",
  "readiness.subjects_closed": "(subjects {codes} are not open to candidates until then)",
};
