// "sitting.*" messages in English.
import type { sittingZhCN } from "../zh-CN/sitting";

export const sittingEn: Record<keyof typeof sittingZhCN, string> = {
  "sitting.viewing": "Sitting",
  "sitting.current": "current",
  "sitting.past": "past sitting",
  "sitting.past_banner": "You are viewing a past sitting ({code}): you can search and export, but not change anything.",
  "sitting.read_only": "Sitting {code} is a past sitting; its data cannot be changed.",
  "sitting.code": "Sitting code",
  "sitting.name": "Name",
  "sitting.dates": "Exam dates",
  "sitting.starts_on": "First day",
  "sitting.ends_on": "Last day",
  "sitting.switch": "Switch to this sitting",
  "sitting.viewing_now": "Viewing",
  "sitting.create": "Create sitting",
  "sitting.create_confirm":
    "The new sitting becomes current and the present one becomes a read-only past sitting. Continue?",
  "sitting.create_hint":
    "The new sitting copies the current sitting's organisation info, enablement and users; time windows are set anew.",
  "sitting.created": "Sitting created and made current: {orgs} organisations and {users} users copied.",
  "sitting.code.format": "A sitting code has 2 digits.",
  "sitting.code.taken": "Sitting code {code} already exists.",
  "sitting.name_required": "Enter the sitting's name.",
  "sitting.date_format": "Dates are written YYYY-MM-DD.",
  "sitting.end_before_start": "The last day cannot be before the first day.",
  "sitting.not_found": "No such sitting.",
};
