import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { getDb } from "~db/client";
import { findCurrentSitting } from "~db/queries/sittings";
import { LocaleSwitch } from "~/root";
import { requireAccount } from "~/utils/auth.server";
import { useT } from "~/utils/use-t";

/** ORG-8: candidates see the current sitting only. Registration pages build on this home. */
export async function loader({ request }: LoaderFunctionArgs) {
  const s = await requireAccount(request);
  if (s.user.role === "admin") throw redirect("/admin");
  const sitting = await findCurrentSitting(getDb());
  return { name: s.user.name, login: s.user.email ?? s.user.mobile ?? "", sitting: sitting ? { code: sitting.code, name: sitting.name } : null };
}

export default function CandidateHome() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const [params] = useSearchParams();
  return (
    <main className="candidate">
      <header className="topbar">
        <div className="brand">{t("app.name")}</div>
        <LocaleSwitch />
        <a href="/change-password">{t("password.title")}</a>
        <Form method="post" action="/logout"><button type="submit" className="link">{t("nav.logout")}</button></Form>
      </header>
      <section className="content">
        <h1>{t("candidate.welcome", { name: d.name })}</h1>
        {params.get("changed") ? <p className="notice" role="status">{t("password.changed")}</p> : null}
        <p>{t("candidate.account", { login: d.login })}</p>
        {d.sitting ? <p data-testid="candidate-sitting">{t("candidate.sitting", { code: d.sitting.code, name: d.sitting.name })}</p> : null}
        <p className="muted">{t("candidate.next")}</p>
      </section>
    </main>
  );
}
