import type { accountsZhCN } from "../zh-CN/accounts";

// "accounts.*" messages in English.
export const accountsEn: Record<keyof typeof accountsZhCN, string> = {
  "accounts.title": "Settlement accounts",
};
