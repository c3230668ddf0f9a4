// "accounts.*" messages in Simplified Chinese (FIN-1: 分账账户管理).
export const accountsZhCN = {
  "accounts.title": "分账账户管理",
};
