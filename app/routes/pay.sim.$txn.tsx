import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { AppError } from "~/domain/errors";
import type { MessageKey } from "~/i18n";
import { DemoPaymentNotice } from "~/payments/demo-notice";
import { simulatedGatewayEnabled } from "~/payments/index.server";
import {
  findSimTxn,
  settleSimulatedTxn,
  simNotifyDelayMs,
  simReturnUrl,
  SIM_OUTCOMES,
  type SimOutcome,
} from "~/payments/simulated.server";
import { LocaleSwitch } from "~/root";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { useFormatDateTime, useT } from "~/utils/use-t";

/**
 * CAN-7: the simulated gateway's cashier page. It stands in for a third party's site, so it knows no
 * sessions of ours: anyone holding the (unguessable) txn link may settle it, once, while it is open.
 */
export const meta: MetaFunction = () => [{ title: "模拟支付网关 · Simulated payment gateway" }];

/** The simulated gateway's one form: how the payer's "payment" ends. */
const SimSettleSchema = z.object({
  outcome: z.enum(SIM_OUTCOMES as [SimOutcome, ...SimOutcome[]], { message: "sim.bad_outcome" }),
});

/** How long the browser waits for the merchant to take the notification before going back. */
const RETURN_WAIT_MS = 2_000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    if (!simulatedGatewayEnabled()) throw new AppError("sim.not_found", {}, 404);
    const txn = await findSimTxn(params.txn ?? "");
    if (!txn) throw new AppError("sim.not_found", {}, 404);
    return {
      txn: {
        id: txn.id,
        orderId: txn.orderId,
        description: txn.description,
        amountFen: txn.amountFen,
        status: txn.status,
        settledAt: txn.settledAt ? txn.settledAt.toISOString() : null,
      },
      backUrl: simReturnUrl(txn.returnUrl, txn.orderId),
      delaySeconds: Math.round(simNotifyDelayMs() / 1000),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    if (!simulatedGatewayEnabled()) throw new AppError("sim.not_found", {}, 404);
    const { outcome } = parseForm(form, SimSettleSchema);
    const { txn, delivered } = await settleSimulatedTxn(params.txn ?? "", outcome);
    // success/fail: give the merchant a moment to take the notification, so the payer usually comes
    // back to a page that already knows; retries go on in the background either way.
    if (delivered && (outcome === "success" || outcome === "fail")) {
      await Promise.race([delivered, new Promise((resolve) => setTimeout(resolve, RETURN_WAIT_MS).unref?.())]);
    }
    throw redirect(simReturnUrl(txn.returnUrl, txn.orderId));
  });
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

export default function SimulatedCashier() {
  const t = useT();
  const fmt = useFormatDateTime();
  const { txn, backUrl, delaySeconds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const button = (outcome: SimOutcome, label: MessageKey, primary = false) => (
    <Form method="post" style={{ marginTop: ".6rem" }}>
      <input type="hidden" name="outcome" value={outcome} />
      <button
        type="submit"
        className={primary ? "primary" : undefined}
        disabled={busy}
        data-testid={`sim-pay-${outcome}`}
        style={{ width: "100%", padding: ".7rem", fontSize: "1rem" }}
      >
        {t(label)}
      </button>
    </Form>
  );
  return (
    <main className="auth-page">
      <div className="auth-card">
        <DemoPaymentNotice always />
        <h1>{t("sim.title")}</h1>
        <table className="info-table">
          <tbody>
            <tr>
              <th>{t("sim.merchant")}</th>
              <td>{t("sim.merchant_name")}</td>
            </tr>
            <tr>
              <th>{t("sim.order")}</th>
              <td>
                <code>{txn.orderId}</code>
              </td>
            </tr>
            <tr>
              <th>{t("sim.description")}</th>
              <td>{txn.description}</td>
            </tr>
            <tr>
              <th>{t("sim.amount")}</th>
              <td>
                <strong style={{ fontSize: "1.4rem" }} data-testid="sim-amount">
                  {t("sim.amount_value", { amount: yuan(txn.amountFen) })}
                </strong>
              </td>
            </tr>
            <tr>
              <th>{t("sim.txn")}</th>
              <td className="small">
                <code>{txn.id}</code>
              </td>
            </tr>
            {txn.status !== "open" ? (
              <>
                <tr>
                  <th>{t("sim.status")}</th>
                  <td data-testid="sim-status">{t(`sim.status.${txn.status}` as MessageKey)}</td>
                </tr>
                <tr>
                  <th>{t("sim.settled_at")}</th>
                  <td>{fmt(txn.settledAt)}</td>
                </tr>
              </>
            ) : null}
          </tbody>
        </table>
        {result?.error ? (
          <p className="error" role="alert">
            {result.error}
          </p>
        ) : null}
        {txn.status === "open" ? (
          <section aria-label={t("sim.choose")}>
            <p>{t("sim.choose")}</p>
            {button("success", "sim.pay", true)}
            {button("fail", "sim.fail")}
            {button("timeout", "sim.timeout")}
            <p className="muted small">{t("sim.timeout_hint")}</p>
            {button("delayed", "sim.delayed")}
            <p className="muted small">{t("sim.delayed_hint", { seconds: delaySeconds })}</p>
          </section>
        ) : (
          <>
            <p>{t("sim.settled")}</p>
            <p>
              <a className="button primary" href={backUrl} style={{ marginLeft: 0 }}>
                {t("sim.back")}
              </a>
            </p>
          </>
        )}
        <LocaleSwitch />
      </div>
    </main>
  );
}
