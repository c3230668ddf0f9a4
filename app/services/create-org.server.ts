import { getDb } from "~db/client";
import { findOrgByCode, findOrgById } from "~db/queries/orgs";
import { AppError } from "~/domain/errors";
import { checkOrgCode, childLevel } from "~/domain/org";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireOrgInScope } from "~/utils/permissions.server";

/** ORG-4, ORG-10: a superior adds a subordinate organisation under its own organisation or a descendant. */
export async function createOrg(ctx: AdminContext, input: { parentId: number; code: string; name: string }) {
  // ORG-2: a new organisation goes under one in the actor\'s scope.
  await requireOrgInScope(ctx, input.parentId);
  const db = getDb();
  const parent = await findOrgById(db, input.parentId);
  if (!parent) throw new AppError("scope.denied", {}, 403);
  const level = childLevel(parent.level);
  if (!level) throw new AppError("org.site_has_no_children");
  const codeProblem = checkOrgCode(level, input.code, parent.code, parent.level);
  if (codeProblem) throw new AppError(codeProblem, { levelKey: `org.level.${level}` });
  return db.transaction().execute(async (trx) => {
    const existing = await findOrgByCode(trx, input.code);
    let orgId: number;
    if (existing) {
      // An organisation deleted from this sitting keeps its code; re-adding it under the same parent brings it back.
      const inSitting = await trx
        .selectFrom("org_sitting")
        .select("org_id")
        .where("org_id", "=", existing.id)
        .where("sitting_id", "=", ctx.sitting.id)
        .executeTakeFirst();
      if (inSitting || existing.parent_id !== parent.id) throw new AppError("org.code.taken", { code: input.code });
      await trx.updateTable("org").set({ name: input.name }).where("id", "=", existing.id).execute();
      orgId = existing.id;
    } else {
      const row = await trx
        .insertInto("org")
        .values({ code: input.code, name: input.name, level, parent_id: parent.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      orgId = row.id;
    }
    await trx.insertInto("org_sitting").values({ org_id: orgId, sitting_id: ctx.sitting.id }).execute();
    await recordAudit(trx, ctx.actor, {
      action: "org.create",
      entityType: "org",
      entityId: orgId,
      orgId,
      after: { code: input.code, name: input.name, level, parent: parent.code },
    });
    return orgId;
  });
}
