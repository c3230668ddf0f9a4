// "signup.*" messages in Simplified Chinese.
export const signupZhCN = {
  "signup.title": "注册账号",
  "signup.subtitle": "用电子邮箱或手机号注册考生账号，注册后即可网上报名。",
  "signup.login": "电子邮箱或手机号",
  "signup.name": "姓名",
  "signup.submit": "注册",
  "signup.have_account": "已有账号？",
  "signup.no_account": "还没有账号？",
  "signup.welcome": "注册成功，欢迎！您的账号是 {login}。请按下面的提示开始报名。",
  "signup.name_required": "请填写姓名（不超过 50 个字）。",
  "signup.login_format": "请填写有效的电子邮箱，或 11 位大陆手机号。",
} as const;
