// "forgot.*" messages in Simplified Chinese.
export const forgotZhCN = {
  "forgot.link": "忘记密码",
  "forgot.title": "找回密码",
  "forgot.subtitle": "输入注册时的电子邮箱或手机号，我们会向它发送验证码，验证后即可设置新密码。",
  "forgot.send": "发送验证码",
  "forgot.new_password": "新密码",
  "forgot.submit": "设置新密码",
  "forgot.done": "密码已重设，所有已登录的设备均已退出。请用新密码登录。",
  "forgot.back_to_login": "返回登录",
} as const;
