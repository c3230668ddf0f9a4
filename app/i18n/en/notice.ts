// "notice.*" messages in English.
import type { noticeZhCN } from "../zh-CN/notice";

export const noticeEn: Record<keyof typeof noticeZhCN, string> = {
  "notice.title": "Registration notices",
  "notice.province": "Province notice ({name})",
  "notice.site_current": "Current site notice",
  "notice.province_current": "Current province notice",
  "notice.new": "New notice",
  "notice.hint":
    "Saving replaces the current notice, which candidates see on the registration pages; saving an empty notice removes it.",
  "notice.updated_at": "Updated {at}",
  "notice.wrong_level": "Only provinces and sites set registration notices.",
  "notice.too_long": "A notice has at most {max} characters.",
};
