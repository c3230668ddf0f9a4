// "login.*" messages in English.
import type { loginZhCN } from "../zh-CN/login";

export const loginEn: Record<keyof typeof loginZhCN, string> = {
  "login.subtitle": "Log in with your e-mail or mobile number",
  "login.login": "E-mail or mobile number",
  "login.login_placeholder": "name@example.com or 13800000000",
  "login.password": "Password",
  "login.submit": "Log in",
};
