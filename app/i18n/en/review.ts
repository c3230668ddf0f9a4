// "review.*" messages in English.
import type { reviewZhCN } from "../zh-CN/review";

export const reviewEn: Record<keyof typeof reviewZhCN, string> = {
  "review.submit": "Submit for review",
  "review.submit_hint": "Submitting locks your registration while the site reviews it; you can pay once it passes.",
  "review.submitted": "Submitted for review. Please wait for the site's decision.",
  "review.not_required": "This site does not review registrations; you can pay directly.",
  "review.already_pending": "Your registration is already under review.",
  "review.already_passed": "Your registration has passed review.",
  "review.new_photo_needed": "Your photo failed review: upload a new photo before submitting again.",
  "review.pass_pending_only": "Only a registration awaiting review can be passed.",
  "review.fail_pending_or_passed": "Only a registration awaiting review or passed can be failed.",
  "review.reason_required": "Give the reason for failing it.",
  "review.type.photo": "photo problem",
  "review.type.personal": "personal-data problem",
  "review.type.other": "other problem",
};
