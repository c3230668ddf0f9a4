// "card.*" messages in English.
import type { cardZhCN } from "../zh-CN/card";

export const cardEn: Record<keyof typeof cardZhCN, string> = {
  "card.title_suffix": "Admission card",
  "card.admissionNo": "Admission no.",
  "card.name": "Name",
  "card.gender": "Gender",
  "card.idType": "ID type",
  "card.idNumber": "ID number",
  "card.subject": "Subject",
  "card.examDate": "Exam date",
  "card.examTime": "Exam time",
  "card.roomSeat": "Room / seat",
  "card.site": "Site: ",
  "card.address": "Address: ",
  "card.no_photo": "No photo",
  "card.refused_site": "This site does not let candidates print their own cards; collect yours from the site.",
  "card.refused_not_yet": "The card can be downloaded from {from}.",
  "card.refused_no_number":
    "You have no admission number yet: the card can be downloaded once allocation is done and numbers are generated.",
  "card.file": "admission-card",
  "card.download": "Download the admission card (PDF)",
  "card.calibration": "← this line must measure 100 mm",
};
