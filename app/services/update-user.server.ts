import { getDb } from "~db/client";
import type { MemberRole } from "~db/schema";
import { AppError } from "~/domain/errors";
import { rolesAt } from "~/domain/permissions";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireMemberOf, requireOrgInScope } from "~/utils/permissions.server";

/** ORG-4: an organisation's user: name, phone, role (never the actor's own role). */
export async function updateUser(
  ctx: AdminContext,
  orgId: number,
  membershipId: number,
  input: { name: string; phone: string; role: MemberRole },
) {
  const path = await requireOrgInScope(ctx, orgId);
  // DOC-9: an invigilator belongs to a site (a forged role elsewhere is refused).
  if (!rolesAt(path[path.length - 1].level).includes(input.role)) throw new AppError("user.role_level");
  const m = await requireMemberOf(ctx, orgId, membershipId);
  if (m.account_id === ctx.accountId && input.role !== m.role) throw new AppError("user.not_self_role");
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await trx.updateTable("membership").set(input).where("id", "=", m.id).execute();
      await recordAudit(trx, ctx.actor, {
        action: "user.update",
        entityType: "membership",
        entityId: m.id,
        orgId,
        before: { name: m.name, phone: m.phone, role: m.role },
        after: input,
      });
    });
}
