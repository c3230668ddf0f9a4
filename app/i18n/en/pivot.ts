import type { pivotZhCN } from "../zh-CN/pivot";

// "pivot.*" messages in English.
export const pivotEn: Record<keyof typeof pivotZhCN, string> = {
  "pivot.title": "General statistics",
};
