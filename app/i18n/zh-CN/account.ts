// "account.*" messages in Simplified Chinese.
export const accountZhCN = {
  "account.signup.code_title": "输入验证码",
  "account.signup.proof_note": "注册时我们会向邮箱或手机发送验证码，输入验证码后账号才建立，以证明它属于您。",
} as const;
