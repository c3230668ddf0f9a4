import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { demoteIfUnbound } from "~db/queries/accounts";
import { requireMemberOf, requireOrgInScope } from "~/utils/permissions.server";

/** ORG-4: a user leaves the organisation (never the actor); an account bound nowhere any more is a candidate again (ORG-3). */
export async function removeUser(ctx: AdminContext, orgId: number, membershipId: number) {
  await requireOrgInScope(ctx, orgId);
  const m = await requireMemberOf(ctx, orgId, membershipId);
  if (m.account_id === ctx.accountId) throw new AppError("user.not_self_delete");
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await trx.deleteFrom("membership").where("id", "=", m.id).execute();
      await demoteIfUnbound(trx, m.account_id, ctx.sitting.id);
      await recordAudit(trx, ctx.actor, {
        action: "user.remove",
        entityType: "membership",
        entityId: m.id,
        orgId,
        before: { name: m.name, role: m.role, account_id: m.account_id },
      });
    });
}
