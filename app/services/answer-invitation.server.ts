import { getDb } from "~db/client";
import { getCurrentSitting } from "~db/queries/sittings";
import { AppError } from "~/domain/errors";
import { invitationState, joinRefusal } from "~/domain/invitations";
import { recordAudit, type Actor } from "./audit.server";

import { inviteeFacts } from "~db/queries/invitations";

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
