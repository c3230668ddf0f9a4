// "verify.*" messages in English.
import type { verifyZhCN } from "../zh-CN/verify";

export const verifyEn: Record<keyof typeof verifyZhCN, string> = {
  "verify.code": "Verification code",
  "verify.code_hint": "6 digits, valid for 10 minutes",
  "verify.sent": "If {target} can receive it, we have sent it a 6-digit code (valid for 10 minutes). Enter it below.",
  "verify.resend": "Nothing arrived? Start again",
  "verify.code_wrong": "The code is wrong or no longer valid.",
  "verify.code_expired": "The code has expired (10 minutes): ask for a new one.",
  "verify.too_many_attempts": "Too many wrong codes: ask for a new one.",
  "verify.too_many_sends": "Too many codes were sent to this address: try again in an hour.",
  "verify.too_many_from_ip": "Too many codes were requested from your network: try again later.",
  "verify.sms_unavailable": "This portal cannot send text messages yet: use an e-mail address.",
  "verify.submit": "Confirm",
};
