// "form.*" messages in English.
import type { formZhCN } from "../zh-CN/form";

export const formEn: Record<keyof typeof formZhCN, string> = {
  "form.invalid": "The form is incomplete or not in the expected format.",
};
