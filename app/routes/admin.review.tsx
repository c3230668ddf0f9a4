import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { getSiteSetting } from "~db/queries/setup";
import {
  BulkForm,
  BulkOutcomeView,
  CandidateSearchForm,
  CandidateTable,
  type BulkResult,
} from "~/components/candidate-search";
import { Pager } from "~/components/pager";
import { ReadOnlyBanner } from "~/components/window-badge";
import { parseSelection } from "~/services/candidate-selection.server";
import { reviewRegistrations } from "~/services/review-registrations.server";
import { searchCandidates } from "~/services/search-candidates.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { MGT_INTENT, ReviewActionSchema } from "~/schemas/candidate-management";
import { REVIEW_FAILURE_TYPES } from "~/domain/candidate-management";
import { requireAdminMutation, requireCapability, isSite } from "~/utils/permissions.server";
import { useT } from "~/utils/use-t";
import { searchParamsOf } from "~/utils/private-search.server";

/** Manual §二十六 (MGT-4): bulk review. Without a filter the page opens on the candidates waiting for review. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const params = await searchParamsOf(request, ctx.accountId);
    // Without a filter the page opens on the pending candidates, in the URL so paging and sorting keep it.
    if (![...params.keys()].length) throw redirect("/admin/review?review=pending");
    const data = await searchCandidates(ctx, params);
    const reviewRequired = isSite(ctx)
      ? (await getSiteSetting(getDb(), ctx.sitting.id, ctx.org.id)).review_required
      : null;
    return { ...data, reviewRequired };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async (): Promise<BulkResult> => {
    const ctx = await requireAdminMutation(request, { window: "registration" });
    const sel = parseSelection(form);
    const input = parseForm(form, ReviewActionSchema);
    if (input.intent === MGT_INTENT.pass)
      return { ok: true, message: "mgt.passed_done", ...(await reviewRegistrations(ctx, sel, { pass: true })) };
    return {
      ok: true,
      message: "mgt.failed_done",
      ...(await reviewRegistrations(ctx, sel, { pass: false, failureType: input.failureType, reason: input.reason })),
    };
  });
}

export default function Review() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  return (
    <section>
      <h1>{t("mgt.review_title")}</h1>
      {d.isSite ? <ReadOnlyBanner view={d.window} /> : null}
      {d.reviewRequired === false ? (
        <p className="notice" data-testid="review-not-required">
          {t("mgt.review_not_required")}
        </p>
      ) : null}
      <p className="muted small">{t("mgt.review_rules")}</p>
      <CandidateSearchForm d={d} action="/admin/review" />
      <p className="muted" data-total={d.total}>
        {t("common.total", { count: d.total })}
      </p>
      {d.writable ? (
        <BulkForm
          id="review"
          total={d.total}
          limit={d.limit}
          filterParams={d.filterParams}
          confirmKey={(i) => (i === "pass" ? "mgt.confirm.pass" : "mgt.confirm.fail")}
        >
          <div className="bulk-buttons">
            <button type="submit" name="intent" value={MGT_INTENT.pass} className="primary">
              {t("mgt.pass")}
            </button>
          </div>
          <fieldset className="bulk-action">
            <legend>{t("mgt.fail_title")}</legend>
            <label>
              {t("mgt.failure_type")}
              <select name="failureType" defaultValue="">
                <option value="" />
                {REVIEW_FAILURE_TYPES.map((k) => (
                  <option key={k} value={k}>
                    {t(`review.type.${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("mgt.reason")}
              <input name="reason" maxLength={500} />
            </label>
            <button type="submit" name="intent" value={MGT_INTENT.fail} className="danger">
              {t("mgt.fail")}
            </button>
          </fieldset>
        </BulkForm>
      ) : null}
      {/* Issue 15 item 1: the answer sits between the action buttons and the list they act on. */}
      <BulkOutcomeView r={r} />
      <CandidateTable rows={d.rows} selectable={d.writable} formId="review" sort={d.sort} thumbnails />
      <Pager page={d.page} pages={d.pages} />
    </section>
  );
}
