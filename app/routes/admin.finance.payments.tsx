import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~db/client";
import { findLastJobOf } from "~db/queries/jobs";
import { ActionError } from "~/components/alerts";
import { JobProgress } from "~/components/job-progress";
import { StatsPageHead } from "~/components/stats-page-head";
import { PaymentsPanel, yuan } from "~/components/stats/panels";
import { differenceLabel } from "~/domain/reconciliation";
import { loadStatsView, resolveStatsScope, type PaymentsView } from "~/services/registration-statistics.server";
import { listDifferences, paidPaymentBatches } from "~/services/reconciliation.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { can, requireAdminMutation, requireCapability } from "~/utils/permissions.server";
import { isSittingWritable } from "~/domain/sitting";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { enqueueJob } from "~jobs/runner";
import { reconciliationJob } from "~jobs/definitions/reconciliation";
import statsCss from "~/styles/stats.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: statsCss }];

/**
 * FIN-2 (manual §二十八 支付统计 for finance): what was paid in the viewer's scope (ORG-2), by channel
 * and by group payment batch, and the gateway's ledger beside it with every difference listed.
 * Finance staff, administrators and superiors; amounts and order numbers only (ORG-11).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "payments");
    const scope = await resolveStatsScope(ctx, new URL(request.url).searchParams.get("site"));
    const db = getDb();
    const oneSite = scope.root.level === "site";
    const [data, batches, diffs, last] = await Promise.all([
      loadStatsView(ctx, scope, "payments") as Promise<PaymentsView>,
      oneSite ? paidPaymentBatches(db, ctx.sitting.id, scope.root.id) : Promise.resolve([]),
      listDifferences(
        db,
        ctx.sitting.id,
        scope.sites.map((s) => s.id),
        // An order the gateway knows and we do not belongs to no site: only the centre sees it.
        ctx.org.level === "centre" && !scope.narrowed,
      ),
      findLastJobOf(db, reconciliationJob, { orgId: ctx.org.id, sittingId: ctx.sitting.id }),
    ]);
    return {
      viewer: { id: ctx.org.id, code: ctx.org.code, name: ctx.org.name },
      scope,
      data,
      batches,
      diffs,
      job: last && (last.status === "queued" || last.status === "running") ? { id: last.id } : null,
      failed: last?.status === "failed",
      canRefresh: isSittingWritable(ctx.sitting) && can(ctx, "payments"),
      generatedAt: new Date(),
    };
  });
}

const ActionSchema = z.object({
  intent: z.literal("refresh", { errorMap: () => ({ message: "form.invalid" }) }),
});

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { capability: "payments" });
    parseForm(await request.formData(), ActionSchema);
    await enqueueJob(
      reconciliationJob,
      { locale: ctx.locale, actorName: ctx.name, ip: ctx.ip },
      { accountId: ctx.accountId, orgId: ctx.org.id, sittingId: ctx.sitting.id },
    );
    return { ok: true as const };
  });
}

export default function FinancePayments() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const busy = useNavigation().state !== "idle";
  const f = d.diffs.fetch;
  return (
    <section className="stats">
      <StatsPageHead
        title={t("finance.payments_title")}
        scope={d.scope}
        viewer={d.viewer}
        generatedAt={d.generatedAt}
        exportHref="/admin/finance/payments/export"
        exportLabel={t("finance.export")}
        hint={t("finance.payments_hint")}
      />
      <ActionError result={r} />
      <PaymentsPanel data={d.data} scope={d.scope} t={t} />

      {d.scope.root.level === "site" ? (
        <>
          <h2>{t("finance.batches_title")}</h2>
          {d.batches.length === 0 ? (
            <p className="muted">{t("finance.batches_none")}</p>
          ) : (
            <div className="stats-scroll">
              <table className="grid compact" data-testid="paid-batches">
                <thead>
                  <tr>
                    <th>{t("finance.batch_no")}</th>
                    <th className="num">{t("finance.batch_candidates")}</th>
                    <th className="num">{t("finance.batch_entries")}</th>
                    <th className="num">{t("stats.per_person_fen")}</th>
                    <th className="num">{t("stats.subject_fen")}</th>
                    <th className="num">{t("finance.amount")}</th>
                    <th>{t("finance.order_no")}</th>
                    <th>{t("finance.paid_at")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.batches.map((b) => (
                    <tr key={b.id}>
                      <td>{b.id}</td>
                      <td className="num">{b.candidate_count}</td>
                      <td className="num">{b.entry_count}</td>
                      <td className="num">{yuan(b.per_person_fen)}</td>
                      <td className="num">{yuan(b.subject_fen)}</td>
                      <td className="num">{yuan(b.amount_fen)}</td>
                      <td className="mono">{b.payment_id ?? "—"}</td>
                      <td>{b.finished_at ? fmt(b.finished_at) : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}

      <h2 id="reconciliation">{t("finance.reconciliation_title")}</h2>
      <p className="muted small">{t("finance.reconciliation_hint")}</p>
      {f ? (
        <p data-testid="last-fetch">
          {t("finance.last_fetch", {
            at: fmt(f.fetched_at),
            from: fmt(f.covers_from),
            records: f.records,
            by: f.fetched_by_name || "—",
          })}
        </p>
      ) : (
        <p className="muted" data-testid="last-fetch">
          {t("finance.never_fetched")}
        </p>
      )}
      {d.job ? (
        <JobProgress jobId={d.job.id} label={t("finance.fetching")} revalidateOnFinish />
      ) : d.canRefresh ? (
        <Form method="post">
          <input type="hidden" name="intent" value="refresh" />
          <button type="submit" disabled={busy}>
            {t("finance.refresh")}
          </button>
        </Form>
      ) : null}
      {d.failed ? <p className="notice error">{t("finance.fetch_failed")}</p> : null}
      {f ? (
        d.diffs.total === 0 ? (
          <p className="notice success" data-testid="no-differences">
            {t("finance.no_differences")}
          </p>
        ) : (
          <>
            <p className="notice warning" data-testid="differences-count">
              {t("finance.differences", { count: d.diffs.total })}
            </p>
            <div className="stats-scroll">
              <table className="grid compact" data-testid="differences">
                <thead>
                  <tr>
                    <th>{t("finance.diff_kind")}</th>
                    <th>{t("finance.order_no")}</th>
                    <th>{t("stats.site")}</th>
                    <th>{t("finance.our_status")}</th>
                    <th className="num">{t("finance.our_amount")}</th>
                    <th className="num">{t("finance.gateway_amount")}</th>
                    <th>{t("finance.txn_no")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.diffs.rows.map((x) => (
                    <tr key={x.id} data-kind={x.kind}>
                      <td>{t(differenceLabel(x.kind))}</td>
                      <td className="mono">{x.order_id}</td>
                      <td>{x.site_code ? `(${x.site_code}) ${x.site_name}` : t("finance.no_site")}</td>
                      <td>
                        {x.our_status ? t(`finance.payment_status.${x.our_status}` as never) : t("finance.not_ours")}
                      </td>
                      <td className="num">{x.our_fen === null ? "—" : yuan(x.our_fen)}</td>
                      <td className="num">{x.gateway_fen === null ? "—" : yuan(x.gateway_fen)}</td>
                      <td className="mono">{x.txn_id ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {d.diffs.total > d.diffs.rows.length ? (
              <p className="muted small">{t("finance.differences_more", { shown: d.diffs.rows.length })}</p>
            ) : null}
            <p className="muted small">{t("finance.differences_help")}</p>
          </>
        )
      ) : null}
    </section>
  );
}
