// "home.*" messages in English.
import type { homeZhCN } from "../zh-CN/home";

export const homeEn: Record<keyof typeof homeZhCN, string> = {
  "home.welcome": "Welcome to the exam administration system",
  "home.basic_info": "Basic information",
  "home.org": "Organisation",
  "home.role": "Role",
  "home.sitting": "Sitting",
  "home.enabled": "Enabled in this sitting",
  "home.subordinates": "Subordinate organisations",
  "home.subordinates_count": "{total} in total, {enabled} enabled",
  "home.windows": "Time windows",
  "home.windows_hint":
    "Time windows are set by your superior. Outside its window a module is read-only: you can search, view and export, but not add, change or delete.",
};
