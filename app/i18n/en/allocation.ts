// "allocation.*" messages in English.
import type { allocationZhCN } from "../zh-CN/allocation";

export const allocationEn: Record<keyof typeof allocationZhCN, string> = {
  "allocation.title": "Allocation",
  "allocation.hint":
    "Automatic allocation gives every paid entry of this site a batch and a seat: one candidate's entries never overlap and are at least 15 minutes apart, and no batch is over capacity. It first seats as many entries as possible, then puts as many candidates as possible on their preferred date.",
  "allocation.preconditions": "Before allocating",
  "allocation.ready": "Everything needed for allocation is in place.",
  "allocation.unpaid":
    "{count, plural, one {# entry is} other {# entries are}} still unpaid; allocation waits until every entry is paid.",
  "allocation.address_missing": "The site address is missing (it prints on admission cards).",
  "allocation.no_batches": "There are no batches yet.",
  "allocation.fix_unpaid": "Go to Candidates",
  "allocation.fix_address": "Enter the site address",
  "allocation.fix_batches": "Go to Rooms",
  "allocation.run": "Allocate automatically",
  "allocation.run_confirm": "Automatic allocation replaces the site's whole current allocation. Go on?",
  "allocation.clear": "Clear the whole allocation",
  "allocation.clear_confirm": "Clear the site's whole allocation?",
  "allocation.cleared": "The allocation of {count, plural, one {# entry} other {# entries}} was cleared.",
  "allocation.by_subject": "By subject",
  "allocation.subject": "Subject",
  "allocation.total": "Entries",
  "allocation.paid": "Paid",
  "allocation.unpaid_col": "Unpaid",
  "allocation.allocated": "Allocated",
  "allocation.unallocated": "Not allocated",
  "allocation.preferred": "With a preferred date",
  "allocation.on_date": "On the preferred date",
  "allocation.off_date": "Off the preferred date",
  "allocation.no_entries": "This site has no entries.",
  "allocation.last_run": "Last automatic allocation ({at}, took {ms} ms)",
  "allocation.result":
    "{placed} of {total, plural, one {# entry has} other {# entries have}} a seat; on their preferred date: {onDate} of {preferred, plural, one {# entry} other {# entries}} that asked for one.",
  "allocation.optimal":
    "This is optimal: no allocation seats more entries, and none seating as many puts more candidates on their preferred date.",
  "allocation.below_bound":
    "The timetable is irregular (batches overlap or are under 15 minutes apart): {placed} seated where at most {bound} could be.",
  "allocation.unplaced_title": "Entries not allocated ({count})",
  "allocation.reason.full":
    "Every seat at the times it fits is taken, or they clash with the candidate's other entries",
  "allocation.reason.no_batch": "No batch can hold this subject (exam dates or duration)",
  "allocation.candidate": "Candidate",
  "allocation.reason": "Reason",
  "allocation.progress": "Allocating",
};
