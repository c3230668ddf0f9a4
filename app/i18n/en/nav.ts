// "nav.*" messages in English.
import type { navZhCN } from "../zh-CN/nav";

export const navEn: Record<keyof typeof navZhCN, string> = {
  "nav.status": "See my registration",
  "nav.group.registry": "Student records",
  "nav.menu": "Menu",
  "nav.home": "Home",
  "nav.group.basic": "Basic settings",
  "nav.orgs": "Users and organisations",
  "nav.windows": "Time windows",
  "nav.sittings": "Sittings",
  "nav.audit": "Audit log",
  "nav.logout": "Log out",
  "nav.group.registration": "Registration management",
  "nav.group.cbt": "CBT data",
  "nav.group.reports": "Reports",
  "nav.group.exam_day": "Exam day",
  "nav.group.violations": "Violations",
  "nav.group.scores": "Scores",
  "nav.group.allocation": "Allocation",
  "nav.group_import": "Group registration import",
  "nav.photo_import": "Photo import",
  "nav.photo_check": "Photo check",
  "nav.group_payment": "Group payment",
  "nav.stats": "Registration statistics",
  "nav.group.pre_registration": "Pre-registration setup",
};
