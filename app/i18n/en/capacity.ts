// "capacity.*" messages in English.
import type { capacityZhCN } from "../zh-CN/capacity";

export const capacityEn: Record<keyof typeof capacityZhCN, string> = {
  "capacity.total": "Total entries (total capacity)",
  "capacity.remaining": "Remaining",
  "capacity.unlimited": "Unlimited",
  "capacity.not_offered": "Not offered",
  "capacity.change": "Change numbers",
  "capacity.hint":
    "Total at least 100; a subject capacity of 0 means not offered; 99999 means unlimited; never below the entries already taken.",
  "capacity.site_closed": "The site does not open this sitting, so its capacity is void.",
  "capacity.total_range": "The total must be a whole number from 100 to 99999.",
  "capacity.subject_range": "Subject {subject}'s capacity must be a whole number from 0 to 99999.",
  "capacity.below_taken": "A capacity cannot be below the entries already taken ({taken}).",
  "capacity.quotas_exceed": "The new total conflicts with the preferred-date quotas ({date}); adjust those first.",
};
