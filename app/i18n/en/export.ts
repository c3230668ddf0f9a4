// "export.*" messages in English.
import type { exportZhCN } from "../zh-CN/export";

export const exportEn: Record<keyof typeof exportZhCN, string> = {
  "export.title": "Export search results' entries",
  "export.hint":
    "Exports the site code, name, last 4 characters of the ID number, class and subject of every search result, one row per entry; a candidate without entries gets one row. Exporting has no time limit; it runs in the background, so you can leave this page and come back for the file.",
  "export.count_all": "{count, plural, one {# candidate} other {# candidates}} in all.",
  "export.count_filtered": "{count, plural, one {# candidate} other {# candidates}} match the search.",
  "export.back": "Back to candidate management",
  "export.start": "Export the entries of {count, plural, one {# candidate} other {# candidates}}",
  "export.recent": "My recent exports",
  "export.none": "No exports yet.",
  "export.file": "Search results entries export",
  "export.sheet": "Candidate entries",
  "export.progress": "{done} / {total, plural, one {# candidate} other {# candidates}}",
  "export.progress_rows": "{done} / {total, plural, one {# row} other {# rows}}",
  "export.col.seq": "Candidate no.",
  "export.col.name": "Name",
  "export.col.id_last4": "ID number (last 4)",
  "export.col.site": "Site code",
  "export.col.class": "Class",
  "export.col.subject": "Subject",
  "export.col.entry_count": "Entries",
  "export.col.entry_seq": "Entry no.",
};
