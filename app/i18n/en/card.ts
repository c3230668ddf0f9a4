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
  "card.calibration": "← this line must measure 100 mm",
};
