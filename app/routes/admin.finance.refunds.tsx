import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ActionError, ActionNotice } from "~/components/alerts";
import { Pager } from "~/components/pager";
import { SitePageHead } from "~/components/site-page-head";
import { yuan } from "~/components/stats/panels";
import { isRefundState, REFUND_STATES, refundReasonLabel, refundStateLabel } from "~/domain/refunds";
import { isSittingWritable } from "~/domain/sitting";
import { listRefunds, requestRefund } from "~/services/refunds.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { can, isSite, requireAdminMutation, requireCapability, requireSite } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useFormatDateTime, useT } from "~/utils/use-t";

const PAGE = 50;

/**
 * Issue 20 item 3: what a site owes back (late payments, per-person fees paid twice, cancelled paid
 * registrations), each paid back through the payment provider by the site's finance staff or
 * administrators; superiors read. The candidate's name only for those who may see personal data (ORG-11).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "payments");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const url = new URL(request.url);
    const stateParam = url.searchParams.get("state") ?? "";
    const state = isRefundState(stateParam) ? stateParam : null;
    const page = Math.max(1, Math.min(10_000, Number(url.searchParams.get("page")) || 1));
    const list = await listRefunds(ctx.sitting.id, site.id, can(ctx, "personal_data"), {
      state,
      offset: (page - 1) * PAGE,
      limit: PAGE,
    });
    const count = state
      ? (list.byState[state]?.count ?? 0)
      : Object.values(list.byState).reduce((n, s) => n + s.count, 0);
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      state,
      page,
      pages: Math.max(1, Math.ceil(count / PAGE)),
      rows: list.rows,
      byState: list.byState,
      names: can(ctx, "personal_data"),
      editable: isSite(ctx) && isSittingWritable(ctx.sitting) && can(ctx, "payments"),
    };
  });
}

const ActionSchema = z.object({
  intent: z.literal("refund", { errorMap: () => ({ message: "form.invalid" }) }),
  id: z.coerce.number().int().positive({ message: "form.invalid" }),
});

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { capability: "payments" });
    requireSite(ctx);
    const { id } = parseForm(await request.formData(), ActionSchema);
    const out = await requestRefund(ctx, id);
    return { ok: true as const, id, state: out.state, refusal: out.refusal };
  });
}

export default function Refunds() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const site = params.get("site");
  return (
    <section>
      <SitePageHead title={t("finance.refunds_title")} site={d.site} sites={d.sites} />
      <p className="muted">{t("finance.refunds_hint")}</p>
      <ActionError result={r} />
      <ActionNotice result={r} testId="refund-outcome">
        {(done) =>
          done.refusal
            ? t(done.refusal)
            : t(
                done.state === "refunded"
                  ? "finance.refund_done"
                  : done.state === "failed"
                    ? "finance.refund_failed"
                    : "finance.refund_pending",
              )
        }
      </ActionNotice>
      <table className="grid compact" data-testid="refund-totals">
        <thead>
          <tr>
            {REFUND_STATES.map((s) => (
              <th key={s} className="num">
                {t(refundStateLabel(s))}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {REFUND_STATES.map((s) => (
              <td key={s} className="num" data-state={s}>
                {t("finance.count_amount", { count: d.byState[s]?.count ?? 0, amount: yuan(d.byState[s]?.fen ?? 0) })}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      <Form method="get" className="form inline">
        {site ? <input type="hidden" name="site" value={site} /> : null}
        <label>
          {t("finance.state_filter")}
          <select name="state" defaultValue={d.state ?? ""}>
            <option value="">{t("finance.state_all")}</option>
            {REFUND_STATES.map((s) => (
              <option key={s} value={s}>
                {t(refundStateLabel(s))}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("finance.filter")}</button>
      </Form>
      {d.rows.length === 0 ? (
        <p className="muted" data-testid="refunds-empty">
          {t("finance.refunds_none")}
        </p>
      ) : (
        <div className="stats-scroll">
          <table className="grid compact" data-testid="refunds">
            <thead>
              <tr>
                <th>{t("finance.order_no")}</th>
                {d.names ? <th>{t("finance.candidate")}</th> : null}
                <th>{t("finance.reason")}</th>
                <th className="num">{t("finance.amount")}</th>
                <th>{t("finance.state")}</th>
                <th>{t("finance.due_since")}</th>
                <th>{t("finance.requested")}</th>
                {d.editable ? <th /> : null}
              </tr>
            </thead>
            <tbody>
              {d.rows.map((x) => (
                <tr key={x.id} data-refund={x.id} data-state={x.state}>
                  <td className="mono">{x.payment_id}</td>
                  {d.names ? <td>{x.name ?? "—"}</td> : null}
                  <td>{t(refundReasonLabel(x.reason))}</td>
                  <td className="num">{yuan(x.amount_fen)}</td>
                  <td>
                    {t(refundStateLabel(x.state))}
                    {x.state === "failed" && x.provider_message ? (
                      <div className="muted small" data-testid="provider-message">
                        {x.provider_message}
                      </div>
                    ) : null}
                  </td>
                  <td>{fmt(x.created_at)}</td>
                  <td>{x.requested_at ? `${fmt(x.requested_at)} ${x.requested_by_name}` : "—"}</td>
                  {d.editable ? (
                    <td>
                      {x.state === "due" || x.state === "failed" ? (
                        <Form
                          method="post"
                          onSubmit={(ev) => {
                            if (
                              !confirm(t("finance.refund_confirm", { amount: yuan(x.amount_fen), order: x.payment_id }))
                            )
                              ev.preventDefault();
                          }}
                        >
                          <input type="hidden" name="intent" value="refund" />
                          <input type="hidden" name="id" value={x.id} />
                          <button type="submit" disabled={busy}>
                            {t(x.state === "failed" ? "finance.refund_retry" : "finance.refund")}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={d.page} pages={d.pages} />
    </section>
  );
}
