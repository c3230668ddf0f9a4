import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { NON_KEY_FIELDS } from "~/domain/candidate-management";
import type { MessageKey } from "~/i18n";
import {
  BulkForm,
  BulkOutcomeView,
  CandidateSearchForm,
  CandidateTable,
  type BulkResult,
} from "~/components/candidate-search";
import { Pager } from "~/components/pager";
import { ReadOnlyBanner } from "~/components/window-badge";
import { cancelRegistrations } from "~/services/cancel-registrations.server";
import { parseSelection } from "~/services/candidate-selection.server";
import { deleteGroupRegistrations } from "~/services/delete-group-registrations.server";
import { searchCandidates } from "~/services/search-candidates.server";
import { setRegistrationLock } from "~/services/set-registration-lock.server";
import { updateNonKeyFields } from "~/services/update-non-key-fields.server";
import { parseCandidateFilter } from "~/schemas/candidate-filter";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { CandidateListActionSchema, MGT_INTENT } from "~/schemas/candidate-management";
import { requireAdminMutation, requireCapability } from "~/utils/permissions.server";
import { useT } from "~/utils/use-t";
import { searchParamsOf } from "~/utils/private-search.server";

/** Manual §二十五 (MGT-1, MGT-2): search the candidates of the scope; the site acts on its own inside the window. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    return searchCandidates(ctx, await searchParamsOf(request, ctx.accountId));
  });
}

const FIELD_KEY: Record<(typeof NON_KEY_FIELDS)[number], MessageKey> = {
  department: "field.department",
  major: "field.major",
  class_name: "field.class_name",
  student_no: "field.student_no",
  postcode: "field.postcode",
  address: "field.address",
  email: "field.email",
  extra_info: "mgt.extra_info",
  remark: "mgt.remark",
};

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async (): Promise<BulkResult> => {
    // WIN-3: every change here is gated by the site's registration-management window.
    const ctx = await requireAdminMutation(request, { window: "registration" });
    const sel = parseSelection(form);
    const input = parseForm(form, CandidateListActionSchema);
    switch (input.intent) {
      case MGT_INTENT.update: {
        const { intent: _intent, ...fields } = input;
        return { ok: true, message: "mgt.updated", ...(await updateNonKeyFields(ctx, sel, fields)) };
      }
      case MGT_INTENT.lock:
        return { ok: true, message: "mgt.locked_done", ...(await setRegistrationLock(ctx, sel, true)) };
      case MGT_INTENT.unlock:
        return { ok: true, message: "mgt.unlocked_done", ...(await setRegistrationLock(ctx, sel, false)) };
      case MGT_INTENT.cancel:
        return { ok: true, message: "mgt.cancelled_done", ...(await cancelRegistrations(ctx, sel, input.reason)) };
      case MGT_INTENT.delete: {
        // The entry filter of the search names the entries that go (manual §二十五 10).
        const subject = parseCandidateFilter(new URLSearchParams(input.filter)).subject;
        const r = await deleteGroupRegistrations(ctx, sel, subject);
        return {
          ok: true,
          message: "mgt.deleted_done",
          done: r.done,
          skipped: r.skipped,
          extra: { entries: r.entries, registrations: r.registrations },
        };
      }
    }
  });
}

const CONFIRM: Record<string, MessageKey> = {
  update: "mgt.confirm.update",
  lock: "mgt.confirm.lock",
  unlock: "mgt.confirm.unlock",
  cancel: "mgt.confirm.cancel",
  delete: "mgt.confirm.delete",
};

export default function Candidates() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const [params] = useSearchParams();
  return (
    <section>
      <h1>{t("mgt.title")}</h1>
      {d.isSite ? <ReadOnlyBanner view={d.window} /> : <p className="muted">{t("mgt.superior_hint")}</p>}
      <p>
        <Link to="/admin/review">{t("mgt.review_title")}</Link> ·{" "}
        <Link to="/admin/cancellations">{t("mgt.cancellations")}</Link> ·{" "}
        <Link to="/admin/candidates/account">{t("mgt.account_lookup")}</Link>
      </p>
      <CandidateSearchForm d={d} action="/admin/candidates" />
      <div className="toolbar">
        <p className="muted" data-total={d.total}>
          {t("common.total", { count: d.total })}
        </p>
        {d.total > 0 ? (
          <Form method="post" action={`/admin/candidates/export?${d.urlParams}`} reloadDocument={false}>
            <button type="submit">{t("mgt.export", { count: d.total })}</button>
          </Form>
        ) : null}
      </div>
      {d.writable ? (
        <BulkForm
          id="bulk"
          total={d.total}
          limit={d.limit}
          filterParams={d.filterParams}
          confirmKey={(i) => CONFIRM[i] ?? "mgt.confirm.update"}
        >
          <details className="bulk-action">
            <summary>{t("mgt.update_title")}</summary>
            <p className="muted small">{t("mgt.update_hint")}</p>
            <div className="form grid2">
              {NON_KEY_FIELDS.map((k) => (
                <label key={k}>
                  {t(FIELD_KEY[k])}
                  <input name={k} placeholder={t("mgt.unchanged")} />
                </label>
              ))}
            </div>
            <button type="submit" name="intent" value={MGT_INTENT.update} className="primary">
              {t("mgt.update")}
            </button>
          </details>
          <div className="bulk-buttons">
            <button type="submit" name="intent" value={MGT_INTENT.lock}>
              {t("mgt.lock")}
            </button>
            <button type="submit" name="intent" value={MGT_INTENT.unlock}>
              {t("mgt.unlock")}
            </button>
            <button
              type="submit"
              name="intent"
              value={MGT_INTENT.delete}
              className="danger"
              title={t("mgt.delete_hint")}
            >
              {t("mgt.delete")}
            </button>
          </div>
          <details className="bulk-action">
            <summary>{t("mgt.cancel_title")}</summary>
            <p className="muted small">{t("mgt.cancel_hint")}</p>
            <label>
              {t("mgt.reason")}
              <input name="reason" maxLength={500} />
            </label>
            <button type="submit" name="intent" value={MGT_INTENT.cancel} className="danger">
              {t("mgt.cancel")}
            </button>
          </details>
          {params.get("subject") ? (
            <p className="muted small">{t("mgt.delete_subject_hint", { subject: params.get("subject")! })}</p>
          ) : null}
        </BulkForm>
      ) : null}
      {/* Issue 15 item 1: the answer sits between the action buttons and the list they act on. */}
      <BulkOutcomeView r={r} />
      <CandidateTable rows={d.rows} selectable={d.writable} formId="bulk" sort={d.sort} />
      <Pager page={d.page} pages={d.pages} />
    </section>
  );
}
