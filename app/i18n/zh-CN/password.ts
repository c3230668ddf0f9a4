// "password.*" messages in Simplified Chinese.
export const passwordZhCN = {
  "password.title": "修改密码",
  "password.current": "当前密码",
  "password.next": "新密码",
  "password.confirm": "确认新密码",
  "password.submit": "修改密码",
  "password.forced": "这是一次性密码，首次登录必须设置新密码后才能继续。",
  "password.current_wrong": "当前密码不正确。",
  "password.mismatch": "两次输入的新密码不一致。",
  "password.same": "新密码不能与当前密码相同。",
  "password.changed": "密码已修改。",
} as const;
