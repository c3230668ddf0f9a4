import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";

export const NOTICE_MAX = 5000;

/**
 * SET-7: a province sets the province notice, a site its site notice; saving a new one replaces
 * the current one. The caller has checked the pre-registration window (WIN-2/WIN-3).
 */
export async function saveNotice(ctx: AdminContext, body: string) {
  if (ctx.org.level !== "province" && ctx.org.level !== "site") throw new AppError("notice.wrong_level", {}, 403);
  const text = body.replace(/\r\n/g, "\n").trim();
  if (text.length > NOTICE_MAX) throw new AppError("notice.too_long", { max: NOTICE_MAX });
  const db = getDb();
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("notice")
      .select("body")
      .where("sitting_id", "=", ctx.sitting.id)
      .where("org_id", "=", ctx.org.id)
      .forUpdate()
      .executeTakeFirst();
    if (text === "") {
      await trx
        .deleteFrom("notice")
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", ctx.org.id)
        .execute();
    } else {
      await trx
        .insertInto("notice")
        .values({ sitting_id: ctx.sitting.id, org_id: ctx.org.id, body: text, updated_by: ctx.accountId })
        .onConflict((oc) =>
          oc
            .columns(["sitting_id", "org_id"])
            .doUpdateSet({ body: text, updated_at: new Date(), updated_by: ctx.accountId }),
        )
        .execute();
    }
    await recordAudit(trx, ctx.actor, {
      action: "notice.save",
      entityType: "notice",
      entityId: ctx.org.code,
      before: { body: before?.body ?? null },
      after: { body: text || null },
    });
  });
}
