// "login.*" messages in Simplified Chinese.
export const loginZhCN = {
  "login.subtitle": "使用电子邮箱或手机号登录",
  "login.login": "电子邮箱或手机号",
  "login.login_placeholder": "name@example.com 或 13800000000",
  "login.password": "密码",
  "login.submit": "登录",
} as const;
