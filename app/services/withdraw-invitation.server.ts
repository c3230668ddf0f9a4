import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireOrgInScope } from "~/utils/permissions.server";

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
