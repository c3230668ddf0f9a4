// "sheets.*" messages in English.
import type { sheetsZhCN } from "../zh-CN/sheets";

export const sheetsEn: Record<keyof typeof sheetsZhCN, string> = {
  "sheets.sign_in_page": "Sign-in sheets",
  "sheets.chart_page": "Seating charts",
  "sheets.sign_in_hint":
    "Made once allocation is done and admission numbers exist, inside the pre-exam downloads window: one PDF per room and batch listing its candidates in seat order with photo, name, ID number (last four characters only), admission number and subject, and a box for each to sign in.",
  "sheets.chart_hint":
    'Made once allocation is done and admission numbers exist, inside the pre-exam downloads window: one PDF per room and batch drawing its seats as the room is laid out ("seats per row" on the rooms page), each seat with its admission number and name, the front of the room at the top.',
  "sheets.sign_in_file": "sign-in-sheets",
  "sheets.chart_file": "seating-charts",
  "sheets.count":
    "{sheets, plural, one {# room and batch} other {# rooms and batches}}, {candidates, plural, one {# candidate} other {# candidates}}.",
  "sheets.rooms_link": "Change the rooms' seats per row",
  "sheets.sign_in_title": "Sign-in sheet",
  "sheets.chart_title": "Seating chart",
  "sheets.site": "Site: ",
  "sheets.room": "Room: ",
  "sheets.batch": "Batch: ",
  "sheets.time": "Time: ",
  "sheets.seat": "Seat",
  "sheets.photo": "Photo",
  "sheets.name": "Name",
  "sheets.id_number": "ID number",
  "sheets.admission_no": "Admission number",
  "sheets.subject": "Subject",
  "sheets.signature": "Signature",
  "sheets.sign_in_footer":
    "Expected {expected}    Present ______    Absent ______    Invigilators: ____________  ____________",
  "sheets.chart_footer": "{seated} seated this batch, {seats} seats in the room (grey: empty)",
  "sheets.page": "Page {n} of {total}",
  "sheets.front": "FRONT",
};
