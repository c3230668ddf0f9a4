import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { LocaleSwitch } from "~/root";
import { logIn } from "~/services/log-in.server";
import { clientIp } from "~/utils/auth.server";
import { guardAction, parseForm } from "~/utils/http.server";
import { LogInSchema } from "~/schemas/auth";
import { safeRedirect } from "~/utils/safe-redirect";
import { readSession, startSession } from "~/utils/session.server";
import { useT } from "~/utils/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const s = await readSession(request);
  if (s) throw redirect(s.user.role === "admin" ? "/admin" : "/candidate");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    const input = parseForm(form, LogInSchema);
    const account = await logIn({ login: input.login, password: input.password, ip: clientIp(request) });
    const cookie = await startSession(request, account.id);
    const fallback = account.role === "admin" ? "/admin" : "/candidate";
    const to = account.must_change_password ? "/change-password" : safeRedirect(input.redirectTo, fallback);
    throw redirect(to, { headers: { "Set-Cookie": cookie } });
  });
}

export default function Login() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>{t("app.name")}</h1>
        <p className="muted">{t("login.subtitle")}</p>
        {params.get("reset") === "1" ? (
          <p className="notice" role="status" data-testid="password-reset">
            {t("forgot.done")}
          </p>
        ) : null}
        <Form method="post" className="form">
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <label>
            {t("login.login")}
            <input name="login" autoComplete="username" required placeholder={t("login.login_placeholder")} />
          </label>
          <label>
            {t("login.password")}
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          {result?.error ? (
            <p className="error" role="alert">
              {result.error}
            </p>
          ) : null}
          <button type="submit" className="primary" disabled={busy}>
            {t("login.submit")}
          </button>
        </Form>
        <p className="small">
          <a href="/forgot-password" data-testid="forgot-link">
            {t("forgot.link")}
          </a>
        </p>
        <p className="small">
          {t("signup.no_account")}{" "}
          <a href="/signup" data-testid="signup-link">
            {t("signup.title")}
          </a>
        </p>
        <LocaleSwitch />
      </div>
    </main>
  );
}
