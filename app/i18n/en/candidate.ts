// "candidate.*" messages in English.
import type { candidateZhCN } from "../zh-CN/candidate";

export const candidateEn: Record<keyof typeof candidateZhCN, string> = {
  "candidate.welcome": "Hello, {name}",
  "candidate.account": "Account: {login}",
  "candidate.sitting": "Current sitting: ({code}) {name}",
  "candidate.next": "Once a site opens online registration, you register, pay and print your admission card here.",
};
