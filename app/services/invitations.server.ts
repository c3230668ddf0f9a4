import type { Kysely, Transaction } from "kysely";
import { getDb } from "~db/client";
import { getCurrentSitting } from "~db/queries/sittings";
import type { Account, DB, MemberRole } from "~db/schema";
import { AppError } from "~/domain/errors";
import { invitationExpiry, invitationState, joinRefusal, type InvitationState } from "~/domain/invitations";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit, type Actor } from "./audit.server";
import { requireOrgInScope } from "~/utils/permissions.server";

// ORG-2/ORG-3 (issue 12, item 4): an administrator never binds an existing account. It invites it;
// the account's owner sees the invitation after logging in and accepts or declines; only acceptance
// binds, and it is audited in the inviting organisation's log. The inviter learns nothing about the
// account (name, role, registrations, other organisations): every invitation is "sent".

export interface InvitationInput {
  login: string;
  name: string;
  phone: string;
  role: MemberRole;
}

/**
 * Called by addUser for an address that already has an account, in its transaction. Whatever the
 * account is, the answer is the same and an invitation is stored: one the account cannot accept
 * (a candidate with a registration, an account bound elsewhere) is refused when its owner answers,
 * never revealed to the inviter. Inviting again renews the open invitation.
 */
export async function sendInvitation(
  trx: Transaction<DB>,
  ctx: AdminContext,
  orgId: number,
  account: Pick<Account, "id">,
  input: InvitationInput,
  now = new Date(),
) {
  const values = {
    login: input.login,
    name: input.name,
    phone: input.phone,
    role: input.role,
    invited_by: ctx.accountId,
    invited_by_name: ctx.name,
    created_at: now,
    expires_at: invitationExpiry(now),
  };
  const open = await trx
    .selectFrom("invitation")
    .select("id")
    .where("org_id", "=", orgId)
    .where("sitting_id", "=", ctx.sitting.id)
    .where("account_id", "=", account.id)
    .where("status", "=", "pending")
    .forUpdate()
    .executeTakeFirst();
  const id = open
    ? (
        await trx
          .updateTable("invitation")
          .set(values)
          .where("id", "=", open.id)
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id
    : (
        await trx
          .insertInto("invitation")
          .values({ ...values, org_id: orgId, sitting_id: ctx.sitting.id, account_id: account.id })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
  // no login or name of the invitee in the log (contact data); the row id identifies it.
  await recordAudit(trx, ctx.actor, {
    action: "user.invite",
    entityType: "invitation",
    entityId: id,
    orgId,
    after: { role: input.role, renewed: !!open },
  });
  return id;
}

/** The organisation's invitations in the viewed sitting, newest first, with their state now (the inviter's list). */
export async function listOrgInvitations(ctx: AdminContext, orgId: number, now = new Date()) {
  const rows = await getDb()
    .selectFrom("invitation")
    .select(["id", "login", "name", "role", "status", "expires_at", "sitting_id", "created_at"])
    .where("org_id", "=", orgId)
    .where("sitting_id", "=", ctx.sitting.id)
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
    state: invitationState(r, now, ctx.currentSitting.id) as InvitationState,
  }));
}

/** ORG-4: the organisation (or a superior in scope, ORG-2, checked here) withdraws an open invitation. */
export async function withdrawInvitation(ctx: AdminContext, orgId: number, invitationId: number, now = new Date()) {
  await requireOrgInScope(ctx, orgId);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const done = await trx
        .updateTable("invitation")
        .set({ status: "withdrawn", answered_at: now })
        .where("id", "=", invitationId)
        .where("org_id", "=", orgId)
        .where("sitting_id", "=", ctx.sitting.id)
        .where("status", "=", "pending")
        .returning("id")
        .executeTakeFirst();
      if (!done) throw new AppError("invite.not_found", {}, 404);
      await recordAudit(trx, ctx.actor, {
        action: "user.invite_withdraw",
        entityType: "invitation",
        entityId: invitationId,
        orgId,
      });
    });
}

async function inviteeFacts(trx: Transaction<DB> | Kysely<DB>, accountId: string, currentSittingId: number) {
  const [reg, bound] = await Promise.all([
    trx.selectFrom("registration").select("id").where("account_id", "=", accountId).limit(1).executeTakeFirst(),
    trx
      .selectFrom("membership")
      .select("id")
      .where("account_id", "=", accountId)
      .where("sitting_id", "=", currentSittingId)
      .executeTakeFirst(),
  ]);
  return { hasRegistration: !!reg, boundInCurrentSitting: !!bound };
}

/** How many invitations the account could answer now (the link in the candidate and admin areas). */
export async function countOpenInvitations(accountId: string, now = new Date()): Promise<number> {
  const db = getDb();
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
export async function listMyInvitations(accountId: string, now = new Date()) {
  const db = getDb();
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

/**
 * The owner answers an invitation. Declining changes nothing else. Accepting binds the account to
 * the organisation in the current sitting and makes it an administrator account (ORG-3); refused for
 * an account with a registration in any sitting or bound to an organisation already, and for an
 * invitation that expired or was withdrawn.
 */
export async function answerInvitation(
  me: { accountId: string; ip: string | null },
  invitationId: number,
  accept: boolean,
  now = new Date(),
): Promise<{ orgName: string }> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const current = await getCurrentSitting(trx);
      const inv = await trx
        .selectFrom("invitation")
        .selectAll()
        .where("id", "=", invitationId)
        .where("account_id", "=", me.accountId)
        .forUpdate()
        .executeTakeFirst();
      if (!inv || invitationState(inv, now, current.id) !== "pending") throw new AppError("invite.not_found", {}, 404);
      const org = await trx
        .selectFrom("org")
        .innerJoin("org_sitting", "org_sitting.org_id", "org.id")
        .select(["org.id", "org.name"])
        .where("org.id", "=", inv.org_id)
        .where("org_sitting.sitting_id", "=", current.id)
        .executeTakeFirst();
      if (!org) throw new AppError("invite.not_found", {}, 404);
      // In the inviting organisation's log the invitee appears under the name the inviter typed.
      const actor: Actor = { accountId: null, name: inv.name, orgId: inv.org_id, sittingId: current.id, ip: null };
      if (!accept) {
        await trx
          .updateTable("invitation")
          .set({ status: "declined", answered_at: now })
          .where("id", "=", inv.id)
          .execute();
        await recordAudit(trx, actor, { action: "user.invite_decline", entityType: "invitation", entityId: inv.id });
        return { orgName: org.name };
      }
      const refusal = joinRefusal(await inviteeFacts(trx, me.accountId, current.id));
      if (refusal) throw new AppError(refusal, {}, 409);
      const m = await trx
        .insertInto("membership")
        .values({
          account_id: me.accountId,
          org_id: inv.org_id,
          sitting_id: current.id,
          role: inv.role,
          name: inv.name,
          phone: inv.phone,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      // ORG-3: the account holds no registration (checked above), so it becomes an administrator account.
      await trx.updateTable("account").set({ role: "admin", updated_at: now }).where("id", "=", me.accountId).execute();
      await trx
        .updateTable("invitation")
        .set({ status: "accepted", answered_at: now })
        .where("id", "=", inv.id)
        .execute();
      await recordAudit(
        trx,
        { ...actor, accountId: me.accountId, ip: me.ip },
        {
          action: "user.invite_accept",
          entityType: "membership",
          entityId: m.id,
          after: { role: inv.role, invitation: inv.id },
        },
      );
      return { orgName: org.name };
    });
}
