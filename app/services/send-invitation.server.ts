import type { Transaction } from "kysely";
import type { Account, DB, MemberRole } from "~db/schema";
import { invitationExpiry } from "~/domain/invitations";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";

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
