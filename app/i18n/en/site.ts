// "site.*" messages in English.
import type { siteZhCN } from "../zh-CN/site";

export const siteEn: Record<keyof typeof siteZhCN, string> = {
  "site.title": "Choose a test site",
  "site.id_hint": "Your ID number comes first: where you may register depends on your student record.",
  "site.find": "Find sites I can register at",
  "site.province": "Province",
  "site.all_provinces": "All provinces",
  "site.search": "Site name, code or city",
  "site.count": "Sites taking online registrations: {count}",
  "site.until": "Online registration ends {to}",
  "site.max": "at most {max, plural, one {# subject} other {# subjects}}",
  "site.review": "reviewed",
  "site.choose": "Register at this site",
  "site.current": "Your site",
  "site.more": "Showing the first {shown}; type a name to narrow the list.",
};
