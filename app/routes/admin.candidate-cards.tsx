import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "~db/client";
import { findLastJobOf } from "~db/queries/jobs";
import { getSiteSetting } from "~db/queries/setup";
import { candidateCardsJob } from "~jobs/definitions/candidate-cards";
import { enqueueJob } from "~jobs/runner";
import { ActionError, ActionNotice } from "~/components/alerts";
import { JobProgress } from "~/components/job-progress";
import { SitePageHead } from "~/components/site-page-head";
import { AppError } from "~/domain/errors";
import { cardDownloadStatistics, candidateCardCheck } from "~/services/candidate-cards.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import {
  canChange,
  getWindowView,
  isSite,
  requireAdminMutation,
  requireCapability,
  requireSite,
} from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useT } from "~/utils/use-t";

/**
 * Manual §三十六/§三十七 (DOC-3, CAN-9): the site pre-generates its candidates' own cards after the
 * allocation window, checks that each exists and is current, and sees downloads per subject.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const db = getDb();
    const [check, stats, setting, last, allocation] = await Promise.all([
      candidateCardCheck(db, ctx.sitting.id, site.id),
      cardDownloadStatistics(db, ctx.sitting.id, site.id),
      getSiteSetting(db, ctx.sitting.id, site.id),
      findLastJobOf(db, candidateCardsJob, { orgId: site.id, sittingId: ctx.sitting.id }),
      getWindowView(ctx, "allocation"),
    ]);
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      check: { candidates: check.candidates, current: check.current, stale: check.stale, missing: check.missing },
      stats,
      selfPrint: setting.self_print,
      allocationOver: allocation.status === "closed",
      last: last ? { id: last.id, status: last.status, result: last.status === "done" ? last.result : null } : null,
      canGenerate: isSite(ctx) && canChange(ctx),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { capability: "personal_data" });
    requireSite(ctx);
    await request.formData();
    // DOC-3: after the allocation window ends (seats no longer move), only where candidates print their own.
    if ((await getWindowView(ctx, "allocation")).status !== "closed") throw new AppError("ccards.allocation_open");
    if (!(await getSiteSetting(getDb(), ctx.sitting.id, ctx.org.id)).self_print)
      throw new AppError("ccards.self_print_off");
    await enqueueJob(
      candidateCardsJob,
      { siteId: ctx.org.id, locale: ctx.locale },
      { accountId: ctx.accountId, orgId: ctx.org.id, sittingId: ctx.sitting.id },
    );
    return { ok: true as const };
  });
}

const pct = (a: number, b: number) => (b ? `${Math.round((100 * a) / b)} %` : "—");

export default function CandidateCards() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const running = d.last && (d.last.status === "queued" || d.last.status === "running");
  const c = d.check;
  const total = d.stats.reduce(
    (a, s) => ({
      entries: a.entries + s.entries,
      downloaded: a.downloaded + s.downloaded,
      downloads: a.downloads + s.downloads,
    }),
    { entries: 0, downloaded: 0, downloads: 0 },
  );
  return (
    <section>
      <SitePageHead title={t("ccards.title")} site={d.site} sites={d.sites} />
      <p className="muted">{t("ccards.hint")}</p>
      {!d.selfPrint ? <p className="notice partial">{t("ccards.self_print_off")}</p> : null}
      {d.selfPrint && !d.allocationOver ? <p className="notice partial">{t("ccards.allocation_open")}</p> : null}

      <h2>{t("ccards.check_title")}</h2>
      {c.candidates === 0 ? (
        <p className="muted empty">{t("ccards.no_cards")}</p>
      ) : (
        <div data-testid="ccards-check" data-current={c.current} data-stale={c.stale} data-missing={c.missing}>
          <p className={c.current === c.candidates ? "notice success" : "notice partial"}>
            {c.current === c.candidates ? t("ccards.all_current") : t("ccards.check", c)}
          </p>
          <p>
            <a href={`/admin/candidate-cards/export?what=report&site=${d.site.id}`} download>
              {t("ccards.report")}
            </a>
          </p>
        </div>
      )}
      {d.last?.result ? <p className="muted small">{t("ccards.last_run", d.last.result)}</p> : null}
      {running ? <JobProgress jobId={d.last!.id} label={t("ccards.progress")} revalidateOnFinish /> : null}
      {d.last?.status === "failed" ? (
        <p className="error" role="alert">
          {t("job.failed")}
        </p>
      ) : null}
      {d.canGenerate && d.selfPrint && d.allocationOver && c.candidates > 0 ? (
        <Form method="post">
          <button
            type="submit"
            className={c.current < c.candidates ? "primary" : undefined}
            disabled={busy || Boolean(running) || c.current === c.candidates}
            data-testid="pregenerate"
          >
            {t(c.current + c.stale > 0 ? "ccards.pregenerate_again" : "ccards.pregenerate")}
          </button>
        </Form>
      ) : null}
      <ActionError result={r} />
      <ActionNotice result={r}>{() => t("ccards.queued")}</ActionNotice>

      <h2>{t("ccards.stats_title")}</h2>
      {d.stats.length ? (
        <>
          <table className="grid compact" data-testid="ccards-stats">
            <thead>
              <tr>
                <th>{t("ccards.col_subject")}</th>
                <th className="num">{t("ccards.col_entries")}</th>
                <th className="num">{t("ccards.col_downloaded")}</th>
                <th className="num">{t("ccards.col_rate")}</th>
                <th className="num">{t("ccards.col_downloads")}</th>
              </tr>
            </thead>
            <tbody>
              {d.stats.map((s) => (
                <tr key={s.code} data-subject={s.code}>
                  <td>
                    ({s.code}) {s.name}
                  </td>
                  <td className="num">{s.entries}</td>
                  <td className="num">{s.downloaded}</td>
                  <td className="num">{pct(s.downloaded, s.entries)}</td>
                  <td className="num">{s.downloads}</td>
                </tr>
              ))}
              <tr className="total">
                <td>{t("ccards.col_total")}</td>
                <td className="num">{total.entries}</td>
                <td className="num">{total.downloaded}</td>
                <td className="num">{pct(total.downloaded, total.entries)}</td>
                <td className="num">{total.downloads}</td>
              </tr>
            </tbody>
          </table>
          <p>
            <a href={`/admin/candidate-cards/export?what=stats&site=${d.site.id}`} download>
              {t("ccards.stats_export")}
            </a>
          </p>
        </>
      ) : (
        <p className="muted empty">{t("ccards.no_cards")}</p>
      )}
    </section>
  );
}
