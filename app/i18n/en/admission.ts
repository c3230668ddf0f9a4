// "admission.*" messages in English.
import type { admissionZhCN } from "../zh-CN/admission";

export const admissionEn: Record<keyof typeof admissionZhCN, string> = {
  "admission.title": "Admission numbers",
  "admission.hint":
    "Once every entry of the site is allocated, generate the admission numbers. Generating again keeps the number of every entry whose allocation did not change; a number once given is never used again.",
  "admission.format": "Number format: {format} (subject + sitting + site + room + serial)",
  "admission.status_done":
    "Admission numbers are generated: {numbered, plural, one {the # entry has one} other {all # entries have one}}.",
  "admission.status_unallocated":
    "Serial not generated: {count, plural, one {# entry is} other {# entries are}} not allocated yet.",
  "admission.status_missing":
    "Serial not generated: {count, plural, one {# allocated entry has} other {# allocated entries have}} no number yet or moved since; generate them.",
  "admission.status_none": "This site has no entries.",
  "admission.generated_at": "Last generated: {at}",
  "admission.generate": "Generate admission numbers",
  "admission.generated": "Generated: {fresh} new numbers, {kept} kept.",
  "admission.no_entries": "This site has no entries; there is nothing to number.",
  "admission.not_all_allocated":
    "{count, plural, one {# entry is} other {# entries are}} not allocated (or not paid); allocate every entry first.",
  "admission.overflow":
    "The site needs {count} serials, more than a {width}-digit serial holds; ask the deployment to widen the serial in the number format.",
  "admission.go_allocation": "Go to Allocation",
};
