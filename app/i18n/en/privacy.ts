// "privacy.*" messages in English.
import type { privacyZhCN } from "../zh-CN/privacy";

export const privacyEn: Record<keyof typeof privacyZhCN, string> = {
  "privacy.name_hint":
    "Type your name as on your ID: your student record decides where you may register, and fills in your school details, only when both your name and your ID number match it.",
  "privacy.id_saved": "Your ID number is kept on the server only (never in the page address).",
  "privacy.lookup_limit": "Too many look-ups. Please try again after {time}.",
  "privacy.id_unavailable":
    "This ID number cannot be registered from this account. If it is yours, please contact the site.",
  "privacy.prefilled_school":
    "Your education, department, major, class and student number were filled in from the site's student records; please check them. Please fill in your contact details yourself.",
  "privacy.change_id": "Change ID number or name",
  "privacy.birth_masked": "****-**-**",
  "privacy.id_filter_hint": "The ID number is never put in the page address.",
};
