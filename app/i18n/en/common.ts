// "common.*" messages in English.
import type { commonZhCN } from "../zh-CN/common";

export const commonEn: Record<keyof typeof commonZhCN, string> = {
  "common.cancel": "Cancel",
  "common.choose": "Choose",
  "common.add": "Add",
  "common.back": "Back",
  "common.delete": "Delete",
  "common.edit": "Edit",
  "common.download": "Download",
  "common.go": "Go",
  "common.language": "Language",
  "common.next": "Next",
  "common.prev": "Previous",
  "common.no": "No",
  "common.yes": "Yes",
  "common.not_set": "Not set",
  "common.save": "Save",
  "common.saved": "Saved.",
  "common.search": "Search",
  "common.to": "to",
  "common.total": "{count} in total",
  "common.all": "All",
};
