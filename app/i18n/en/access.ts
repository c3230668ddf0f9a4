// "access.*" messages in English.
import type { accessZhCN } from "../zh-CN/access";

export const accessEn: Record<keyof typeof accessZhCN, string> = {
  "access.denied":
    "Your role cannot see this: finance staff see payments, statistics and the sitting's settings, never candidates' personal data, the audit log or users.",
  "access.not_found": "The file or job does not exist, or you may not see it.",
};
