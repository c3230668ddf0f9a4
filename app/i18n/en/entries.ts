// "entries.*" messages in English.
import type { entriesZhCN } from "../zh-CN/entries";

export const entriesEn: Record<keyof typeof entriesZhCN, string> = {
  "entries.title": "Choose subjects",
  "entries.max":
    "At most {max, plural, one {# subject} other {# subjects}} per candidate at this site. Seats left update live.",
  "entries.fee": "fee ¥{fee}",
  "entries.seats_left": "{left} left",
  "entries.seats_full": "Full",
  "entries.seats_unlimited": "Seats available",
  "entries.paying": "Paying",
  "entries.preferred": "Preferred exam date (optional)",
  "entries.preferred_none": "No preference",
  "entries.preferred_hint": "Places per day are limited; change it before you pay if you need to.",
  "entries.total": "{count}/{max, plural, one {# subject} other {# subjects}} chosen, total due ¥{fee}",
  "entries.total_with_person":
    "{count}/{max, plural, one {# subject} other {# subjects}} chosen, total due ¥{fee} (including the per-person fee of ¥{person})",
  "entries.save": "Save subjects",
  "entries.saved": "Subjects saved and seats held for you. Pay soon: unpaid seats are released automatically.",
  "entries.duplicate": "Each subject can be chosen once.",
  "entries.not_offered": "Subject {code} is not offered at this site.",
  "entries.paid_fixed": "Subject {code} is paid and cannot be dropped or changed.",
  "entries.in_payment_batch": "Subject {code} is in your site's group payment batch: it cannot be dropped or changed.",
  "entries.in_payment_batch_short": "Site pays",
  "entries.payment_pending": "Subject {code} is being paid: finish or give up that payment first.",
  "entries.too_many": "At most {max, plural, one {# subject} other {# subjects}} per candidate at this site.",
  "entries.none": "Choose your subjects first.",
  "entries.site_full": "The site's total capacity is used up; nothing was saved.",
  "entries.subject_full": "Subject {code} just filled up; nothing was saved. Please choose another subject.",
  "entries.saved_until":
    "Your subjects are saved and the seats are held for you until {until}; unpaid seats are released after that.",
  "entries.saved_review":
    "Your subjects are saved and the seats are held. This site reviews registrations first: submit for review, and pay once it is passed.",
  "entries.busy_retrying":
    "The system is busy; submitting again by itself… ({n} s). Your choices are kept; there is nothing to redo.",
};
