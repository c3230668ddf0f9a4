// "scope.*" messages in English.
import type { scopeZhCN } from "../zh-CN/scope";

export const scopeEn: Record<keyof typeof scopeZhCN, string> = {
  "scope.denied": "You have no access to this organisation's data.",
};
