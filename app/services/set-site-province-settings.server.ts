import { getDb } from "~db/client";
import { listProvinceSubjects, lockSiteSetting } from "~db/queries/setup";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireSiteBelow } from "~/utils/permissions.server";

// What a province sets for each of its sites: fees (SET-3) and student-record eligibility (SET-9);
// and for all of them: whether candidates may choose a preferred exam date (SET-5).
// Each setting checks that the actor is the site's superior (ORG-2); the caller checked the window (WIN-3).

function requireProvince(ctx: AdminContext) {
  if (ctx.org.level !== "province") throw new AppError("setup.province_only", {}, 403);
}

/** SET-3: per-person fee once and a fee per subject the province offers; null clears a fee. */
export async function setSiteFees(
  ctx: AdminContext,
  siteId: number,
  input: { perPersonFen: number | null; subjects: Record<string, number | null> },
) {
  await requireSiteBelow(ctx, siteId);
  requireProvince(ctx);
  const offered = new Set((await listProvinceSubjects(getDb(), ctx.sitting.id, ctx.org.id)).map((s) => s.code));
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const before = await lockSiteSetting(trx, ctx.sitting.id, siteId);
      await trx
        .updateTable("site_setting")
        .set({ per_person_fee_fen: input.perPersonFen })
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", siteId)
        .execute();
      const old = await trx
        .selectFrom("site_fee")
        .select(["subject_code", "fee_fen"])
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", siteId)
        .execute();
      const b: Record<string, unknown> = { per_person: before.per_person_fee_fen };
      const a: Record<string, unknown> = { per_person: input.perPersonFen };
      for (const [code, fen] of Object.entries(input.subjects)) {
        if (!offered.has(code)) throw new AppError("subject.not_offered", { code });
        b[code] = old.find((o) => o.subject_code === code)?.fee_fen ?? null;
        a[code] = fen;
        if (fen === null) {
          await trx
            .deleteFrom("site_fee")
            .where("sitting_id", "=", ctx.sitting.id)
            .where("org_id", "=", siteId)
            .where("subject_code", "=", code)
            .execute();
        } else {
          await trx
            .insertInto("site_fee")
            .values({ sitting_id: ctx.sitting.id, org_id: siteId, subject_code: code, fee_fen: fen })
            .onConflict((oc) => oc.columns(["sitting_id", "org_id", "subject_code"]).doUpdateSet({ fee_fen: fen }))
            .execute();
        }
      }
      await recordAudit(trx, ctx.actor, {
        action: "setup.fees",
        entityType: "site_setting",
        entityId: siteId,
        orgId: siteId,
        before: b,
        after: a,
      });
    });
}

/** SET-9: the site's student-record eligibility. */
export async function setSiteEligibility(
  ctx: AdminContext,
  siteId: number,
  input: { registry_enabled: boolean; only_province_registry: boolean; only_site_registry: boolean },
) {
  await requireSiteBelow(ctx, siteId);
  requireProvince(ctx);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const before = await lockSiteSetting(trx, ctx.sitting.id, siteId);
      await trx
        .updateTable("site_setting")
        .set(input)
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", siteId)
        .execute();
      await recordAudit(trx, ctx.actor, {
        action: "setup.eligibility",
        entityType: "site_setting",
        entityId: siteId,
        orgId: siteId,
        before: {
          registry_enabled: before.registry_enabled,
          only_province_registry: before.only_province_registry,
          only_site_registry: before.only_site_registry,
        },
        after: input,
      });
    });
}

/** SET-5: a province enables preferred exam dates for its sites (which then disables cross-site registration). */
export async function setPreferredDatesEnabled(ctx: AdminContext, enabled: boolean) {
  requireProvince(ctx);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const before = await trx
        .selectFrom("province_setting")
        .select("preferred_dates_enabled")
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", ctx.org.id)
        .executeTakeFirst();
      await trx
        .insertInto("province_setting")
        .values({ sitting_id: ctx.sitting.id, org_id: ctx.org.id, preferred_dates_enabled: enabled })
        .onConflict((oc) => oc.columns(["sitting_id", "org_id"]).doUpdateSet({ preferred_dates_enabled: enabled }))
        .execute();
      await recordAudit(trx, ctx.actor, {
        action: "setup.preferred_enabled",
        entityType: "province_setting",
        entityId: ctx.org.code,
        before: { preferred_dates_enabled: before?.preferred_dates_enabled ?? false },
        after: { preferred_dates_enabled: enabled },
      });
    });
}
