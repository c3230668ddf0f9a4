// "preferred.*" messages in English.
import type { preferredZhCN } from "../zh-CN/preferred";

export const preferredEn: Record<keyof typeof preferredZhCN, string> = {
  "preferred.title": "Preferred exam dates",
  "preferred.enable": "Candidates may choose a preferred exam date",
  "preferred.enable_hint":
    "When on, each site sets how many candidates it accepts per exam day, and cross-site registration is disabled.",
  "preferred.not_enabled": "The province has not enabled preferred exam dates.",
  "preferred.date": "Exam day",
  "preferred.quota": "Candidates accepted",
  "preferred.hint":
    "At least 1 a day, at most half the total capacity a day, and in sum at most the total; only online candidates choose.",
  "preferred.quota_min": "{date}: at least 1.",
  "preferred.quota_half": "{date}: at most half the total capacity ({half}).",
  "preferred.quota_sum": "The sum cannot exceed the total capacity ({total}).",
  "preferred.total_unset": "Set the total capacity first.",
  "preferred.below_taken": "{date}: cannot be below the candidates who already chose it.",
  "preferred.not_exam_day": "{date} is not an exam day of this sitting.",
  "preferred.online_only": "Only online-registered candidates may choose a preferred exam date.",
  "preferred.fixed_after_payment": "The preferred exam date cannot change after payment.",
  "preferred.not_offered": "That date cannot be chosen.",
  "preferred.day_full": "{date} has no preferred-date places left; choose another day or none.",
};
