import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData, useSearchParams } from "@remix-run/react";
import { ReadOnlyBanner } from "~/components/window-badge";
import { guardLoader } from "~/utils/http.server";
import { getWindowView, requireCapability } from "~/utils/permissions.server";
import { useT } from "~/utils/use-t";

/** Manual §十 – §十九: the pre-registration setup pages, all gated by the pre-registration window (WIN-2). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    return { level: ctx.org.level, window: await getWindowView(ctx, "pre_registration") };
  });
}

export default function SetupLayout() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const [params] = useSearchParams();
  const site = params.get("site");
  const q = site ? `?site=${site}` : "";
  return (
    <section>
      <nav className="tabs" aria-label={t("nav.group.pre_registration")}>
        <NavLink to={`/admin/setup/settings${q}`}>{t("setup.tab.settings")}</NavLink>
        <NavLink to={`/admin/setup/subjects${q}`}>{t("setup.tab.subjects")}</NavLink>
        <NavLink to={`/admin/setup/fees${q}`}>{t("setup.tab.fees")}</NavLink>
        <NavLink to={`/admin/setup/capacity${q}`}>{t("setup.tab.capacity")}</NavLink>
        <NavLink to={`/admin/setup/eligibility${q}`}>{t("setup.tab.eligibility")}</NavLink>
        <NavLink to="/admin/notice">{t("notice.title")}</NavLink>
      </nav>
      <ReadOnlyBanner view={d.window} />
      <Outlet />
    </section>
  );
}
