import { roleLabel } from "~/domain/permissions";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData, useLocation, useRouteLoaderData, useSubmit } from "@remix-run/react";
import type { ReactNode } from "react";
import { groupStartsOpen, navigationFor, type NavPhase } from "~/navigation";
import { getDb } from "~db/client";
import { findSittingById, listSittings } from "~db/queries/sittings";
import { LocaleSwitch, ErrorBoundary as RootErrorBoundary } from "~/root";
import { requireAdmin, type AdminContext } from "~/utils/auth.server";
import { CAPABILITIES, type Capability } from "~/domain/permissions";
import { countOpenInvitations } from "~db/queries/invitations";
import { listPendingExtensionKinds } from "~db/queries/window-extensions";
import { can, getWindowViews } from "~/utils/permissions.server";
import { safeRedirect } from "~/utils/safe-redirect";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { SittingSwitchSchema } from "~/schemas/sittings";
import { setSessionSitting } from "~/utils/session.server";
import { useT } from "~/utils/use-t";
import { AppError } from "~/domain/errors";

export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireAdmin(request);
    const sittings = await listSittings(getDb());
    return {
      name: ctx.name,
      role: ctx.role,
      // ORG-11: the menu offers only what the role may open (the same table the loaders ask).
      can: Object.fromEntries(CAPABILITIES.map((c) => [c, can(ctx, c)])) as Record<Capability, boolean>,
      invitations: await countOpenInvitations(getDb(), ctx.accountId),
      // Issue 15 item 2: the menu opens the groups of the phase that is running.
      phase: await currentPhase(ctx),
      // WIN-5: a closed window's banner offers to ask the superior for more time, or says it was asked.
      extension: {
        canAsk: ctx.org.level !== "centre" && can(ctx, "manage") && ctx.sitting.is_current,
        pending: await listPendingExtensionKinds(getDb(), ctx.sitting.id, ctx.org.id),
      },
      org: { id: ctx.org.id, code: ctx.org.code, name: ctx.org.name, level: ctx.org.level },
      sitting: {
        id: ctx.sitting.id,
        code: ctx.sitting.code,
        name: ctx.sitting.name,
        is_current: ctx.sitting.is_current,
      },
      sittings: sittings.map((s) => ({ id: s.id, code: s.code, name: s.name, is_current: s.is_current })),
    };
  });
}

/** ORG-7: switching the viewed sitting is allowed to every admin; viewing a past one makes everything read-only. */
export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAdmin(request);
  const form = await request.formData();
  return guardAction(request, async () => {
    const { sittingId, redirectTo } = parseForm(form, SittingSwitchSchema);
    const s = await findSittingById(getDb(), sittingId);
    if (!s) throw new AppError("sitting.not_found", {}, 404);
    await setSessionSitting(ctx.sessionId, s.is_current ? null : s.id);
    throw redirect(safeRedirect(redirectTo, "/admin", { under: "/admin" }));
  });
}

async function currentPhase(ctx: AdminContext): Promise<NavPhase | null> {
  if (ctx.org.level === "centre") return null;
  const [pre, reg, alloc] = await getWindowViews(ctx, ["pre_registration", "registration", "allocation"]);
  if (alloc.status === "open") return "allocation";
  if (reg.status === "open") return "registration";
  if (pre.status === "open") return "pre_registration";
  // Between phases the season's daily pages (candidates, review, statistics) lead; the rest fold.
  return "registration";
}

export default function AdminLayout() {
  const d = useLoaderData<typeof loader>();
  return (
    <AdminShell d={d}>
      <Outlet />
    </AdminShell>
  );
}

/**
 * Issue 15 item 2: a refusal or an error of an admin page is drawn inside the layout (menu, sitting,
 * language), never as a bare error page; the layout's own failure falls through to the root's.
 */
export function ErrorBoundary() {
  const d = useRouteLoaderData<typeof loader>("routes/admin");
  if (!d) return <RootErrorBoundary />;
  return (
    <AdminShell d={d}>
      <RootErrorBoundary inLayout />
    </AdminShell>
  );
}

type LayoutData = ReturnType<typeof useLoaderData<typeof loader>>;

function AdminShell({ d, children }: { d: LayoutData; children: ReactNode }) {
  const t = useT();
  const submit = useSubmit();
  const location = useLocation();
  const groups = navigationFor({ level: d.org.level, can: d.can });
  return (
    <div className="admin">
      <header className="topbar">
        <div className="brand">{t("app.name")}</div>
        <div className="who" title={`${d.org.name} (${d.org.code}) · ${d.name}`}>
          <span className="who-org">
            {d.org.name} ({d.org.code})
          </span>
          <span className="badge">{t(roleLabel(d.role, d.org.level))}</span>
          <span className="who-name">{d.name}</span>
        </div>
        <Form method="post" action="/admin" className="sitting-switch" onChange={(e) => submit(e.currentTarget)}>
          <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
          <label>
            <span className="sitting-label">{t("sitting.viewing")}</span>
            <select name="sittingId" defaultValue={d.sitting.id} aria-label={t("sitting.viewing")}>
              {d.sittings.map((s) => (
                <option key={s.id} value={s.id}>
                  ({s.code}) {s.name}
                  {s.is_current ? ` · ${t("sitting.current")}` : ""}
                </option>
              ))}
            </select>
          </label>
          <noscript>
            <button type="submit">{t("common.go")}</button>
          </noscript>
        </Form>
        <LocaleSwitch />
        {/* On a phone the page comes first and the menu after it: this jumps there. */}
        <a href="#menu" className="menu-link">
          {t("nav.menu")} ↓
        </a>
        {d.invitations > 0 ? (
          <a href="/invitations" data-testid="invitations-link">
            {t("invite.nav")} ({d.invitations})
          </a>
        ) : null}
        <a href="/change-password">{t("password.title")}</a>
        <Form method="post" action="/logout">
          <button type="submit" className="link">
            {t("nav.logout")}
          </button>
        </Form>
      </header>
      {!d.sitting.is_current ? (
        <div className="readonly-banner" role="status">
          {t("sitting.past_banner", { code: d.sitting.code })}
        </div>
      ) : null}
      <div className="admin-body">
        <nav className="sidenav" id="menu" aria-label={t("nav.menu")} data-testid="sidenav">
          <NavLink to="/admin" end>
            {t("nav.home")}
          </NavLink>
          {groups.map((g) => (
            <details
              key={g.id}
              className="navsection"
              data-group={g.id}
              open={groupStartsOpen(g, location.pathname, d.phase)}
            >
              <summary className="navgroup">{t(g.label)}</summary>
              {g.items.map((i) => (
                <NavLink key={i.to} to={i.to} end={i.end}>
                  {t(i.label)}
                </NavLink>
              ))}
            </details>
          ))}
        </nav>
        <main className="content">{children}</main>
      </div>
    </div>
  );
}
