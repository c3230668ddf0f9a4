// "reg.*" messages in English.
import type { regZhCN } from "../zh-CN/reg";

export const regEn: Record<keyof typeof regZhCN, string> = {
  "reg.none": "You have not registered yet: choose a site and fill in your details first.",
  "reg.window_closed": "The site's candidate online registration is not open now; your registration cannot change.",
  "reg.group_view_only":
    "You were registered by your site as part of a group: you can view, pay and print your card; your details change only through the site's group registration.",
  "reg.locked":
    "Your registration is locked (submitted for review or payment started): details, site and photo cannot change; ask your site to unlock it. Subjects can still change until paid.",
  "reg.photo_missing": "Upload your photo first.",
  "reg.id_taken": "This ID number is already registered in this sitting. If that was not you, contact the site.",
  "reg.site_change_entries": "Drop your subjects at the old site before changing site.",
  "reg.site_not_open": "This site is not taking online registrations now.",
  "reg.changed_meanwhile": "Your registration changed meanwhile; reload the page and try again.",
};
