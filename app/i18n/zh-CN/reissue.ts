// "reissue.*" messages in Simplified Chinese.
export const reissueZhCN = {
  "reissue.explain":
    "考生忘记密码且无法通过验证码找回时，可为其重新生成一次性密码（14 天内有效）。原密码立即失效，考生的所有登录会话结束，首次登录须设置新密码。此操作记入审计日志。",
  "reissue.button": "重新生成一次性密码",
  "reissue.confirm": "确定为该考生重新生成一次性密码吗？原密码将立即失效。",
  "reissue.done": "已为账号 {login} 生成新的一次性密码（只显示这一次，请抄下交给考生本人）：",
  "reissue.expires": "有效期至 {at}。",
  "reissue.no_account": "该报名没有关联考生账号。",
  "reissue.site_only": "只有考生所在考点的管理员可以重新生成一次性密码。",
} as const;
