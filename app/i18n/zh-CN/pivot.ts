// "pivot.*" messages in Simplified Chinese (STAT-1: 通用统计).
export const pivotZhCN = {
  "pivot.title": "通用统计",
};
