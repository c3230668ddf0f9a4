import type { Transaction } from "kysely";
import { getDb } from "~db/client";
import type { DB } from "~db/schema";
import { listProvinceSubjects, lockSiteSetting } from "~db/queries/setup";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";
import { requireProvince, requireSiteBelow } from "~/utils/permissions.server";

// The caller checked the window (WIN-3); the service checks the actor is the site's superior (ORG-2).

/**
 * SET-3: per-person fee once and a fee per subject the province offers; null clears a fee. The same
 * fees can go to several sites at once (one province, 100 sites): all of them or none.
 */
export async function setSiteFees(
  ctx: AdminContext,
  siteIds: number | readonly number[],
  input: { perPersonFen: number | null; subjects: Record<string, number | null> },
) {
  const ids = typeof siteIds === "number" ? [siteIds] : siteIds;
  for (const id of ids) await requireSiteBelow(ctx, id);
  requireProvince(ctx);
  const offered = new Set((await listProvinceSubjects(getDb(), ctx.sitting.id, ctx.org.id)).map((s) => s.code));
  for (const code of Object.keys(input.subjects))
    if (!offered.has(code)) throw new AppError("subject.not_offered", { code });
  await getDb()
    .transaction()
    .execute(async (trx) => {
      // In id order, so two saves over overlapping sites lock them in the same order.
      for (const siteId of [...ids].sort((a, b) => a - b)) await writeFees(trx, ctx, siteId, input);
    });
}

async function writeFees(
  trx: Transaction<DB>,
  ctx: AdminContext,
  siteId: number,
  input: { perPersonFen: number | null; subjects: Record<string, number | null> },
) {
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
}
