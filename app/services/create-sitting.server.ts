import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { checkSittingCode } from "~/domain/sitting";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";

/**
 * ORG-6: the centre creates a sitting and makes it current; the previous current sitting's
 * organisation state and users are copied into it. Windows are not copied: each sitting has its own calendar.
 */
export async function createSitting(
  ctx: AdminContext,
  input: { code: string; name: string; starts_on: string; ends_on: string },
) {
  if (ctx.org.level !== "centre") throw new AppError("role.centre_only", {}, 403);
  const codeProblem = checkSittingCode(input.code);
  if (codeProblem) throw new AppError(codeProblem);
  if (input.ends_on < input.starts_on) throw new AppError("sitting.end_before_start");
  const db = getDb();
  return db.transaction().execute(async (trx) => {
    const dup = await trx.selectFrom("sitting").select("id").where("code", "=", input.code).executeTakeFirst();
    if (dup) throw new AppError("sitting.code.taken", { code: input.code });
    const prev = await trx
      .selectFrom("sitting")
      .selectAll()
      .where("is_current", "=", true)
      .forUpdate()
      .executeTakeFirst();
    if (prev) await trx.updateTable("sitting").set({ is_current: false }).where("id", "=", prev.id).execute();
    const s = await trx
      .insertInto("sitting")
      .values({ ...input, is_current: true })
      .returning("id")
      .executeTakeFirstOrThrow();
    let orgs = 0;
    let users = 0;
    if (prev) {
      const o = await trx
        .insertInto("org_sitting")
        .columns([
          "org_id",
          "sitting_id",
          "enabled",
          "review_state",
          "address",
          "postcode",
          "contact_name",
          "contact_phone",
          "contact_email",
          "remark",
        ])
        .expression((eb) =>
          eb
            .selectFrom("org_sitting")
            .select([
              "org_id",
              eb.val(s.id).as("sitting_id"),
              "enabled",
              "review_state",
              "address",
              "postcode",
              "contact_name",
              "contact_phone",
              "contact_email",
              "remark",
            ])
            .where("sitting_id", "=", prev.id),
        )
        .executeTakeFirst();
      orgs = Number(o.numInsertedOrUpdatedRows ?? 0);
      const u = await trx
        .insertInto("membership")
        .columns(["account_id", "org_id", "sitting_id", "role", "name", "phone"])
        .expression((eb) =>
          eb
            .selectFrom("membership")
            .select(["account_id", "org_id", eb.val(s.id).as("sitting_id"), "role", "name", "phone"])
            .where("sitting_id", "=", prev.id),
        )
        .executeTakeFirst();
      users = Number(u.numInsertedOrUpdatedRows ?? 0);
    }
    // Everyone who was looking at the old current sitting now looks at the new one.
    await trx.updateTable("session").set({ sitting_id: null }).execute();
    await recordAudit(
      trx,
      { ...ctx.actor, sittingId: s.id },
      {
        action: "sitting.create",
        entityType: "sitting",
        entityId: s.id,
        after: { ...input, copied_from: prev?.code ?? null, orgs, users },
      },
    );
    return { id: s.id, orgs, users };
  });
}
