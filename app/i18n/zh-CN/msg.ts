// "msg.*" messages in Simplified Chinese.
export const msgZhCN = {
  "msg.signup.subject": "考务系统注册验证码 {code}",
  "msg.signup.body":
    "您的注册验证码是 {code}，10 分钟内有效。如果不是您本人操作，请忽略本消息。\nYour Kaowu sign-up code is {code}; it is valid for 10 minutes. If you did not ask for it, ignore this message.",
  "msg.signup_existing.subject": "有人尝试用您的账号注册考务系统",
  "msg.signup_existing.body":
    '刚才有人用您的邮箱或手机号（{target}）尝试注册考务系统，但它已有账号，所以没有新建账号。如果是您本人，请直接登录；忘记密码可在登录页点“忘记密码”。\nSomeone just tried to sign up to Kaowu with your address ({target}), which already has an account, so nothing was created. If it was you, log in, or use "Forgot password" on the login page.',
  "msg.recover.subject": "考务系统找回密码验证码 {code}",
  "msg.recover.body":
    "您的找回密码验证码是 {code}，10 分钟内有效。如果不是您本人操作，请忽略本消息，您的密码不会改变。\nYour Kaowu password-recovery code is {code}; it is valid for 10 minutes. If you did not ask for it, ignore this message: your password stays as it is.",
  "msg.recovered.subject": "您的考务系统密码已重设",
  "msg.recovered.body":
    "您的密码刚刚通过验证码重设，所有已登录的设备均已退出。如果不是您本人操作，请立即找回密码并联系考点。\nYour Kaowu password was just reset with a code and every session was ended. If it was not you, recover your password at once and contact your site.",
  "msg.reissued.subject": "考点为您重新生成了考务系统一次性密码",
  "msg.reissued.body":
    "{site} 为您的账号重新生成了一次性密码，原密码已失效，所有已登录的设备均已退出。请向考点领取一次性密码，登录后设置新密码。\n{site} issued a new one-time password for your Kaowu account; the old password no longer works and every session was ended. Get the one-time password from your site and set a new password after logging in.",
} as const;
