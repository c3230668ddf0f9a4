import { getDb } from "~db/client";
import { findAccountById, findMemberOf, findMembership } from "~db/queries/accounts";
import { findOrgSitting, getOrgPath } from "~db/queries/orgs";
import { getCurrentSitting } from "~db/queries/sittings";
import { listWindows } from "~db/queries/windows";
import type { JobRow, StoredFile } from "~db/schema";
import { isInScope, isStrictSuperior } from "~/domain/org";
import { fileCapabilities, hasCapabilities, hasCapability, jobRule, type Capability } from "~/domain/permissions";
import { isSittingWritable } from "~/domain/sitting";
import { effectiveWindow, formatWallClock, windowStatus, type WindowKind, type WindowSpan } from "~/domain/windows";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "./auth.server";
import { requireAdmin } from "./auth.server";
import { getEnv } from "./env.server";
import { findStoredFile } from "./file-store.server";

/** ORG-2: the one scope guard. Returns the target's path (root first). */
export async function requireOrgInScope(ctx: AdminContext, orgId: number) {
  const path = await getOrgPath(getDb(), orgId);
  if (
    path.length === 0 ||
    !isInScope(
      ctx.org.id,
      path.map((o) => o.id),
    )
  ) {
    throw new AppError("scope.denied", {}, 403);
  }
  return path;
}

/** ORG-4: a membership of this organisation in the viewed sitting; another's is out of scope (ORG-2). */
export async function requireMemberOf(ctx: AdminContext, orgId: number, membershipId: number) {
  const m = await findMemberOf(getDb(), orgId, ctx.sitting.id, membershipId);
  if (!m) throw new AppError("scope.denied", {}, 403);
  return m;
}

/** ORG-2/ORG-4: only a strict superior may add, enable, disable, delete or set windows of an organisation. */
export async function requireSuperiorOf(ctx: AdminContext, orgId: number) {
  const path = await getOrgPath(getDb(), orgId);
  if (
    path.length === 0 ||
    !isStrictSuperior(
      ctx.org.id,
      path.map((o) => o.id),
    )
  ) {
    throw new AppError("scope.denied", {}, 403);
  }
  return path;
}

/** ORG-1: whether the acting organisation is a site (superiors look at their sites' work; sites do it). */
export function isSite(ctx: Pick<AdminContext, "org">): boolean {
  return ctx.org.level === "site";
}

/**
 * ORG-1: a site's own work (its settings, candidates, imports, group payment): refused to a superior.
 * The message key names the page's wording; the rule is this one.
 */
export function requireSite(
  ctx: Pick<AdminContext, "org">,
  messageKey: "setup.site_only" | "grouppay.site_only" | "reissue.site_only" = "setup.site_only",
) {
  if (!isSite(ctx)) throw new AppError(messageKey, {}, 403);
}

/** SET-2: the province on the actor's path (a city's or a site's own province; the centre has none). */
export function requireProvinceOnPath(ctx: Pick<AdminContext, "orgPath">) {
  const p = ctx.orgPath.find((o) => o.level === "province");
  if (!p) throw new AppError("setup.no_province", {}, 403);
  return p;
}

/** SET-5/SET-3: what only a province sets (for all its sites at once). */
export function requireProvince(ctx: Pick<AdminContext, "org">) {
  if (ctx.org.level !== "province") throw new AppError("setup.province_only", {}, 403);
}

/** ORG-2: what a superior sets for one site below it (fees, eligibility, a site's province settings). */
export async function requireSiteBelow(ctx: AdminContext, siteId: number) {
  const path = await requireSuperiorOf(ctx, siteId);
  const site = path[path.length - 1];
  if (site.level !== "site") throw new AppError("setup.not_a_site");
  return site;
}

/**
 * WIN-1: who sets an organisation's windows: a strict superior, and the centre for its own (the
 * national calendar).
 */
export async function requireWindowSetter(ctx: AdminContext, orgId: number) {
  if (orgId === ctx.org.id && ctx.org.level === "centre") return;
  await requireSuperiorOf(ctx, orgId);
}

/** ORG-7: nothing of a past sitting can be changed. */
export function requireWritableSitting(ctx: AdminContext) {
  if (!isSittingWritable(ctx.sitting)) throw new AppError("sitting.read_only", { code: ctx.sitting.code }, 403);
}

/** ORG-11: finance staff change nothing outside finance. */
export function requireAdminRole(ctx: AdminContext) {
  requireCapabilityOf(ctx, "manage");
}

/**
 * ORG-11: the one role guard. Which role holds which capability is decided in app/domain/permissions.ts;
 * every admin loader names the capability its page needs here.
 */
export function requireCapabilityOf(ctx: AdminContext, ...capabilities: Capability[]) {
  if (hasCapabilities(ctx.role, capabilities)) return;
  // Changing is refused with the familiar "finance staff cannot do this"; reading with "not for your role".
  throw new AppError(capabilities.includes("manage") ? "role.admin_only" : "access.denied", {}, 403);
}

/** ORG-1/ORG-4/ORG-11: an administrator or finance user of an enabled organisation whose role holds the capabilities. */
export async function requireCapability(
  request: Request,
  ...capabilities: [Capability, ...Capability[]]
): Promise<AdminContext> {
  const ctx = await requireAdmin(request);
  requireCapabilityOf(ctx, ...capabilities);
  return ctx;
}

/** ORG-11: a page that roles reach for different reasons (a candidate's photo: review, or check-in), any one of them. */
export async function requireAnyCapability(
  request: Request,
  ...capabilities: [Capability, ...Capability[]]
): Promise<AdminContext> {
  const ctx = await requireAdmin(request);
  if (!capabilities.some((c) => hasCapability(ctx.role, c))) requireCapabilityOf(ctx, capabilities[0]);
  return ctx;
}

/** What a page may show or link to (menus, buttons): the same table the guards ask. */
export function can(ctx: Pick<AdminContext, "role">, capability: Capability): boolean {
  return hasCapability(ctx.role, capability);
}

/**
 * ORG-2/ORG-4/ORG-11: a generated result (stored file or job) is readable by exactly those who could
 * have created it: an enabled organisation's user whose role holds what creating it took and whose
 * scope covers the organisation it was made for. Not found and not allowed look the same.
 */
async function requireResultAccess(
  ctx: AdminContext,
  orgId: number | null,
  capabilities: readonly Capability[] | null,
) {
  if (orgId === null || capabilities === null) throw new AppError("access.not_found", {}, 404);
  requireCapabilityOf(ctx, ...capabilities);
  await requireOrgInScope(ctx, orgId);
}

/** `/files/:id`: the file, if the requester may download it. */
export async function requireStoredFileAccess(request: Request, fileId: string): Promise<StoredFile> {
  const ctx = await requireAdmin(request);
  const file = await findStoredFile(fileId);
  if (!file) throw new AppError("access.not_found", {}, 404);
  await requireResultAccess(ctx, file.org_id, fileCapabilities(file.kind));
  return file;
}

/** `/jobs/:id`: the job, if the requester may see it (its own requester too only while still allowed). */
export async function requireJobAccess(request: Request, jobId: string): Promise<JobRow> {
  const ctx = await requireAdmin(request);
  const job = /^[0-9a-f-]{36}$/.test(jobId)
    ? await getDb().selectFrom("job").selectAll().where("id", "=", jobId).executeTakeFirst()
    : undefined;
  if (!job) throw new AppError("access.not_found", {}, 404);
  try {
    await requireResultAccess(ctx, job.org_id, jobRule(job.type)?.capabilities ?? null);
  } catch (e) {
    // Another organisation's job is "not found", as it always was; a role refusal says why.
    if (e instanceof AppError && e.key === "scope.denied") throw new AppError("access.not_found", {}, 404);
    throw e;
  }
  return job;
}

/**
 * The job runner asks this before any handler runs (X-2 with ORG-2/ORG-4/ORG-11/ORG-7): the
 * requester, now, is an administrator of an enabled organisation in the current sitting whose role
 * holds the job's capabilities and whose scope covers the job's organisation (and the payload's);
 * a job that writes runs only in the current sitting. Handlers still recompute their scope.
 */
export async function requireJobRequester(
  job: Pick<JobRow, "type" | "account_id" | "org_id" | "sitting_id">,
  payloadOrgIds: readonly number[] = [],
) {
  const rule = jobRule(job.type);
  if (!rule || !job.account_id || job.org_id === null) throw new AppError("access.denied", {}, 403);
  const db = getDb();
  const current = await getCurrentSitting(db);
  const [account, m] = await Promise.all([
    findAccountById(db, job.account_id),
    findMembership(db, job.account_id, current.id),
  ]);
  if (!account || account.role !== "admin" || !m) throw new AppError("auth.no_org", {}, 403);
  if (!(await findOrgSitting(db, m.org_id, current.id))?.enabled) throw new AppError("auth.org_disabled", {}, 403);
  if (!hasCapabilities(m.role, rule.capabilities))
    throw new AppError(rule.writes ? "role.admin_only" : "access.denied", {}, 403);
  for (const orgId of [job.org_id, ...payloadOrgIds]) {
    if (
      !isInScope(
        m.org_id,
        (await getOrgPath(db, orgId)).map((o) => o.id),
      )
    )
      throw new AppError("scope.denied", {}, 403);
  }
  if (rule.writes && job.sitting_id !== current.id) throw new AppError("sitting.read_only", { code: "" }, 403);
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
export async function getWindowViews(
  ctx: AdminContext,
  kinds: readonly WindowKind[],
  now = new Date(),
): Promise<WindowView[]> {
  if (ctx.org.level === "centre")
    return kinds.map((kind) => ({ kind, gated: false, status: "open", starts_at: null, ends_at: null }));
  const rows = await listWindows(
    getDb(),
    ctx.sitting.id,
    ctx.orgPath.map((o) => o.id),
  );
  return kinds.map((kind) => {
    const byOrg = new Map(rows.filter((r) => r.kind === kind).map((r) => [r.org_id, r as WindowSpan]));
    const w = effectiveWindow([...ctx.orgPath].reverse().map((o) => byOrg.get(o.id) ?? null));
    return {
      kind,
      gated: true,
      status: windowStatus(w, now),
      starts_at: w?.starts_at ?? null,
      ends_at: w?.ends_at ?? null,
    };
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
  if (view.status === "not_set")
    return new AppError("window.closed_not_set", { windowKey: `window.kind.${view.kind}` }, 403);
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
  return isSittingWritable(ctx.sitting) && can(ctx, "manage") && (!window || !window.gated || window.status === "open");
}

/** Every admin mutation goes through here: account, writable sitting, role and (if gated) window. */
export async function requireAdminMutation(
  request: Request,
  /** `capability`: what the change needs (default "manage"; e.g. "payments" for finance's own changes). */
  opts: { window?: WindowKind; capability?: Capability } = {},
): Promise<AdminContext> {
  const ctx = await requireAdmin(request);
  requireWritableSitting(ctx);
  requireCapabilityOf(ctx, opts.capability ?? "manage");
  if (opts.window) await requireWindow(ctx, opts.window);
  return ctx;
}
