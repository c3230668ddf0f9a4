// ORG-2/ORG-3: the rules of an invitation to join an organisation (issue 12, item 4). An existing
// account is never bound by an administrator; its owner accepts an invitation, which expires.

export const INVITATION_DAYS = 7;

export type InvitationState = "pending" | "accepted" | "declined" | "withdrawn" | "expired";

export function invitationExpiry(now: Date, days = INVITATION_DAYS): Date {
  return new Date(now.getTime() + days * 86_400_000);
}

/**
 * What an invitation is now: a pending one past its expiry, or made in a sitting that is no longer
 * the current one (memberships belong to a sitting, ORG-6), has expired.
 */
export function invitationState(
  inv: { status: "pending" | "accepted" | "declined" | "withdrawn"; expires_at: Date; sitting_id: number },
  now: Date,
  currentSittingId: number,
): InvitationState {
  if (inv.status !== "pending") return inv.status;
  return inv.expires_at.getTime() <= now.getTime() || inv.sitting_id !== currentSittingId ? "expired" : "pending";
}

export interface InviteeFacts {
  /** The account holds a registration in some sitting (ORG-3: a candidate stays a candidate). */
  hasRegistration: boolean;
  /** The account is bound to an organisation in the current sitting (ORG-1: one organisation). */
  boundInCurrentSitting: boolean;
}

/** Why this account cannot join an organisation now, or null. Checked when inviting and again when accepting. */
export function joinRefusal(f: InviteeFacts): "invite.has_registration" | "invite.already_bound" | null {
  if (f.hasRegistration) return "invite.has_registration";
  if (f.boundInCurrentSitting) return "invite.already_bound";
  return null;
}
