import { demoteIfUnbound } from "~db/queries/accounts";
import { getDb } from "~db/client";
import { findOrgById, findOrgSitting } from "~db/queries/orgs";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireSuperiorOf } from "~/utils/permissions.server";

/**
 * ORG-4/ORG-6: a superior deletes a subordinate from the current sitting. Past sittings keep it
 * (their data stays readable), so the organisation row stays; only its place in this sitting goes.
 * Refused while it still has subordinates in this sitting.
 */
export async function deleteOrg(ctx: AdminContext, orgId: number) {
  // ORG-2/ORG-4: only a strict superior deletes an organisation.
  await requireSuperiorOf(ctx, orgId);
  const db = getDb();
  const org = await findOrgById(db, orgId);
  const state = await findOrgSitting(db, orgId, ctx.sitting.id);
  if (!org || !state) throw new AppError("scope.denied", {}, 403);
  const children = await db
    .selectFrom("org")
    .innerJoin("org_sitting", "org_sitting.org_id", "org.id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("org.parent_id", "=", orgId)
    .where("org_sitting.sitting_id", "=", ctx.sitting.id)
    .executeTakeFirstOrThrow();
  if (Number(children.n) > 0) throw new AppError("org.has_children", { count: Number(children.n) });
  await db.transaction().execute(async (trx) => {
    const members = await trx
      .deleteFrom("membership")
      .where("org_id", "=", orgId)
      .where("sitting_id", "=", ctx.sitting.id)
      .returning("account_id")
      .execute();
    for (const m of members) await demoteIfUnbound(trx, m.account_id, ctx.sitting.id);
    await trx.deleteFrom("window").where("org_id", "=", orgId).where("sitting_id", "=", ctx.sitting.id).execute();
    await trx.deleteFrom("org_sitting").where("org_id", "=", orgId).where("sitting_id", "=", ctx.sitting.id).execute();
    await recordAudit(trx, ctx.actor, {
      action: "org.delete",
      entityType: "org",
      entityId: orgId,
      orgId,
      before: { code: org.code, name: org.name, users: members.length },
    });
  });
}
