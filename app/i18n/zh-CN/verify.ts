// "verify.*" messages in Simplified Chinese.
export const verifyZhCN = {
  "verify.code": "验证码",
  "verify.code_hint": "6 位数字，10 分钟内有效",
  "verify.sent": "如果 {target} 可以接收，我们已向它发送了 6 位验证码（10 分钟内有效）。请查收并在下面输入。",
  "verify.resend": "没收到？重新填写",
  "verify.code_wrong": "验证码不正确或已失效。",
  "verify.code_expired": "验证码已过期（10 分钟），请重新获取。",
  "verify.too_many_attempts": "验证码输错次数过多，请重新获取。",
  "verify.too_many_sends": "向该账号发送验证码过于频繁，请 1 小时后再试。",
  "verify.too_many_from_ip": "您所在的网络请求验证码过于频繁，请稍后再试。",
  "verify.sms_unavailable": "本系统暂不能发送短信验证码，请使用电子邮箱。",
  "verify.submit": "确认",
} as const;
