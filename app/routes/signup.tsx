import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { LocaleSwitch } from "~/root";
import { signUp } from "~/services/sign-up.server";
import { clientIp } from "~/utils/auth.server";
import { formString, guardAction } from "~/utils/http.server";
import { getRequestLocale } from "~/utils/i18n.server";
import { readSession, startSession } from "~/utils/session.server";
import { useT } from "~/utils/use-t";

export const meta: MetaFunction = () => [{ title: "考务 Kaowu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const s = await readSession(request);
  if (s) throw redirect(s.user.role === "admin" ? "/admin" : "/candidate");
  return null;
}

/** CAN-1: a candidate account with e-mail or mobile number; signed in at once. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const login = formString(form, "login");
  const name = formString(form, "name");
  return guardAction(request, async () => {
    const { id } = await signUp({
      login, name, password: formString(form, "password"), confirm: formString(form, "confirm"), ip: clientIp(request),
      locale: await getRequestLocale(request),
    });
    throw redirect("/candidate?welcome=1", { headers: { "Set-Cookie": await startSession(request, id) } });
  });
}

export default function SignUp() {
  const t = useT();
  const a = useActionData<typeof action>() as { error?: string } | undefined;
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>{t("signup.title")}</h1>
        <p className="muted">{t("signup.subtitle")}</p>
        <Form method="post" reloadDocument className="form" data-testid="signup-form">
          <label>{t("signup.login")}<input name="login" required autoComplete="username" placeholder={t("login.login_placeholder")} /></label>
          <label>{t("signup.name")}<input name="name" required autoComplete="name" /></label>
          <label>{t("login.password")}<input name="password" type="password" required autoComplete="new-password" /></label>
          <label>{t("password.confirm")}<input name="confirm" type="password" required autoComplete="new-password" /></label>
          <p className="small muted">{t("password.policy")}</p>
          {a?.error ? <p className="error" role="alert">{a.error}</p> : null}
          <button type="submit" className="primary">{t("signup.submit")}</button>
        </Form>
        <p className="small">{t("signup.have_account")} <Link to="/login">{t("login.submit")}</Link></p>
        <LocaleSwitch />
      </div>
    </main>
  );
}
