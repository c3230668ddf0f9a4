// "checkin.*" messages in English.
import type { checkinZhCN } from "../zh-CN/checkin";

export const checkinEn: Record<keyof typeof checkinZhCN, string> = {
  "checkin.title": "Check-in",
  "checkin.hint":
    "Choose the room and batch you invigilate (this device remembers it), then scan the QR code on each admission card or type the admission number. A candidate in the wrong room or batch is shown in red.",
  "checkin.post": "My room and batch",
  "checkin.post_none": "(any room)",
  "checkin.choose": "Choose",
  "checkin.scan": "Scan cards",
  "checkin.manual": "Check in by admission number",
  "checkin.admission_no": "Admission number",
  "checkin.submit": "Check in",
  "checkin.counts": "{expected} expected, {present} checked in, {rest}",
  "checkin.not_yet": "{count} not yet",
  "checkin.absent": "{count} absent (the batch is over)",
  "checkin.col_seat": "Seat",
  "checkin.col_name": "Name",
  "checkin.col_no": "Admission number",
  "checkin.col_state": "Check-in",
  "checkin.present_at": "at {at} ({by})",
  "checkin.not_checked": "not yet",
  "checkin.done": "Checked in: {name}, {at}.",
  "checkin.already": "{name} was checked in at {at} ({by}); nothing to do.",
  "checkin.verdict.ok": "Right room and batch.",
  "checkin.verdict.other_sitting": "This card is not for the current sitting: it cannot be checked in.",
  "checkin.verdict.wrong_site": "This candidate does not sit at this site: not checked in.",
  "checkin.verdict.not_allocated": "This candidate has no room yet: not checked in.",
  "checkin.verdict.wrong_room": "Wrong room: this candidate sits in {place}.",
  "checkin.verdict.wrong_batch": "Wrong batch: this candidate sits in {place}.",
  "checkin.not_found": "No such admission number.",
  "checkin.no_batch": "No such batch.",
  "checkin.scan_title": "Scan admission cards",
  "checkin.scan_hint": "Hold the card's QR code in the frame; the candidate opens once it is read.",
  "checkin.camera_denied":
    "The camera cannot be used: {reason}. Allow this page to use the camera, or type the admission number.",
  "checkin.foreign_code": "This QR code is not an admission card of this system.",
  "checkin.batch_not_ended":
    "This batch has not ended yet: candidates never checked in can be marked absent once it has.",
  "checkin.mark_absent": "Mark {count, plural, one {# candidate} other {# candidates}} never checked in absent",
  "checkin.mark_absent_confirm":
    "Record {count, plural, one {# candidate} other {# candidates}} of this batch never checked in as absent? You can undo it inside the violations window.",
  "checkin.marked_absent": "{count, plural, one {# candidate} other {# candidates}} recorded as absent.",
  "checkin.undo_absent": "Undo marking absent ({count})",
  "checkin.undo_absent_confirm":
    "Undo {count, plural, one {the # absence} other {the # absences}} this batch's roll call recorded? Those changed since stay.",
  "checkin.undone_absent": "{count, plural, one {# absence} other {# absences}} undone.",
  "checkin.absent_recorded": "Absent (recorded)",
  "checkin.violation_recorded": "Violation recorded: {kind}",
  "checkin.roll_call_hint": "Marking absent is done by a site administrator inside the violations window.",
};
