// "pw.*" messages in English.
import type { pwZhCN } from "../zh-CN/pw";

export const pwEn: Record<keyof typeof pwZhCN, string> = {
  "pw.policy":
    "At least 8 characters; not a common password or a simple variant of one, and without your login (e-mail name, mobile number) or your name. A few unrelated words with digits and symbols work well.",
  "pw.too_short": "The password is too short: at least 8 characters.",
  "pw.too_long": "The password is too long: at most 128 characters.",
  "pw.contains_login": "The password must not contain your login (the e-mail name or the mobile number).",
  "pw.contains_name": "The password must not contain your name.",
  "pw.common":
    "This is a common password (or a simple variant of one) found in breached-password lists and easy to guess. Choose another.",
  "pw.weak":
    "The password is too easy to guess (sequences, repeats, keyboard patterns or dates). Make it longer, or combine a few unrelated words.",
};
