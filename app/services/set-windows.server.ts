import { getDb } from "~db/client";
import { findOrgById } from "~db/queries/orgs";
import { AppError } from "~/domain/errors";
import { checkWindow, formatWallClock, isInstant, type WindowKind, type WindowSpan } from "~/domain/windows";
import type { AdminContext } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import { recordAudit } from "./audit.server";
import { requireWindowSetter } from "~/utils/permissions.server";

export interface WindowChange {
  orgId: number;
  kind: WindowKind;
  /** null clears the window. */
  span: WindowSpan | null;
}

/**
 * WIN-1, WIN-5: a superior sets (or extends, or clears) its subordinates' windows; the centre also sets
 * its own, the national calendar. Each window must lie inside the parent organisation's window for the
 * same kind, which must be set first. All changes land together or not at all, each audited.
 * WIN-1/ORG-2: every target is checked here: a strict superior, or the centre for its own windows.
 */
export async function setWindows(ctx: AdminContext, changes: WindowChange[]) {
  for (const orgId of new Set(changes.map((c) => c.orgId))) await requireWindowSetter(ctx, orgId);
  const db = getDb();
  const tz = getEnv().timeZone;
  return db.transaction().execute(async (trx) => {
    let changed = 0;
    for (const c of changes) {
      const org = await findOrgById(trx, c.orgId);
      if (!org) throw new AppError("scope.denied", {}, 403);
      const existing = await trx
        .selectFrom("window")
        .selectAll()
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", c.orgId)
        .where("kind", "=", c.kind)
        .executeTakeFirst();
      if (!c.span) {
        if (!existing) continue;
        await trx.deleteFrom("window").where("id", "=", existing.id).execute();
      } else {
        const parent = org.parent_id
          ? await trx
              .selectFrom("window")
              .select(["starts_at", "ends_at"])
              .where("sitting_id", "=", ctx.sitting.id)
              .where("org_id", "=", org.parent_id)
              .where("kind", "=", c.kind)
              .executeTakeFirst()
          : null;
        const problem = checkWindow(c.kind, c.span, parent, org.parent_id !== null);
        if (problem) {
          throw new AppError(problem, {
            org: `${org.name} (${org.code})`,
            row: org.code,
            windowKey: `window.kind.${c.kind}`,
            from: parent ? formatWallClock(parent.starts_at, tz) : "",
            to: parent?.ends_at ? formatWallClock(parent.ends_at, tz) : "—",
          });
        }
        const same =
          existing &&
          existing.starts_at.getTime() === c.span.starts_at.getTime() &&
          (existing.ends_at?.getTime() ?? null) === (c.span.ends_at?.getTime() ?? null);
        if (same) continue;
        const values = {
          starts_at: c.span.starts_at,
          ends_at: isInstant(c.kind) ? null : c.span.ends_at,
          updated_at: new Date(),
          updated_by: ctx.accountId,
        };
        if (existing) await trx.updateTable("window").set(values).where("id", "=", existing.id).execute();
        else
          await trx
            .insertInto("window")
            .values({ sitting_id: ctx.sitting.id, org_id: c.orgId, kind: c.kind, ...values })
            .execute();
      }
      changed++;
      // WIN-5: an extension granted for a late change shows in the log with both versions.
      await recordAudit(trx, ctx.actor, {
        action:
          existing && c.span && existing.ends_at && c.span.ends_at && c.span.ends_at > existing.ends_at
            ? "window.extend"
            : "window.set",
        entityType: "window",
        entityId: `${org.code}:${c.kind}`,
        orgId: c.orgId,
        before: existing ? { starts_at: existing.starts_at, ends_at: existing.ends_at } : undefined,
        after: c.span ? { starts_at: c.span.starts_at, ends_at: c.span.ends_at } : undefined,
      });
    }
    return { changed };
  });
}
