import { getDb } from "~db/client";
import { lockRegistrations } from "~db/queries/locks";
import { nonKeyChanges, type NonKeyField } from "~/domain/candidate-management";
import { checkClass, parseClassOptions } from "~/domain/class-options";
import { getSiteSetting } from "~db/queries/setup";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudits } from "./audit.server";
import { resolveSelection, type BulkOutcome, type Selection } from "./candidate-selection.server";
import { requireSite } from "~/utils/permissions.server";

/** MGT-2: set the non-key fields given (blank = unchanged) on the selected candidates, ≤ 3,000 at a time. */
export async function updateNonKeyFields(
  ctx: AdminContext,
  sel: Selection,
  input: Partial<Record<string, string>>,
): Promise<BulkOutcome> {
  requireSite(ctx);
  const { changes, problem } = nonKeyChanges(input);
  if (problem) throw new AppError(problem);
  if (changes.class_name !== undefined) {
    // SET-8: a class must be one of the site's options when it has any, as on the registration form.
    const setting = await getSiteSetting(getDb(), ctx.sitting.id, ctx.org.id);
    const classProblem = checkClass(changes.class_name, parseClassOptions(setting.class_options ?? ""), false);
    if (classProblem) throw new AppError(classProblem);
  }
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const ids = await resolveSelection(trx, ctx, sel);
      const before = await lockRegistrations(trx, ids);
      const now = new Date();
      await trx
        .updateTable("registration")
        .set({ ...changes, updated_at: now })
        .where("id", "in", ids)
        .execute();
      const fields = Object.keys(changes) as NonKeyField[];
      await recordAudits(
        trx,
        ctx.actor,
        before.map((r) => ({
          action: "registration.update_non_key",
          entityType: "registration",
          entityId: r.id,
          orgId: r.org_id,
          before: Object.fromEntries(fields.map((k) => [k, r[k]])),
          after: changes,
        })),
      );
      return { done: before.length, skipped: [] };
    });
}
