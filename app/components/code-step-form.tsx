import type { ReactNode } from "react";
import { Form } from "@remix-run/react";
import { useT } from "~/utils/use-t";

/**
 * The one-time-code step shared by sign-up and password recovery (CAN-1): where the code went, the
 * code field, the step's own fields (`children`), the error and a way back to ask again.
 */
export function CodeStepForm(props: {
  intent: string;
  ticket: string;
  sentTo: string;
  error?: string;
  testId: string;
  submitLabel: string;
  restartHref: string;
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <>
      <p className="notice" role="status" data-testid="code-sent">
        {t("verify.sent", { target: props.sentTo })}
      </p>
      <Form method="post" reloadDocument className="form" data-testid={props.testId}>
        <input type="hidden" name="intent" value={props.intent} />
        <input type="hidden" name="ticket" value={props.ticket} />
        <input type="hidden" name="sentTo" value={props.sentTo} />
        <label>
          {t("verify.code")}
          <input
            name="code"
            required
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9０-９ ]{6,8}"
            maxLength={8}
          />
          <span className="small muted">{t("verify.code_hint")}</span>
        </label>
        {props.children}
        {props.error ? (
          <p className="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <button type="submit" className="primary">
          {props.submitLabel}
        </button>
      </Form>
      <p className="small">
        <a href={props.restartHref}>{t("verify.resend")}</a>
      </p>
    </>
  );
}
