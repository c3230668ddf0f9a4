// "ccards.*" messages in English.
import type { ccardsZhCN } from "../zh-CN/ccards";

export const ccardsEn: Record<keyof typeof ccardsZhCN, string> = {
  "ccards.title": "Candidates' cards",
  "ccards.hint":
    "After the allocation window ends, pre-generate the cards of the candidates who may print their own (one PDF per candidate, a large card for each subject). Candidates download them on their status page from the card print start; a candidate whose data changed gets a fresh card when downloading.",
  "ccards.pregenerate": "Pre-generate candidates' cards",
  "ccards.pregenerate_again": "Generate the missing and out-of-date cards",
  "ccards.progress": "Generating candidates' cards",
  "ccards.queued": "Generation has started; you can leave this page and come back.",
  "ccards.allocation_open":
    "Candidates' cards are pre-generated after the allocation window ends (rooms and seats may still change inside it).",
  "ccards.self_print_off":
    "This site does not let candidates print their own cards, so there is nothing to pre-generate; change it in the pre-registration settings to allow it.",
  "ccards.check_title": "Check",
  "ccards.check":
    "{candidates, plural, one {# candidate has} other {# candidates have}} admission numbers: {current} current, {stale} out of date (the data changed since), {missing} not generated.",
  "ccards.all_current": "Every candidate's card is generated and current.",
  "ccards.report": "Download the check report (Excel)",
  "ccards.last_run": "Last pre-generation: {made} made, {kept} kept.",
  "ccards.stats_title": "Card downloads by candidates",
  "ccards.stats_export": "Export the statistics (Excel)",
  "ccards.col_subject": "Subject",
  "ccards.col_entries": "Cards",
  "ccards.col_downloaded": "Downloaded",
  "ccards.col_rate": "Share downloaded",
  "ccards.col_downloads": "Downloads",
  "ccards.col_total": "Total",
  "ccards.col_admission_no": "Admission numbers",
  "ccards.col_name": "Name",
  "ccards.col_id": "ID number",
  "ccards.col_state": "Card",
  "ccards.state.current": "current",
  "ccards.state.stale": "out of date",
  "ccards.state.missing": "not generated",
  "ccards.report_sheet": "Candidates' cards check",
  "ccards.stats_sheet": "Downloads",
  "ccards.report_file": "candidate-cards-check",
  "ccards.stats_file": "card-downloads",
  "ccards.no_cards": "No candidate of this site has an admission number yet.",
  "ccards.download_refused": "The card cannot be downloaded now: {reason}",
};
