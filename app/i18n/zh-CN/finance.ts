// "finance.*" messages in Simplified Chinese (FIN-2: 支付统计与对账, 退费).
export const financeZhCN = {
  "finance.title": "财务",
  "finance.payments_title": "支付统计与对账",
  "finance.refunds_title": "退费管理",
};
