import { getDb } from "~db/client";
import { findOrgById, findOrgSitting } from "~db/queries/orgs";
import { AppError } from "~/domain/errors";
import { OrgInfoSchema, type OrgInfo } from "~/schemas/org";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireOrgInScope } from "~/utils/permissions.server";

/**
 * ORG-4, ORG-5: an admin edits its own organisation's info at any time (no window); superiors may edit
 * their subordinates' too. Reviewed info is read-only to the organisation itself. Only a superior renames.
 * ORG-2: the organisation must be in the actor's scope (checked here).
 */
export async function updateOrgInfo(ctx: AdminContext, orgId: number, input: OrgInfo) {
  await requireOrgInScope(ctx, orgId);
  const db = getDb();
  const org = await findOrgById(db, orgId);
  const state = await findOrgSitting(db, orgId, ctx.sitting.id);
  if (!org || !state) throw new AppError("scope.denied", {}, 403);
  const isSelf = orgId === ctx.org.id;
  if (isSelf && state.review_state === "reviewed") throw new AppError("org.reviewed_read_only");
  const { name, ...fields } = input;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("org_sitting")
      .set(fields)
      .where("org_id", "=", orgId)
      .where("sitting_id", "=", ctx.sitting.id)
      .execute();
    const before: Record<string, unknown> = {
      address: state.address,
      postcode: state.postcode,
      contact_name: state.contact_name,
      contact_phone: state.contact_phone,
      contact_email: state.contact_email,
      remark: state.remark,
    };
    const after: Record<string, unknown> = { ...fields };
    if (name && !isSelf && name !== org.name) {
      await trx.updateTable("org").set({ name }).where("id", "=", orgId).execute();
      before.name = org.name;
      after.name = name;
    }
    await recordAudit(trx, ctx.actor, {
      action: "org.update_info",
      entityType: "org",
      entityId: orgId,
      orgId,
      before,
      after,
    });
  });
}

/**
 * SCH-1 (manual §三十一 3): the site address alone, as the allocation page edits it ("修改考点地址"):
 * the other fields stay as they are, through the same rules and audit as the organisation page.
 */
export async function updateSiteAddress(ctx: AdminContext, orgId: number, address: string) {
  const state = await findOrgSitting(getDb(), orgId, ctx.sitting.id);
  if (!state) throw new AppError("scope.denied", {}, 403);
  const input = OrgInfoSchema.parse({
    address,
    postcode: state.postcode,
    contact_name: state.contact_name,
    contact_phone: state.contact_phone,
    contact_email: state.contact_email,
    remark: state.remark,
  });
  if (!input.address) throw new AppError("allocation.address_required");
  await updateOrgInfo(ctx, orgId, input);
}
