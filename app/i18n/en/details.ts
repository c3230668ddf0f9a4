// "details.*" messages in English.
import type { detailsZhCN } from "../zh-CN/details";

export const detailsEn: Record<keyof typeof detailsZhCN, string> = {
  "details.title": "Your details",
  "details.province_notice": "Province notice",
  "details.site_notice": "Site notice",
  "details.prefilled":
    "Filled in from the site's student-record registry; please check, and change anything that differs.",
  "details.save": "Save my details",
};
