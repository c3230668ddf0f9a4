import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { LocaleSwitch } from "~/root";
import { finishSignUp, startSignUp } from "~/services/sign-up.server";
import { clientIp } from "~/utils/auth.server";
import { parseForm, userMessage } from "~/utils/http.server";
import { CodeStepSchema, SIGNUP_INTENT, SignUpDetailsSchema } from "~/schemas/auth";
import { getRequestLocale } from "~/utils/i18n.server";
import { readSession, startSession } from "~/utils/session.server";
import { CodeStepForm } from "~/components/code-step-form";
import { useT } from "~/utils/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const s = await readSession(request);
  if (s) throw redirect(s.user.role === "admin" ? "/admin" : "/candidate");
  return null;
}

type ActionData = { step: "details"; error: string } | { step: "code"; ticket: string; sentTo: string; error?: string };

/**
 * CAN-1: step "details" asks for the account (login, name, password) and sends a code; step "code"
 * creates the account once the code is entered, and signs in. Errors keep the user on their step.
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const ip = clientIp(request);
  const { intent, ticket, sentTo, code } = parseForm(form, CodeStepSchema);
  try {
    if (intent === SIGNUP_INTENT.verify) {
      const { id } = await finishSignUp({ ticket, code, ip });
      throw redirect("/candidate?welcome=1", { headers: { "Set-Cookie": await startSession(request, id) } });
    }
    const started = await startSignUp({
      ...parseForm(form, SignUpDetailsSchema),
      ip,
      locale: await getRequestLocale(request),
    });
    return { step: "code", ticket: started.ticket, sentTo: started.sentTo } satisfies ActionData;
  } catch (e) {
    if (e instanceof Response) throw e;
    const m = await userMessage(request, e);
    if (!m) throw e;
    const body: ActionData =
      intent === SIGNUP_INTENT.verify
        ? { step: "code", ticket, sentTo, error: m.message }
        : { step: "details", error: m.message };
    return data(body, { status: m.status });
  }
}

export default function SignUp() {
  const t = useT();
  const a = useActionData<typeof action>();
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>{t("signup.title")}</h1>
        {a?.step === "code" ? (
          <CodeStepForm
            intent={SIGNUP_INTENT.verify}
            ticket={a.ticket}
            sentTo={a.sentTo}
            error={"error" in a ? a.error : undefined}
            testId="signup-code-form"
            submitLabel={t("verify.submit")}
            restartHref="/signup"
          />
        ) : (
          <>
            <p className="muted">{t("signup.subtitle")}</p>
            <Form method="post" reloadDocument className="form" data-testid="signup-form">
              <input type="hidden" name="intent" value={SIGNUP_INTENT.start} />
              <label>
                {t("signup.login")}
                <input name="login" required autoComplete="username" placeholder={t("login.login_placeholder")} />
              </label>
              <label>
                {t("signup.name")}
                <input name="name" required autoComplete="name" />
              </label>
              <label>
                {t("login.password")}
                <input name="password" type="password" required minLength={8} autoComplete="new-password" />
              </label>
              <label>
                {t("password.confirm")}
                <input name="confirm" type="password" required minLength={8} autoComplete="new-password" />
              </label>
              <p className="small muted">{t("pw.policy")}</p>
              <p className="small muted">{t("account.signup.proof_note")}</p>
              {a?.error ? (
                <p className="error" role="alert">
                  {a.error}
                </p>
              ) : null}
              <button type="submit" className="primary">
                {t("signup.submit")}
              </button>
            </Form>
          </>
        )}
        <p className="small">
          {t("signup.have_account")} <Link to="/login">{t("login.submit")}</Link>
        </p>
        <LocaleSwitch />
      </div>
    </main>
  );
}
