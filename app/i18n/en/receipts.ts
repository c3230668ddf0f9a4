import type { receiptsZhCN } from "../zh-CN/receipts";

// "receipts.*" messages in English (DOC-7).
export const receiptsEn: Record<keyof typeof receiptsZhCN, string> = {
  "receipts.title": "Certificate receipt forms",
  "receipts.hint":
    "Once scores are imported, generate the certificate receipt forms of the candidates who passed, by class or by room (one PDF each, with certificate numbers and columns to sign and date on collection). Generated inside the post-exam downloads window.",
  "receipts.by_class": "By class",
  "receipts.by_room": "By room",
  "receipts.class_file": "certificate-receipts-by-class",
  "receipts.room_file": "certificate-receipts-by-room",
  "receipts.none_passed": "No passing scores at this site yet: there are no certificate receipt forms to make.",
  "receipts.pdf_title": "Certificate receipt form",
  "receipts.group": "Class / room: ",
  "receipts.no": "No.",
  "receipts.certificate_no": "Certificate number",
  "receipts.signature": "Signature",
  "receipts.date": "Date",
  "receipts.footer":
    "{count, plural, one {# candidate} other {# candidates}}. Check the ID document and sign on collection.",
  "receipts.no_class": "no class",
  "receipts.room": "room {room}",
};
