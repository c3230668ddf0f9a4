// "account.*" messages in English.
import type { accountZhCN } from "../zh-CN/account";

export const accountEn: Record<keyof typeof accountZhCN, string> = {
  "account.signup.code_title": "Enter the code",
  "account.signup.proof_note":
    "We send a code to your e-mail or mobile; the account is created once you enter it, which proves the address is yours.",
};
