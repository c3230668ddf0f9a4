// "scan.*" messages in English.
import type { scanZhCN } from "../zh-CN/scan";

export const scanEn: Record<keyof typeof scanZhCN, string> = {
  "scan.title": "Card check",
  "scan.invalid":
    "This QR code is not an admission card issued here, or it was altered. Check the candidate's card and identity document.",
  "scan.not_found":
    "The QR code is genuine, but there is no such admission number (the entry may have been cancelled or reallocated).",
  "scan.other_sitting": "This card belongs to {sitting}, not the current sitting.",
  "scan.verified": "Genuine: an admission card issued here.",
  "scan.admission_no": "Admission no.",
  "scan.name": "Name",
  "scan.subject": "Subject",
  "scan.time": "Exam time",
  "scan.room_batch": "Room / batch",
  "scan.seat": "Seat",
  "scan.site": "Site",
};
