import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { LocaleSwitch } from "~/root";
import { finishRecovery, startRecovery } from "~/services/recover-password.server";
import { clientIp } from "~/utils/auth.server";
import { parseForm, userMessage } from "~/utils/http.server";
import { CodeStepSchema, RECOVERY_INTENT, RecoveryLoginSchema, RecoveryResetSchema } from "~/schemas/auth";
import { getRequestLocale } from "~/utils/i18n.server";
import { CodeStepForm } from "~/components/code-step-form";
import { useT } from "~/utils/use-t";

export async function loader(_: LoaderFunctionArgs) {
  return null;
}

type ActionData = { step: "login"; error: string } | { step: "code"; ticket: string; sentTo: string; error?: string };

/**
 * Issue 12 item 2 (CAN-1, ORG-9): the login → a code through the address → a new password; every
 * session of the account ends. The same answer whether the account exists or not.
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const ip = clientIp(request);
  const { intent, ticket, sentTo, code } = parseForm(form, CodeStepSchema);
  try {
    if (intent === RECOVERY_INTENT.reset) {
      await finishRecovery({ ticket, code, ...parseForm(form, RecoveryResetSchema), ip });
      throw redirect("/login?reset=1");
    }
    const started = await startRecovery({
      ...parseForm(form, RecoveryLoginSchema),
      ip,
      locale: await getRequestLocale(request),
    });
    return { step: "code", ticket: started.ticket, sentTo: started.sentTo } satisfies ActionData;
  } catch (e) {
    if (e instanceof Response) throw e;
    const m = await userMessage(request, e);
    if (!m) throw e;
    const body: ActionData =
      intent === RECOVERY_INTENT.reset
        ? { step: "code", ticket, sentTo, error: m.message }
        : { step: "login", error: m.message };
    return data(body, { status: m.status });
  }
}

export default function ForgotPassword() {
  const t = useT();
  const a = useActionData<typeof action>();
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>{t("forgot.title")}</h1>
        {a?.step === "code" ? (
          <CodeStepForm
            intent={RECOVERY_INTENT.reset}
            ticket={a.ticket}
            sentTo={a.sentTo}
            error={"error" in a ? a.error : undefined}
            testId="recover-form"
            submitLabel={t("forgot.submit")}
            restartHref="/forgot-password"
          >
            <label>
              {t("forgot.new_password")}
              <input name="password" type="password" required minLength={8} autoComplete="new-password" />
            </label>
            <label>
              {t("password.confirm")}
              <input name="confirm" type="password" required minLength={8} autoComplete="new-password" />
            </label>
            <p className="small muted">{t("pw.policy")}</p>
          </CodeStepForm>
        ) : (
          <>
            <p className="muted">{t("forgot.subtitle")}</p>
            <Form method="post" reloadDocument className="form" data-testid="forgot-form">
              <input type="hidden" name="intent" value={RECOVERY_INTENT.send} />
              <label>
                {t("login.login")}
                <input name="login" required autoComplete="username" placeholder={t("login.login_placeholder")} />
              </label>
              {a?.error ? (
                <p className="error" role="alert">
                  {a.error}
                </p>
              ) : null}
              <button type="submit" className="primary">
                {t("forgot.send")}
              </button>
            </Form>
          </>
        )}
        <p className="small">
          <Link to="/login">{t("forgot.back_to_login")}</Link>
        </p>
        <LocaleSwitch />
      </div>
    </main>
  );
}
