// "cards.*" messages in English.
import type { cardsZhCN } from "../zh-CN/cards";

export const cardsEn: Record<keyof typeof cardsZhCN, string> = {
  "cards.title": "Admission cards",
  "cards.hint":
    'Once allocation is done and admission numbers are generated, the site\'s cards can be generated at any time: one PDF per room (split above 500 cards), in a zip. Print at "actual size" or 100 %, not "fit to page".',
  "cards.small_title": "Small cards",
  "cards.small_hint": "Six cards on each A4 page, to cut along their frames.",
  "cards.large_title": "Large cards",
  "cards.large_hint": "One card on each A4 page, with the candidate instructions and a 100 mm calibration line.",
  "cards.small_file": "Small admission cards",
  "cards.large_file": "Large admission cards",
  "cards.room": "room ",
  "cards.order": "Order",
  "cards.order.admission_no": "By admission number",
  "cards.order.room_seat": "By room and seat",
  "cards.order.class": "By class",
  "cards.order.name": "By name",
  "cards.count": "The site has {count, plural, one {# card} other {# cards}} (one for each subject a candidate sits).",
  "cards.without_photo":
    '{count, plural, one {# of them has} other {# of them have}} no photo; the photo box will say "No photo".',
  "cards.no_cards": "The site has no cards to print yet: allocate the rooms and generate admission numbers first.",
  "cards.not_ready":
    "{count, plural, one {# paid entry has} other {# paid entries have}} no admission number yet: finish allocation and generate admission numbers first.",
  "cards.go_numbers": "Go to admission numbers",
  "cards.missing_chars":
    "The card font lacks {count, plural, one {# character} other {# characters}} ({chars}), which would print blank, so nothing was generated. Check the candidates' names or the site's details listed below, then generate again.",
  "cards.missing_title": "Characters the font lacks",
  "cards.missing_hint":
    "These characters are not in the card font (Noto Sans SC); most are rare characters. Check how the identity document writes them; to use a common form instead, change it in the candidate's details and tell the candidate.",
  "cards.missing_char": "Character",
  "cards.missing_code": "Code point",
  "cards.missing_names": "Candidates or details",
};
