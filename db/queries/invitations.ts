import type { Kysely, Transaction } from "kysely";
import { getCurrentSitting } from "./sittings";
import type { DB } from "../schema";
import { invitationState, joinRefusal, type InvitationState } from "~/domain/invitations";

type Q = Kysely<DB> | Transaction<DB>;

// ORG-3: the invitations an organisation sent, and the ones an account may answer.

/** The organisation's invitations in the viewed sitting, newest first, with their state now (the inviter's list). */
export async function listOrgInvitations(
  db: Q,
  orgId: number,
  sitting: { viewed: number; current: number },
  now = new Date(),
) {
  const rows = await db
    .selectFrom("invitation")
    .select(["id", "login", "name", "role", "status", "expires_at", "sitting_id", "created_at"])
    .where("org_id", "=", orgId)
    .where("sitting_id", "=", sitting.viewed)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    login: r.login,
    name: r.name,
    role: r.role,
    created_at: r.created_at,
    expires_at: r.expires_at,
    state: invitationState(r, now, sitting.current) as InvitationState,
  }));
}

/** ORG-3: what decides whether the account may join an organisation (`joinRefusal`). */
export async function inviteeFacts(db: Q, accountId: string, currentSittingId: number) {
  const [reg, bound] = await Promise.all([
    db.selectFrom("registration").select("id").where("account_id", "=", accountId).limit(1).executeTakeFirst(),
    db
      .selectFrom("membership")
      .select("id")
      .where("account_id", "=", accountId)
      .where("sitting_id", "=", currentSittingId)
      .executeTakeFirst(),
  ]);
  return { hasRegistration: !!reg, boundInCurrentSitting: !!bound };
}

/** How many invitations the account could answer now (the link in the candidate and admin areas). */
export async function countOpenInvitations(db: Q, accountId: string, now = new Date()): Promise<number> {
  const current = await getCurrentSitting(db);
  const r = await db
    .selectFrom("invitation")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", accountId)
    .where("status", "=", "pending")
    .where("sitting_id", "=", current.id)
    .where("expires_at", ">", now)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The account's open invitations, each with the organisation, and why it cannot be accepted (if so). */
export async function listMyInvitations(db: Q, accountId: string, now = new Date()) {
  const current = await getCurrentSitting(db);
  const rows = await db
    .selectFrom("invitation")
    .innerJoin("org", "org.id", "invitation.org_id")
    .select([
      "invitation.id",
      "invitation.role",
      "invitation.expires_at",
      "invitation.invited_by_name",
      "org.name as org_name",
      "org.code as org_code",
      "org.level as org_level",
    ])
    .where("invitation.account_id", "=", accountId)
    .where("invitation.status", "=", "pending")
    .where("invitation.sitting_id", "=", current.id)
    .where("invitation.expires_at", ">", now)
    .orderBy("invitation.created_at", "desc")
    .execute();
  const refusal = rows.length ? joinRefusal(await inviteeFacts(db, accountId, current.id)) : null;
  return { refusal, invitations: rows };
}
