// "auth.*" messages in Simplified Chinese.
export const authZhCN = {
  "auth.otp_expired": "这个一次性密码已过期（有效期 14 天）。请联系您的考点重新生成一次性密码。",
  "auth.throttled_seconds": "尝试次数过多，请 {seconds} 秒后再试。",
  "auth.throttled_minutes": "尝试次数过多，请 {minutes} 分钟后再试。",
  "auth.invalid": "账号或密码错误。",
  "auth.locked": "登录失败次数过多，请 {minutes} 分钟后再试。",
  "auth.no_org": "该账号在当前考次未绑定任何机构，请联系上级管理员。",
  "auth.org_disabled": "您的机构在当前考次未启用，无法登录后台，请联系上级管理员。",
} as const;
