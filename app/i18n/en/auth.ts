// "auth.*" messages in English.
import type { authZhCN } from "../zh-CN/auth";

export const authEn: Record<keyof typeof authZhCN, string> = {
  "auth.otp_expired": "This one-time password has expired (it is valid for 14 days). Ask your site to issue a new one.",
  "auth.throttled_seconds": "Too many attempts: try again in {seconds} s.",
  "auth.throttled_minutes": "Too many attempts: try again in {minutes} min.",
  "auth.invalid": "Wrong account or password.",
  "auth.locked": "Too many failed attempts. Try again in {minutes} minutes.",
  "auth.no_org":
    "This account is not bound to any organisation in the current sitting. Ask your superior's administrator.",
  "auth.org_disabled":
    "Your organisation is not enabled in the current sitting, so you cannot enter the admin area. Ask your superior's administrator.",
};
