// "class.*" messages in English.
import type { classZhCN } from "../zh-CN/class";

export const classEn: Record<keyof typeof classZhCN, string> = {
  "class.required": "Choose a class.",
  "class.not_an_option": "Choose a class from the site's options.",
};
