import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { extensionUntilProblem } from "~/domain/window-extension";
import { isWindowKind } from "~/domain/windows";
import type { AdminContext } from "~/utils/auth.server";
import { requireAdminRole, requireWindowSetter, requireWritableSitting } from "~/utils/permissions.server";
import { recordAudit } from "./audit.server";
import { setWindows } from "./set-windows.server";

/**
 * WIN-5: the superior answers a request. Approving extends the subordinate's window to `until`
 * through setWindows (inside the superior's own window, audited as window.extend); declining keeps
 * it closed, with a note the requester sees. Only a strict superior in scope may answer (ORG-2).
 */
export async function decideWindowExtension(
  ctx: AdminContext,
  requestId: number,
  decision: { approve: true; until: Date | null } | { approve: false; note: string },
  now = new Date(),
) {
  requireWritableSitting(ctx);
  requireAdminRole(ctx);
  const db = getDb();
  const req = await db
    .selectFrom("window_extension_request")
    .selectAll()
    .where("id", "=", requestId)
    .where("sitting_id", "=", ctx.sitting.id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (!req || !isWindowKind(req.kind)) throw new AppError("window.extension_not_found", {}, 404);
  await requireWindowSetter(ctx, req.org_id);
  if (decision.approve) {
    const problem = extensionUntilProblem(decision.until, now);
    if (problem) throw new AppError(problem);
    const current = await db
      .selectFrom("window")
      .select("starts_at")
      .where("sitting_id", "=", ctx.sitting.id)
      .where("org_id", "=", req.org_id)
      .where("kind", "=", req.kind)
      .executeTakeFirst();
    await setWindows(ctx, [
      { orgId: req.org_id, kind: req.kind, span: { starts_at: current?.starts_at ?? now, ends_at: decision.until } },
    ]);
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("window_extension_request")
      .set({
        status: decision.approve ? "approved" : "declined",
        decided_by_name: ctx.name,
        decided_at: now,
        decision_note: decision.approve ? "" : decision.note.trim().slice(0, 500),
      })
      .where("id", "=", req.id)
      .execute();
    await recordAudit(trx, ctx.actor, {
      action: decision.approve ? "window.extension_approve" : "window.extension_decline",
      entityType: "window_extension_request",
      entityId: req.id,
      orgId: req.org_id,
      before: { status: "pending" },
      after: decision.approve
        ? { status: "approved", kind: req.kind, ends_at: decision.until!.toISOString() }
        : { status: "declined", kind: req.kind },
    });
  });
}
