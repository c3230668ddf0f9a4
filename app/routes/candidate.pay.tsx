import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useRevalidateWhile } from "~/utils/use-revalidate-while";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { listPayments } from "~db/queries/registrations";
import { formatYuan } from "~/domain/fees";
import { amountDue, paymentRefusal, personFeeCovered } from "~/domain/registration";
import type { MessageKey } from "~/i18n";
import { loadCandidateView, loadFees } from "~/services/load-registration.server";
import { abandonMyPayment } from "~/services/abandon-payment.server";
import { reconcilePayment, refreshMyPayment } from "~/services/reconcile-payments.server";
import { startPayment } from "~/services/start-payment.server";
import { requireCandidate } from "~/utils/auth.server";
import { guardAction, guardLoader, readForm } from "~/utils/http.server";
import { PAY_INTENT, PayActionSchema } from "~/schemas/candidate";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { DemoPaymentNotice } from "~/payments/demo-notice";

/**
 * CAN-6/CAN-7: what is due, pay it through the provider, and see the result when coming back.
 * GRP-6: entries in the site's group payment batch are listed apart: the site pays them.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const c = await requireCandidate(request);
    const db = getDb();
    const url = new URL(request.url);
    let v = await loadCandidateView(c.sitting.id, c.accountId);
    if (!v.registration || !v.rules || !v.state) throw redirect("/candidate/site");
    const order = url.searchParams.get("order");
    // Back from the gateway: ask the provider at once rather than wait for its notification.
    if (order && v.pending?.id === order) {
      await reconcilePayment(order);
      v = await loadCandidateView(c.sitting.id, c.accountId);
    }
    const reg = v.registration!;
    const fees = await loadFees(db, c.sitting.id, reg.org_id);
    const open = v.entries.filter((e) => !e.paid && !e.in_pending_payment);
    const unpaid = open.filter((e) => !e.in_payment_batch);
    const due = amountDue(
      v.rules!.per_person_fee_fen ?? 0,
      personFeeCovered(reg.person_fee_paid, v.entries),
      unpaid.map((e) => fees.get(e.subject_code) ?? 0),
    );
    const payments = await listPayments(db, reg.id);
    return {
      order,
      refusal: v.pending ? null : paymentRefusal(v.rules!, v.state!, open, new Date()),
      paymentBatch: open.filter((e) => e.in_payment_batch).map((e) => ({ code: e.subject_code, name: e.subject_name })),
      due: {
        perPerson: due.perPersonFen,
        total: due.totalFen,
        lines: unpaid.map((e) => ({
          code: e.subject_code,
          name: e.subject_name,
          fee: fees.get(e.subject_code) ?? null,
        })),
      },
      pending: v.pending
        ? {
            id: v.pending.id,
            amount: v.pending.amount_fen,
            url: v.pending.redirect_url,
            expires: v.pending.expires_at.toISOString(),
          }
        : null,
      paid: v.entries
        .filter((e) => e.paid)
        .map((e) => ({ code: e.subject_code, name: e.subject_name, fee: e.fee_fen })),
      payments: payments.map((p) => ({
        id: p.id,
        status: p.status,
        amount: p.amount_fen,
        at: p.created_at.toISOString(),
      })),
      lastOrder: order ? (payments.find((p) => p.id === order)?.status ?? null) : null,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const c = await requireCandidate(request);
    const { intent } = await readForm(request, PayActionSchema);
    if (intent === PAY_INTENT.pay) {
      const { redirectUrl } = await startPayment(c);
      throw redirect(redirectUrl);
    }
    if (intent === PAY_INTENT.refresh) await refreshMyPayment(c);
    if (intent === PAY_INTENT.abandon) await abandonMyPayment(c);
    throw redirect("/candidate/pay");
  });
}

export default function Pay() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const t = useT();
  // A payment open at the gateway: the page turns to paid on its own when the notification arrives.
  useRevalidateWhile(Boolean(d.pending));
  const fmt = useFormatDateTime();
  return (
    <section>
      <h1>{t("pay.title")}</h1>
      <DemoPaymentNotice />
      {d.lastOrder === "paid" ? (
        <p className="notice" role="status" data-testid="pay-result">
          {t("pay.result_paid")}
        </p>
      ) : null}
      {d.lastOrder === "failed" ? (
        <p className="error" role="status" data-testid="pay-result">
          {t("pay.result_failed")}
        </p>
      ) : null}
      {a?.error ? (
        <p className="error" role="alert" data-testid="pay-error">
          {a.error}
        </p>
      ) : null}
      {d.pending ? (
        <div className="notice" data-testid="pay-pending">
          <p>
            {t("pay.pending", {
              id: d.pending.id,
              amount: formatYuan(d.pending.amount),
              until: fmt(d.pending.expires),
            })}
          </p>
          <div className="actions">
            {d.pending.url ? (
              <a className="button primary" href={d.pending.url}>
                {t("pay.continue")}
              </a>
            ) : null}
            <Form method="post" reloadDocument>
              <input type="hidden" name="intent" value={PAY_INTENT.refresh} />
              <button type="submit" data-testid="pay-refresh">
                {t("pay.refresh")}
              </button>
            </Form>
            <Form method="post" reloadDocument>
              <input type="hidden" name="intent" value={PAY_INTENT.abandon} />
              <button type="submit" className="link">
                {t("pay.abandon")}
              </button>
            </Form>
          </div>
        </div>
      ) : null}
      {d.due.lines.length > 0 ? (
        <table className="compact" data-testid="pay-due">
          <tbody>
            {d.due.perPerson > 0 ? (
              <tr>
                <td>{t("pay.per_person")}</td>
                <td className="num">¥{formatYuan(d.due.perPerson)}</td>
              </tr>
            ) : null}
            {d.due.lines.map((l) => (
              <tr key={l.code}>
                <td>
                  {l.code} {l.name}
                </td>
                <td className="num">{l.fee === null ? t("pay.fee_not_set") : `¥${formatYuan(l.fee)}`}</td>
              </tr>
            ))}
            <tr className="total">
              <td>{t("pay.total")}</td>
              <td className="num" data-testid="pay-total">
                ¥{formatYuan(d.due.total)}
              </td>
            </tr>
          </tbody>
        </table>
      ) : null}
      {d.paymentBatch.length > 0 ? (
        <div className="notice" data-testid="pay-payment-batch">
          <h2>{t("pay.payment_batch_title")}</h2>
          <p className="small">{t("pay.payment_batch_hint")}</p>
          <ul>
            {d.paymentBatch.map((b) => (
              <li key={b.code}>
                {b.code} {b.name}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {d.refusal && !d.pending ? (
        <p className="muted" data-testid="pay-refusal">
          {t(d.refusal as MessageKey)}
        </p>
      ) : null}
      {!d.refusal && !d.pending ? (
        <Form method="post" reloadDocument>
          <input type="hidden" name="intent" value={PAY_INTENT.pay} />
          <p className="small muted">{t("pay.lock_hint")}</p>
          <button type="submit" className="primary" data-testid="pay-start">
            {t("pay.start", { amount: formatYuan(d.due.total) })}
          </button>
        </Form>
      ) : null}
      {d.paid.length > 0 ? (
        <>
          <h2>{t("pay.paid_title")}</h2>
          <ul data-testid="pay-paid">
            {d.paid.map((p) => (
              <li key={p.code}>
                {p.code} {p.name} · ¥{formatYuan(p.fee)}
              </li>
            ))}
          </ul>
          <p>
            <Link to="/candidate">{t("nav.status")}</Link>
          </p>
        </>
      ) : null}
      {d.payments.length > 0 ? (
        <details>
          <summary>{t("pay.history")}</summary>
          <table className="compact small">
            <tbody>
              {d.payments.map((p) => (
                <tr key={p.id}>
                  <td>{p.id}</td>
                  <td>{fmt(p.at)}</td>
                  <td className="num">¥{formatYuan(p.amount)}</td>
                  <td>{t(`pay.status.${p.status}` as MessageKey)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  );
}
