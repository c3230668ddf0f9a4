import { getDb } from "~db/client";
import { lockSiteSetting } from "~db/queries/setup";
import { AppError } from "~/domain/errors";
import { formatClassOptions, parseClassOptions } from "~/domain/class-options";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireSite } from "~/utils/permissions.server";

export interface SiteSettingsInput {
  open: boolean;
  group_registration: boolean;
  group_payment: boolean;
  review_required: boolean;
  class_required: boolean;
  max_entries: number;
  self_print: boolean;
}

/** SET-1: the site's registration settings. The caller checked the pre-registration window. */
export async function saveSiteSettings(ctx: AdminContext, input: SiteSettingsInput) {
  requireSite(ctx);
  if (!Number.isInteger(input.max_entries) || input.max_entries < 1 || input.max_entries > 3)
    throw new AppError("setup.max_entries_error");
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const before = await lockSiteSetting(trx, ctx.sitting.id, ctx.org.id);
      await trx
        .updateTable("site_setting")
        .set(input)
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", ctx.org.id)
        .execute();
      const b: Record<string, unknown> = {};
      for (const k of Object.keys(input) as (keyof SiteSettingsInput)[]) b[k] = before[k];
      await recordAudit(trx, ctx.actor, {
        action: "setup.settings",
        entityType: "site_setting",
        entityId: ctx.org.code,
        before: b,
        after: { ...input },
      });
    });
}

/** SET-8: class options separated by ';' or '；'; stored normalised. */
export async function saveClassOptions(ctx: AdminContext, text: string) {
  requireSite(ctx);
  const options = parseClassOptions(text);
  if (options.some((o) => o.length > 50) || options.length > 500) throw new AppError("setup.class_options_too_long");
  const normalised = formatClassOptions(options);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const before = await lockSiteSetting(trx, ctx.sitting.id, ctx.org.id);
      await trx
        .updateTable("site_setting")
        .set({ class_options: normalised })
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", ctx.org.id)
        .execute();
      await recordAudit(trx, ctx.actor, {
        action: "setup.class_options",
        entityType: "site_setting",
        entityId: ctx.org.code,
        before: { class_options: before.class_options },
        after: { class_options: normalised },
      });
    });
  return options;
}
