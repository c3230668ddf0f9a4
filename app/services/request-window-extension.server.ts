import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { extensionReasonProblem, extensionRequestRefusal } from "~/domain/window-extension";
import type { WindowKind } from "~/domain/windows";
import type { AdminContext } from "~/utils/auth.server";
import { getWindowView, requireAdminRole, requireWritableSitting } from "~/utils/permissions.server";
import { recordAudit } from "./audit.server";

/**
 * WIN-5: an organisation whose window is closed asks its superior for more time. Asking again while
 * a request is open updates it (one open request per window).
 */
export async function requestWindowExtension(
  ctx: AdminContext,
  input: { kind: WindowKind; reason: string; wantedUntil: Date | null },
) {
  requireWritableSitting(ctx);
  requireAdminRole(ctx);
  const refusal = extensionRequestRefusal(await getWindowView(ctx, input.kind), ctx.org.level);
  if (refusal) throw new AppError(refusal, {}, 409);
  const problem = extensionReasonProblem(input.reason);
  if (problem) throw new AppError(problem);
  const reason = input.reason.trim();
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const open = await trx
        .selectFrom("window_extension_request")
        .select("id")
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", ctx.org.id)
        .where("kind", "=", input.kind)
        .where("status", "=", "pending")
        .forUpdate()
        .executeTakeFirst();
      const values = {
        reason,
        wanted_until: input.wantedUntil,
        requested_by: ctx.accountId,
        requested_by_name: ctx.name,
        created_at: new Date(),
      };
      const id = open
        ? (await trx.updateTable("window_extension_request").set(values).where("id", "=", open.id).execute(), open.id)
        : (
            await trx
              .insertInto("window_extension_request")
              .values({ ...values, sitting_id: ctx.sitting.id, org_id: ctx.org.id, kind: input.kind })
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id;
      await recordAudit(trx, ctx.actor, {
        action: "window.extension_request",
        entityType: "window_extension_request",
        entityId: id,
        after: { kind: input.kind, reason, wanted_until: input.wantedUntil?.toISOString() ?? null, renewed: !!open },
      });
      return { id };
    });
}
