// "password.*" messages in English.
import type { passwordZhCN } from "../zh-CN/password";

export const passwordEn: Record<keyof typeof passwordZhCN, string> = {
  "password.title": "Change password",
  "password.current": "Current password",
  "password.next": "New password",
  "password.confirm": "Confirm new password",
  "password.submit": "Change password",
  "password.forced": "This is a one-time password: set a new password before you continue.",
  "password.current_wrong": "The current password is wrong.",
  "password.mismatch": "The two new passwords differ.",
  "password.same": "The new password must differ from the current one.",
  "password.changed": "Your password has been changed.",
};
