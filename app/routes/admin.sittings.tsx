import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { listSittings } from "~db/queries/sittings";
import { NewSittingSchema } from "~/schemas/org";
import { createSitting } from "~/services/create-sitting.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import { can, requireAdminMutation, requireCapability } from "~/utils/permissions.server";
import { formatDate } from "~/i18n";
import { useLocale, useT } from "~/utils/use-t";
import { ActionError, ActionNotice } from "~/components/alerts";

export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const sittings = await listSittings(getDb());
    return {
      canCreate: ctx.org.level === "centre" && can(ctx, "manage") && ctx.sitting.is_current,
      viewing: ctx.sitting.id,
      sittings: sittings.map((s) => ({
        id: s.id,
        code: s.code,
        name: s.name,
        starts_on: s.starts_on,
        ends_on: s.ends_on,
        is_current: s.is_current,
      })),
    };
  });
}

/** ORG-6: the centre creates a sitting; it becomes current and inherits organisations and users. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request);
    const r = await createSitting(ctx, NewSittingSchema.parse(Object.fromEntries(form)));
    return { ok: true as const, ...r };
  });
}

export default function Sittings() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const { locale } = useLocale();
  return (
    <section>
      <h1>{t("nav.sittings")}</h1>
      <ActionError result={r} />
      <ActionNotice result={r}>
        {(done) => <>{t("sitting.created", { orgs: done.orgs, users: done.users })}</>}
      </ActionNotice>
      <table className="grid">
        <thead>
          <tr>
            <th>{t("sitting.code")}</th>
            <th>{t("sitting.name")}</th>
            <th>{t("sitting.dates")}</th>
            <th>{t("window.state")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {d.sittings.map((s) => (
            <tr key={s.id}>
              <td>{s.code}</td>
              <td>{s.name}</td>
              <td>
                {formatDate(s.starts_on, locale)} – {formatDate(s.ends_on, locale)}
              </td>
              <td>
                {s.is_current ? (
                  <span className="badge ok">{t("sitting.current")}</span>
                ) : (
                  <span className="badge">{t("sitting.past")}</span>
                )}
              </td>
              <td>
                {s.id !== d.viewing ? (
                  <Form method="post" action="/admin">
                    <input type="hidden" name="sittingId" value={s.id} />
                    <input type="hidden" name="redirectTo" value="/admin" />
                    <button type="submit">{t("sitting.switch")}</button>
                  </Form>
                ) : (
                  <span className="muted">{t("sitting.viewing_now")}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.canCreate ? (
        <Form method="post" className="form inline">
          <h2>{t("sitting.create")}</h2>
          <label>
            {t("sitting.code")}
            <input name="code" required pattern="\d{2}" inputMode="numeric" maxLength={2} />
          </label>
          <label>
            {t("sitting.name")}
            <input name="name" required />
          </label>
          <label>
            {t("sitting.starts_on")}
            <input name="starts_on" type="date" required />
          </label>
          <label>
            {t("sitting.ends_on")}
            <input name="ends_on" type="date" required />
          </label>
          <button
            type="submit"
            className="primary"
            onClick={(e) => {
              if (!confirm(t("sitting.create_confirm"))) e.preventDefault();
            }}
          >
            {t("sitting.create")}
          </button>
          <p className="muted small">{t("sitting.create_hint")}</p>
        </Form>
      ) : null}
    </section>
  );
}
