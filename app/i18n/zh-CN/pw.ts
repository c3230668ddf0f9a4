// "pw.*" messages in Simplified Chinese.
export const pwZhCN = {
  "pw.policy":
    "密码至少 8 位；不能是常见密码或其简单变形，不能包含登录账号（邮箱用户名、手机号）或姓名。建议用几个不相关的词加数字和符号。",
  "pw.too_short": "密码太短：至少需要 8 位。",
  "pw.too_long": "密码太长：最多 128 位。",
  "pw.contains_login": "密码不能包含您的登录账号（邮箱用户名或手机号）。",
  "pw.contains_name": "密码不能包含您的姓名。",
  "pw.common": "这是常见密码（或其简单变形），已出现在泄露密码清单中，很容易被猜到。请换一个。",
  "pw.weak": "密码太容易被猜到（如连续、重复或键盘上相邻的字符、日期）。请加长，或用几个不相关的词组合。",
} as const;
