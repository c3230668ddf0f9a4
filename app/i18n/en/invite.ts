// "invite.*" messages in English.
import type { inviteZhCN } from "../zh-CN/invite";

export const inviteEn: Record<keyof typeof inviteZhCN, string> = {
  "invite.add_hint":
    "An address nobody has registered gets a new account with a one-time password (shown only once). An existing account is never bound directly: it receives an invitation, and joins this organisation only when its owner logs in and accepts (valid for {days} days, can be withdrawn).",
  "invite.sent":
    "Invitation sent to {login}. The account joins this organisation only when its owner logs in and accepts.",
  "invite.list_title": "Invitations sent",
  "invite.col.login": "Login",
  "invite.col.name": "Name",
  "invite.col.role": "Role",
  "invite.col.status": "Status",
  "invite.col.sent": "Sent",
  "invite.col.expires": "Valid until",
  "invite.status.pending": "Waiting",
  "invite.status.accepted": "Accepted",
  "invite.status.declined": "Declined",
  "invite.status.withdrawn": "Withdrawn",
  "invite.status.expired": "Expired",
  "invite.withdraw": "Withdraw",
  "invite.withdraw_confirm": "Withdraw the invitation sent to {login}?",
  "invite.withdrawn": "Invitation withdrawn.",
  "invite.title": "Invitations",
  "invite.intro":
    "These organisations invite your account to become one of their users. Once you accept, this account is for the admin area and can no longer register for exams (one account, one role). Decline any invitation you do not recognise.",
  "invite.none": "No invitations are waiting.",
  "invite.from": "{org} ({code}) invites you as: {role}",
  "invite.by": "Invited by: {name}",
  "invite.expires": "Valid until {at}",
  "invite.accept": "Accept",
  "invite.decline": "Decline",
  "invite.accept_confirm":
    "After accepting, this account becomes a user of {org} and can no longer register for exams. Accept?",
  "invite.accepted": "Invitation accepted: your account has joined {org}.",
  "invite.declined": "Invitation declined.",
  "invite.not_found": "The invitation does not exist, has expired or was withdrawn.",
  "invite.has_registration":
    "This account holds a registration, so it cannot become an organisation's user. Accept with an account of another e-mail address or mobile number (one account, one role).",
  "invite.already_bound":
    "This account is already a user of an organisation in the current sitting and cannot accept another organisation's invitation.",
  "invite.banner": "You have {count} organisation invitation(s) waiting.",
  "invite.view": "View invitations",
  "invite.to_candidate": "Back to the candidate pages",
  "invite.to_admin": "Go to the admin area",
  "invite.nav": "Invitations",
};
