// "forgot.*" messages in English.
import type { forgotZhCN } from "../zh-CN/forgot";

export const forgotEn: Record<keyof typeof forgotZhCN, string> = {
  "forgot.link": "Forgot password",
  "forgot.title": "Recover your password",
  "forgot.subtitle":
    "Enter the e-mail or mobile number you signed up with; we send it a code, and after it you set a new password.",
  "forgot.send": "Send code",
  "forgot.new_password": "New password",
  "forgot.submit": "Set new password",
  "forgot.done": "Your password has been reset and every device was logged out. Log in with the new password.",
  "forgot.back_to_login": "Back to login",
};
