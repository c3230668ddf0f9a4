import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData, useLocation, useSubmit } from "@remix-run/react";
import { getDb } from "~db/client";
import { findSittingById, listSittings } from "~db/queries/sittings";
import { LocaleSwitch } from "~/root";
import { requireAdmin } from "~/utils/auth.server";
import { CAPABILITIES, type Capability } from "~/domain/permissions";
import { countOpenInvitations } from "~db/queries/invitations";
import { can } from "~/utils/permissions.server";
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

export default function AdminLayout() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const submit = useSubmit();
  const location = useLocation();
  const finance = d.role === "finance";
  return (
    <div className="admin">
      <header className="topbar">
        <div className="brand">{t("app.name")}</div>
        <div className="who">
          <span>
            {d.org.name} ({d.org.code})
          </span>
          <span className="badge">{t(finance ? "role.finance" : `role.admin.${d.org.level}`)}</span>
          <span>{d.name}</span>
        </div>
        <Form method="post" action="/admin" className="sitting-switch" onChange={(e) => submit(e.currentTarget)}>
          <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
          <label>
            {t("sitting.viewing")}
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
        <nav className="sidenav" aria-label={t("nav.menu")}>
          <NavLink to="/admin" end>
            {t("nav.home")}
          </NavLink>
          <div className="navgroup">{t("nav.group.basic")}</div>
          {d.can.users ? <NavLink to="/admin/orgs">{t("nav.orgs")}</NavLink> : null}
          <NavLink to="/admin/windows">{t("nav.windows")}</NavLink>
          <NavLink to="/admin/sittings">{t("nav.sittings")}</NavLink>
          {d.can.audit ? <NavLink to="/admin/audit">{t("nav.audit")}</NavLink> : null}
          {d.org.level === "centre" ? (
            <>
              <div className="navgroup">{t("nav.group.pre_registration")}</div>
              <NavLink to="/admin/setup/subjects">{t("setup.tab.subjects")}</NavLink>
            </>
          ) : (
            <>
              <div className="navgroup">{t("nav.group.pre_registration")}</div>
              <NavLink to="/admin/setup/settings">{t("setup.tab.settings")}</NavLink>
              <NavLink to="/admin/setup/subjects">{t("setup.tab.subjects")}</NavLink>
              <NavLink to="/admin/setup/fees">{t("setup.tab.fees")}</NavLink>
              <NavLink to="/admin/setup/capacity">{t("setup.tab.capacity")}</NavLink>
              <NavLink to="/admin/setup/eligibility">{t("setup.tab.eligibility")}</NavLink>
              <NavLink to="/admin/notice">{t("notice.title")}</NavLink>
              {d.org.level === "site" ? (
                <>
                  {d.can.personal_data ? (
                    <>
                      <div className="navgroup">{t("nav.group.registry")}</div>
                      <NavLink to="/admin/records/import">{t("records.import_title")}</NavLink>
                      <NavLink to="/admin/records" end>
                        {t("records.title")}
                      </NavLink>
                    </>
                  ) : null}
                  <div className="navgroup">{t("nav.group.registration")}</div>
                  {d.can.personal_data ? (
                    <>
                      <NavLink to="/admin/group/import">{t("nav.group_import")}</NavLink>
                      <NavLink to="/admin/photos/import">{t("nav.photo_import")}</NavLink>
                      <NavLink to="/admin/photos/check">{t("nav.photo_check")}</NavLink>
                    </>
                  ) : null}
                  {d.can.payments ? <NavLink to="/admin/group/payment">{t("nav.group_payment")}</NavLink> : null}
                  {d.can.personal_data ? (
                    <>
                      <NavLink to="/admin/candidates">{t("mgt.title")}</NavLink>
                      <NavLink to="/admin/review">{t("mgt.review_title")}</NavLink>
                      <NavLink to="/admin/cancellations">{t("mgt.cancellations")}</NavLink>
                    </>
                  ) : null}
                  {d.can.statistics ? <NavLink to="/admin/stats">{t("nav.stats")}</NavLink> : null}
                </>
              ) : null}
            </>
          )}
          {d.org.level !== "site" ? (
            <>
              {/* Superiors look over their sites' registration (MGT-1, MGT-5, MGT-6); the sites act. */}
              <div className="navgroup">{t("nav.group.registration")}</div>
              {d.can.personal_data ? <NavLink to="/admin/candidates">{t("mgt.title")}</NavLink> : null}
              {d.can.personal_data ? <NavLink to="/admin/cancellations">{t("mgt.cancellations")}</NavLink> : null}
              {d.can.statistics ? <NavLink to="/admin/stats">{t("nav.stats")}</NavLink> : null}
            </>
          ) : null}
        </nav>
        <main className="content">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
