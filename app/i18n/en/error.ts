// "error.*" messages in English.
import type { errorZhCN } from "../zh-CN/error";

export const errorEn: Record<keyof typeof errorZhCN, string> = {
  "error.title": "Something went wrong",
  "error.unexpected": "An unexpected error occurred. Please try again later.",
  "error.not_found": "Page not found.",
  "error.home": "Back to the home page",
};
