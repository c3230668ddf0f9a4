import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { changePassword } from "~/services/change-password.server";
import { clientIp, requireAccount } from "~/utils/auth.server";
import { guardAction, parseForm } from "~/utils/http.server";
import { ChangePasswordSchema } from "~/schemas/auth";
import { endOtherSessions } from "~/utils/session.server";
import { AppError } from "~/domain/errors";
import { useT } from "~/utils/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const s = await requireAccount(request, { allowPasswordChange: true });
  return { forced: s.user.must_change_password, name: s.user.name, role: s.user.role };
}

export async function action({ request }: ActionFunctionArgs) {
  const s = await requireAccount(request, { allowPasswordChange: true });
  const form = await request.formData();
  return guardAction(request, async () => {
    const { current, next, confirm } = parseForm(form, ChangePasswordSchema);
    if (next !== confirm) throw new AppError("password.mismatch");
    await changePassword({ accountId: s.user.id, current, next, ip: clientIp(request) });
    await endOtherSessions(s.user.id, s.session.id);
    throw redirect(s.user.role === "admin" ? "/admin?changed=1" : "/candidate?changed=1");
  });
}

export default function ChangePassword() {
  const t = useT();
  const { forced, name } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>{t("password.title")}</h1>
        <p className="muted">{name}</p>
        {forced ? (
          <p className="notice" role="status">
            {t("password.forced")}
          </p>
        ) : null}
        <Form method="post" className="form">
          <label>
            {t("password.current")}
            <input name="current" type="password" autoComplete="current-password" required />
          </label>
          <label>
            {t("password.next")}
            <input name="next" type="password" autoComplete="new-password" required minLength={8} />
          </label>
          <label>
            {t("password.confirm")}
            <input name="confirm" type="password" autoComplete="new-password" required minLength={8} />
          </label>
          <p className="muted small">{t("pw.policy")}</p>
          {result?.error ? (
            <p className="error" role="alert">
              {result.error}
            </p>
          ) : null}
          <button type="submit" className="primary">
            {t("password.submit")}
          </button>
        </Form>
        {!forced ? (
          <p>
            <a href="/">{t("common.back")}</a>
          </p>
        ) : null}
      </div>
    </main>
  );
}
