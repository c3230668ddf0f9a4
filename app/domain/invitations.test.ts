import { describe, expect, it } from "vitest";
import { INVITATION_DAYS, invitationExpiry, invitationState, joinRefusal } from "./invitations";

const now = new Date("2027-03-01T08:00:00Z");

describe("invitations (ORG-2, ORG-3)", () => {
  it("ORG-3: an invitation is valid for a week", () => {
    expect(INVITATION_DAYS).toBe(7);
    expect(invitationExpiry(now).toISOString()).toBe("2027-03-08T08:00:00.000Z");
  });

  it("ORG-3: a pending invitation expires at its expiry, not a moment before", () => {
    const inv = { status: "pending" as const, expires_at: new Date("2027-03-01T08:00:01Z"), sitting_id: 79 };
    expect(invitationState(inv, now, 79)).toBe("pending");
    expect(invitationState(inv, new Date("2027-03-01T08:00:01Z"), 79)).toBe("expired");
  });

  it("ORG-6: an invitation made in another sitting has expired (memberships belong to a sitting)", () => {
    expect(invitationState({ status: "pending", expires_at: invitationExpiry(now), sitting_id: 78 }, now, 79)).toBe(
      "expired",
    );
  });

  it("ORG-3: answered and withdrawn invitations keep their state, even past the expiry", () => {
    for (const status of ["accepted", "declined", "withdrawn"] as const) {
      expect(invitationState({ status, expires_at: new Date(0), sitting_id: 1 }, now, 79)).toBe(status);
    }
  });

  it("ORG-3: a candidate account with a registration never joins; a bound account does not join a second organisation", () => {
    expect(joinRefusal({ hasRegistration: true, boundInCurrentSitting: false })).toBe("invite.has_registration");
    expect(joinRefusal({ hasRegistration: true, boundInCurrentSitting: true })).toBe("invite.has_registration");
    expect(joinRefusal({ hasRegistration: false, boundInCurrentSitting: true })).toBe("invite.already_bound");
    expect(joinRefusal({ hasRegistration: false, boundInCurrentSitting: false })).toBeNull();
  });
});
