// "grouppay.*" messages in English.
import type { grouppayZhCN } from "../zh-CN/grouppay";

export const grouppayEn: Record<keyof typeof grouppayZhCN, string> = {
  "grouppay.title": "Group payment",
  "grouppay.site_only": "Only site administrators can make group payments.",
  "grouppay.disabled": "Group payment is not enabled for this site.",
  "grouppay.disabled_hint":
    "Group payment is not enabled for this site: payment batches cannot be locked or paid; existing payment batches can still be refreshed and deleted.",
  "grouppay.not_found": "No such group payment batch.",
  "grouppay.open_exists":
    "A site locks one group payment batch at a time: until the current payment batch is paid or deleted, no new payment batch can be locked.",
  "grouppay.nothing_payable": "No entries meet the payment conditions for a group payment.",
  "grouppay.fee_missing":
    "Fees of subjects {codes} are not set, so no payment batch can be locked; contact the province.",
  "grouppay.changed": "The entries changed just now; reload the page and try again.",
  "grouppay.already_paid": "This payment batch is already paid.",
  "grouppay.already_deleted": "This payment batch is already deleted.",
  "grouppay.deleted_final": "The payment batch is deleted: it can no longer be paid or refreshed.",
  "grouppay.reason_required": "Give a reason for deleting the payment batch.",
  "grouppay.reason_too_long": "The reason can be at most {max} characters.",
  "grouppay.locked":
    "Payment batch #{id} locked: {candidates, plural, one {# candidate} other {# candidates}}, {entries, plural, one {# entry} other {# entries}}, ¥{amount} in total.",
  "grouppay.refreshed_open": "Refreshed: payment batch #{id} is still unpaid.",
  "grouppay.refreshed_paid": "Refreshed: payment batch #{id} is paid; all its entries are paid.",
  "grouppay.deleted": "Payment batch #{id} deleted; its entries are released.",
  "grouppay.delete_paid": "Refreshing before the deletion found payment batch #{id} paid: it was not deleted.",
  "grouppay.returned_paid": "The group payment is paid: every entry of the payment batch is paid.",
  "grouppay.returned_failed": "The group payment did not go through; you can pay again.",
  "grouppay.pay_opened":
    "The payment page opened in a new window; if it did not, check whether the browser blocked it.",
  "grouppay.open_pay_page": "Open the payment page",
  "grouppay.lock_title": "Lock a group payment batch",
  "grouppay.lock_hint":
    "Locks every unpaid entry matching the criteria that meets the payment conditions (in no other payment batch, the candidate not paying individually, a photo, review passed where required).",
  "grouppay.channel": "Registration channel",
  "grouppay.channel_all": "All",
  "grouppay.channel_online": "Online",
  "grouppay.channel_group": "Group",
  "grouppay.subject": "Subject",
  "grouppay.subject_all": "All subjects",
  "grouppay.class": "Class",
  "grouppay.class_all": "All classes",
  "grouppay.filter": "Search",
  "grouppay.payable":
    "Payable now: {candidates, plural, one {# candidate} other {# candidates}}, {entries, plural, one {# entry} other {# entries}}, per-person fee for {perPerson}; per-person fees ¥{perPersonFee}, subject fees ¥{subjectFee}, total ¥{amount}.",
  "grouppay.gaps": "Unpaid entries that cannot be paid by the site yet:",
  "grouppay.gap_line": "{reason}: {count, plural, one {# entry} other {# entries}}",
  "grouppay.why.paid": "Paid",
  "grouppay.why.in_payment_batch": "In a payment batch",
  "grouppay.why.paying": "Candidate paying individually",
  "grouppay.why.photo_missing": "No photo",
  "grouppay.why.review_pending": "Awaiting review",
  "grouppay.why.review_needed": "Review not passed",
  "grouppay.lock": "Lock a payment batch",
  "grouppay.lock_confirm":
    "Lock a payment batch of {candidates, plural, one {# candidate} other {# candidates}}, {entries, plural, one {# entry} other {# entries}}, ¥{amount} in total? Its entries can then be neither changed nor paid individually.",
  "grouppay.manage_title": "Group payment batches",
  "grouppay.include_paid": "Include paid payment batches",
  "grouppay.include_deleted": "Include deleted payment batches",
  "grouppay.col.id": "Payment batch",
  "grouppay.col.status": "Status",
  "grouppay.col.candidates": "Candidates",
  "grouppay.col.entries": "Entries",
  "grouppay.col.per_person_count": "Per-person fees (candidates)",
  "grouppay.col.subjects": "Subjects paid for",
  "grouppay.col.per_person_fee": "Per-person fees (¥)",
  "grouppay.col.subject_fee": "Subject fees (¥)",
  "grouppay.col.total": "Total (¥)",
  "grouppay.col.created": "Created",
  "grouppay.col.actions": "Actions",
  "grouppay.status.open": "Unpaid",
  "grouppay.status.paid": "Paid",
  "grouppay.status.deleted": "Deleted",
  "grouppay.deleted_reason": "Reason: {reason}",
  "grouppay.pay": "Pay",
  "grouppay.pay_confirm":
    "Pay for payment batch #{id}: {candidates, plural, one {# candidate} other {# candidates}}, {entries, plural, one {# entry} other {# entries}}, ¥{amount}. Make sure the amount is within the daily limits of the card or payment account.",
  "grouppay.pending": "Paying (order {id})",
  "grouppay.continue": "Continue paying",
  "grouppay.refresh": "Refresh",
  "grouppay.delete": "Delete",
  "grouppay.delete_reason": "Reason for deleting",
  "grouppay.delete_confirm":
    "The payment batch is refreshed first; if it is still unpaid, it is deleted and its entries are released. A deleted payment batch can never be paid or refreshed. Delete it?",
  "grouppay.none": "No payment batches.",
  "grouppay.tip1":
    "A site locks one group payment batch at a time: until it is paid or deleted, no other payment batch can be created.",
  "grouppay.tip2":
    "A candidate's entry can be in only one payment batch that is not deleted. Locked entries can be neither changed, deleted nor paid individually, and are never deleted automatically.",
  "grouppay.tip3":
    "“Pay” asks for confirmation, then opens the payment page in a new window; if it does not open, check whether the browser blocked it.",
  "grouppay.tip4":
    "If, after paying, the system does not show the payment batch as paid (a network fault, for instance), click the payment batch's “Refresh”.",
  "grouppay.tip5":
    "Deleting a payment batch refreshes it first and needs a reason. A deleted payment batch can never be paid or refreshed.",
};
