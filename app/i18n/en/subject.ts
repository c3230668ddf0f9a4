// "subject.*" messages in English.
import type { subjectZhCN } from "../zh-CN/subject";

export const subjectEn: Record<keyof typeof subjectZhCN, string> = {
  "subject.unknown": "Subject {code} does not exist or is retired.",
  "subject.not_offered_above": "Subject {code} is not offered by the superior.",
  "subject.range_order": "Wrong dates: the last day cannot be before the first.",
  "subject.range_outside": "Subject {code}'s dates must lie inside the superior's range ({from} to {to}).",
  "subject.already_offered": "Subject {code} is already offered; to change its dates delete and re-add it.",
  "subject.not_offered": "Subject {code} is not offered.",
  "subject.used_below": "A subordinate offers subject {code}; it cannot be deleted.",
  "subject.has_capacity": "Subject {code} has a capacity; set it to 0 first.",
  "subject.has_entries": "Candidates have entered subject {code}; it cannot be deleted.",
};
