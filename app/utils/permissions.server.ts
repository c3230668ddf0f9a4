import { getDb } from "~db/client";
import { getOrgPath } from "~db/queries/orgs";
import { listWindows } from "~db/queries/windows";
import { isInScope, isStrictSuperior } from "~/domain/org";
import { isSittingWritable } from "~/domain/sitting";
import { effectiveWindow, formatWallClock, windowStatus, type WindowKind, type WindowSpan } from "~/domain/windows";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "./auth.server";
import { requireAdmin } from "./auth.server";
import { getEnv } from "./env.server";

/** ORG-2: the one scope guard. Returns the target's path (root first). */
export async function requireOrgInScope(ctx: AdminContext, orgId: number) {
  const path = await getOrgPath(getDb(), orgId);
  if (path.length === 0 || !isInScope(ctx.org.id, path.map((o) => o.id))) {
    throw new AppError("scope.denied", {}, 403);
  }
  return path;
}

/** ORG-2/ORG-4: only a strict superior may add, enable, disable, delete or set windows of an organisation. */
export async function requireSuperiorOf(ctx: AdminContext, orgId: number) {
  const path = await getOrgPath(getDb(), orgId);
  if (path.length === 0 || !isStrictSuperior(ctx.org.id, path.map((o) => o.id))) {
    throw new AppError("scope.denied", {}, 403);
  }
  return path;
}

/** ORG-7: nothing of a past sitting can be changed. */
export function requireWritableSitting(ctx: AdminContext) {
  if (!isSittingWritable(ctx.sitting)) throw new AppError("sitting.read_only", { code: ctx.sitting.code }, 403);
}

/** ORG-11: finance staff change nothing outside finance. */
export function requireAdminRole(ctx: AdminContext) {
  if (ctx.role !== "admin") throw new AppError("role.admin_only", {}, 403);
}

/**
 * WIN-1/WIN-3: an organisation's window for a kind counts only inside every superior's, in the
 * viewed sitting. The centre sets the national calendar and is not gated itself.
 */
export interface WindowView {
  kind: WindowKind;
  gated: boolean;
  status: ReturnType<typeof windowStatus>;
  starts_at: Date | null;
  ends_at: Date | null;
}

export async function getWindowView(ctx: AdminContext, kind: WindowKind, now = new Date()): Promise<WindowView> {
  return (await getWindowViews(ctx, [kind], now))[0];
}

/** Several windows at once, in one query (the home page shows all nine). */
export async function getWindowViews(ctx: AdminContext, kinds: readonly WindowKind[], now = new Date()): Promise<WindowView[]> {
  if (ctx.org.level === "centre") return kinds.map((kind) => ({ kind, gated: false, status: "open", starts_at: null, ends_at: null }));
  const rows = await listWindows(getDb(), ctx.sitting.id, ctx.orgPath.map((o) => o.id));
  return kinds.map((kind) => {
    const byOrg = new Map(rows.filter((r) => r.kind === kind).map((r) => [r.org_id, r as WindowSpan]));
    const w = effectiveWindow([...ctx.orgPath].reverse().map((o) => byOrg.get(o.id) ?? null));
    return { kind, gated: true, status: windowStatus(w, now), starts_at: w?.starts_at ?? null, ends_at: w?.ends_at ?? null };
  });
}

/** WIN-3: the one window guard. Outside the window every mutation is refused with the window's dates. */
export async function requireWindow(ctx: AdminContext, kind: WindowKind, now = new Date()) {
  const view = await getWindowView(ctx, kind, now);
  if (view.status === "open") return view;
  throw windowClosedError(view);
}

export function windowClosedError(view: WindowView) {
  const tz = getEnv().timeZone;
  if (view.status === "not_set") return new AppError("window.closed_not_set", { windowKey: `window.kind.${view.kind}` }, 403);
  return new AppError(
    "window.closed",
    {
      windowKey: `window.kind.${view.kind}`,
      from: view.starts_at ? formatWallClock(view.starts_at, tz) : "",
      to: view.ends_at ? formatWallClock(view.ends_at, tz) : "—",
    },
    403,
  );
}

/**
 * What a page may offer to change: the same checks requireAdminMutation makes on the server
 * (current sitting, administrator role, window open), so buttons and the server agree.
 */
export function canChange(ctx: AdminContext, window?: WindowView): boolean {
  return isSittingWritable(ctx.sitting) && ctx.role === "admin" && (!window || !window.gated || window.status === "open");
}

/** Every admin mutation goes through here: account, writable sitting, role and (if gated) window. */
export async function requireAdminMutation(
  request: Request,
  opts: { window?: WindowKind; allowFinance?: boolean } = {},
): Promise<AdminContext> {
  const ctx = await requireAdmin(request);
  requireWritableSitting(ctx);
  if (!opts.allowFinance) requireAdminRole(ctx);
  if (opts.window) await requireWindow(ctx, opts.window);
  return ctx;
}
