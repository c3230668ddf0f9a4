// "candidate.*" messages in Simplified Chinese.
export const candidateZhCN = {
  "candidate.welcome": "{name}，您好",
  "candidate.account": "登录账号：{login}",
  "candidate.sitting": "当前考次：({code}) {name}",
  "candidate.next": "考点开放网上报名后，可在此报名、缴费和打印准考证。",
} as const;
