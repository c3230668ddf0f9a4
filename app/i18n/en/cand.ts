// "cand.*" messages in English.
import type { candZhCN } from "../zh-CN/cand";

export const candEn: Record<keyof typeof candZhCN, string> = {
  "cand.nav.label": "Registration steps",
  "cand.nav.status": "Status",
  "cand.nav.site": "Site",
  "cand.nav.details": "Details",
  "cand.nav.photo": "Photo",
  "cand.nav.entries": "Subjects",
  "cand.nav.pay": "Pay",
};
