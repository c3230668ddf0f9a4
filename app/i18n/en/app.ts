// "app.*" messages in English.
import type { appZhCN } from "../zh-CN/app";

export const appEn: Record<keyof typeof appZhCN, string> = {
  "app.name": "Kaowu Exam Administration",
};
