import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { LocaleSwitch } from "~/root";
import { requireCandidate } from "~/utils/auth.server";
import { countOpenInvitations } from "~db/queries/invitations";
import { guardLoader } from "~/utils/http.server";
import { useT } from "~/utils/use-t";

/** The candidate area (mobile-first): one top bar and the registration steps, current sitting only (ORG-8). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const c = await requireCandidate(request);
    return {
      name: c.name,
      login: c.email ?? c.mobile ?? "",
      sitting: { code: c.sitting.code, name: c.sitting.name },
      // ORG-3: an organisation's invitation waits for the owner's answer (/invitations).
      invitations: await countOpenInvitations(getDb(), c.accountId),
    };
  });
}

export default function CandidateLayout() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const steps = [
    ["/candidate", "cand.nav.status"],
    ["/candidate/site", "cand.nav.site"],
    ["/candidate/details", "cand.nav.details"],
    ["/candidate/photo", "cand.nav.photo"],
    ["/candidate/entries", "cand.nav.entries"],
    ["/candidate/pay", "cand.nav.pay"],
  ] as const;
  return (
    <div className="candidate">
      <header className="topbar">
        <div className="brand">{t("app.name")}</div>
        <LocaleSwitch />
        <span className="who small" data-testid="candidate-login">
          {d.name}
        </span>
        <Form method="post" action="/logout">
          <button type="submit" className="link">
            {t("nav.logout")}
          </button>
        </Form>
      </header>
      <nav className="steps" aria-label={t("cand.nav.label")}>
        {steps.map(([to, key]) => (
          <NavLink key={to} to={to} end prefetch="intent">
            {t(key)}
          </NavLink>
        ))}
      </nav>
      <main className="content">
        {d.invitations > 0 ? (
          <p className="notice" role="status" data-testid="invitations-banner">
            {t("invite.banner", { count: d.invitations })} <a href="/invitations">{t("invite.view")}</a>
          </p>
        ) : null}
        <p className="muted small" data-testid="candidate-sitting">
          {t("candidate.sitting", { code: d.sitting.code, name: d.sitting.name })}
        </p>
        <Outlet />
      </main>
    </div>
  );
}
