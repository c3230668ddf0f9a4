import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { neighboursInList } from "~/services/search-candidates.server";
import { searchParamsOf } from "~/utils/private-search.server";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import fs from "node:fs/promises";
import { getDb } from "~db/client";
import { paymentBatchesOfRegistration } from "~db/queries/entries";
import { nameOf } from "~templates/code-tables";
import { AppError } from "~/domain/errors";
import { formatYuan } from "~/domain/fees";
import { PHOTO_MAX_FILE_BYTES } from "~/domain/photo";
import { submissionGap } from "~/domain/registration";
import { discardUpload, receiveUpload } from "~/imports/upload.server";
import { PhotoPicker } from "~/components/photo-picker";
import { replaceCandidatePhoto, submitForCandidate } from "~/services/act-for-candidate.server";
import { parsePhotoCrop } from "~/services/save-registration-photo.server";
import type { MessageKey } from "~/i18n";
import { StatusLines } from "~/components/status-lines";
import { ReadOnlyBanner } from "~/components/window-badge";
import { cancelRegistrations } from "~/services/cancel-registrations.server";
import type { BulkOutcome, Selection } from "~/services/candidate-selection.server";
import { deleteGroupRegistrations } from "~/services/delete-group-registrations.server";
import {
  loadCandidateForAdmin,
  refreshCandidatePayments,
  requireRegistrationInScope,
} from "~/services/load-candidate-for-admin.server";
import { reviewRegistrations } from "~/services/review-registrations.server";
import { reissueOneTimePassword } from "~/services/reissue-password.server";
import { setRegistrationLock } from "~/services/set-registration-lock.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { CandidateActionSchema, MGT_INTENT } from "~/schemas/candidate-management";
import { requireAdminMutation, requireCapability, isSite } from "~/utils/permissions.server";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { ActionError } from "~/components/alerts";

/** Manual §二十五 5 (MGT-1): one candidate's registration as the candidate sees it, plus the site's actions. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const d = await loadCandidateForAdmin(ctx, Number(params.id));
    const r = d.reg;
    // Opened from a result list (`?list=1` with its search): previous / next through that list.
    const query = await searchParamsOf(request, ctx.accountId);
    const inList = query.get("list") === "1" ? await neighboursInList(ctx, query, r.id) : null;
    return {
      id: r.id,
      list: inList ? { ...inList, query: new URL(request.url).search } : null,
      writable: d.writable,
      refreshable: d.refreshable,
      window: d.window,
      status: d.view.status,
      site: d.view.site ? { code: d.view.site.code, name: d.view.site.name, province: d.view.site.province } : null,
      reviewRequired: d.view.rules?.review_required ?? false,
      groupPaid: d.groupPaid,
      canCancel: d.cancelRefusal === null,
      // The whole ID number: reviewing personal data needs it (X-4's exception); lists mask it.
      person: {
        channel: r.channel,
        name: r.name,
        gender: nameOf("gender", r.gender, ctx.locale),
        birth_date: r.birth_date,
        id_type: nameOf("idType", r.id_type, ctx.locale),
        id_number: r.id_number,
        ethnicity: nameOf("ethnicity", r.ethnicity, ctx.locale),
        education: nameOf("education", r.education, ctx.locale),
        occupation: r.occupation ? nameOf("occupation", r.occupation, ctx.locale) : "",
        department: r.department,
        major: r.major,
        class_name: r.class_name,
        student_no: r.student_no,
        phone: r.phone,
        email: r.email,
        address: r.address,
        postcode: r.postcode,
        extra_info: r.extra_info,
        remark: r.remark,
        registry: r.registry_candidate,
        preferred_date: r.preferred_date,
      },
      locked: r.locked,
      review_status: r.review_status,
      review_failure_type: r.review_failure_type,
      review_reason: r.review_reason,
      hasPhoto: r.photo_id !== null,
      photoVersion: d.view.state?.photo_at ? new Date(d.view.state.photo_at).getTime() : 0,
      canSubmit:
        d.view.rules && d.view.state
          ? submissionGap(d.view.rules, d.view.state, d.view.entries.length) === null
          : false,
      entries: d.view.entries.map((e) => ({
        code: e.subject_code,
        name: e.subject_name,
        paid: e.paid,
        fee_fen: e.fee_fen,
        in_payment_batch: e.in_payment_batch,
        paid_at: e.paid_at,
      })),
      payments: d.payments.map((p) => ({
        id: p.id,
        status: p.status,
        amount_fen: p.amount_fen,
        subjects: p.subject_codes.join(","),
        created_at: p.created_at,
        finished_at: p.finished_at,
        paymentBatch: p.payment_batch_id,
      })),
      // Issue 15 item 8: a group-paid candidate has no order of their own; the site's payment batch is where it went.
      batches: await paymentBatchesOfRegistration(getDb(), r.id),
      account: d.account,
      // Issue 12 item 2: the candidate's own site may issue a new one-time password (any time in the current sitting).
      canReissue: d.account !== null && isSite(ctx) && ctx.org.id === r.org_id && d.refreshable && ctx.role === "admin",
    };
  });
}

/** One candidate: the bulk services with a selection of one, so each rule lives in one place. */
export async function action({ request, params }: ActionFunctionArgs) {
  const id = Number(params.id);
  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    // The photo upload: streamed with the candidate page's limit, checked and re-encoded (PHO-7).
    return guardAction(request, async () => {
      const ctx = await requireAdminMutation(request, { window: "registration" });
      const upload = await receiveUpload(request, { field: "photo", maxBytes: PHOTO_MAX_FILE_BYTES });
      try {
        await replaceCandidatePhoto(ctx, id, {
          bytes: await fs.readFile(upload.path),
          crop: parsePhotoCrop(upload.fields),
        });
      } finally {
        discardUpload(upload);
      }
      throw redirect(`/admin/candidates/${id}?photo=1`);
    });
  }
  const form = await request.formData();
  return guardAction(request, async () => {
    const input = parseForm(form, CandidateActionSchema);
    const intent = input.intent;
    if (input.intent === MGT_INTENT.refreshPayment) {
      // Asking the provider records what it answers: a change of the current sitting (ORG-7), by an
      // administrator or finance staff (payments are theirs, ORG-11), with no window: money may arrive late.
      const ctx = await requireAdminMutation(request, { capability: "payments" });
      await refreshCandidatePayments(ctx, id);
      return { ok: true as const, message: "mgt.payment_refreshed" as MessageKey };
    }
    if (input.intent === MGT_INTENT.reissuePassword) {
      // ORG-9: scope and site checked by the service (another site's candidate: 403); shown once, audited without it.
      const ctx = await requireAdminMutation(request);
      const r = await reissueOneTimePassword(ctx, id);
      return {
        ok: true as const,
        message: "reissue.done" as MessageKey,
        oneTimePassword: r.password,
        login: r.login,
        expiresAt: r.expiresAt.toISOString(),
      };
    }
    const ctx = await requireAdminMutation(request, { window: "registration" });
    await requireRegistrationInScope(ctx, id);
    if (input.intent === MGT_INTENT.submitReview) {
      await submitForCandidate(ctx, id);
      return { ok: true as const, message: "mgt.submitted_one" as MessageKey };
    }
    const sel: Selection = { mode: "selected", ids: [id] };
    let out: BulkOutcome;
    let message: MessageKey;
    switch (input.intent) {
      case MGT_INTENT.pass:
        out = await reviewRegistrations(ctx, sel, { pass: true });
        message = "mgt.passed_one";
        break;
      case MGT_INTENT.fail:
        out = await reviewRegistrations(ctx, sel, {
          pass: false,
          failureType: input.failureType,
          reason: input.reason,
        });
        message = "mgt.failed_one";
        break;
      case MGT_INTENT.lock:
        out = await setRegistrationLock(ctx, sel, true);
        message = "mgt.locked_one";
        break;
      case MGT_INTENT.unlock:
        out = await setRegistrationLock(ctx, sel, false);
        message = "mgt.unlocked_one";
        break;
      case MGT_INTENT.cancel:
        out = await cancelRegistrations(ctx, sel, input.reason);
        message = "mgt.cancelled_one";
        break;
      case MGT_INTENT.delete:
        out = await deleteGroupRegistrations(ctx, sel, input.subject || undefined);
        message = "mgt.deleted_one";
        break;
    }
    if (out.skipped.length) throw new AppError(out.skipped[0].reason as MessageKey, {}, 409);
    // A cancelled or wholly deleted registration has no page any more: go where it can be found.
    if (intent === MGT_INTENT.cancel) throw redirect("/admin/cancellations");
    if (
      intent === MGT_INTENT.delete &&
      !(await getDb().selectFrom("registration").select("id").where("id", "=", id).executeTakeFirst())
    )
      throw redirect("/admin/candidates");
    return { ok: true as const, message };
  });
}

export default function CandidatePage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  // ORG-9: a reissued one-time password is shown once, in its own box; every other success is a notice.
  const reissued = a && a.ok && "oneTimePassword" in a ? a : null;
  const t = useT();
  const fmt = useFormatDateTime();
  const [params] = useSearchParams();
  const p = d.person;
  const confirmSubmit = (key: MessageKey) => (ev: React.FormEvent) => {
    if (!confirm(t(key, { count: 1, limit: 1 }))) ev.preventDefault();
  };
  const FIELDS: Array<[MessageKey, string]> = [
    ["field.name", p.name],
    ["field.gender", p.gender],
    ["field.birth_date", p.birth_date],
    ["field.id_type", p.id_type],
    ["field.id_number", p.id_number],
    ["field.ethnicity", p.ethnicity],
    ["field.education", p.education],
    ["field.occupation", p.occupation],
    ["field.department", p.department],
    ["field.major", p.major],
    ["field.class_name", p.class_name],
    ["field.student_no", p.student_no],
    ["field.phone", p.phone],
    ["field.email", p.email],
    ["field.address", p.address],
    ["field.postcode", p.postcode],
    ["mgt.extra_info", p.extra_info],
    ["mgt.remark", p.remark],
    ["mgt.registry", t(p.registry ? "mgt.registry.registry" : "mgt.registry.public")],
    ["mgt.preferred_date", p.preferred_date ?? ""],
  ];
  return (
    <section data-testid="candidate-page" data-review={d.review_status} data-locked={d.locked}>
      <p>
        <Link to="/admin/candidates">← {t("mgt.title")}</Link>
      </p>
      <h1>{t("mgt.candidate_title", { name: p.name })}</h1>
      {d.list ? (
        <nav className="list-nav" aria-label={t("mgt.list_nav")} data-testid="list-nav">
          {d.list.prev ? (
            <Link to={`/admin/candidates/${d.list.prev}${d.list.query}`} rel="prev" data-testid="list-prev">
              ← {t("mgt.list_prev")}
            </Link>
          ) : (
            <span className="muted">← {t("mgt.list_prev")}</span>
          )}
          <span data-position={d.list.position}>
            {t("mgt.list_position", { n: d.list.position, total: d.list.total })}
          </span>
          {d.list.next ? (
            <Link to={`/admin/candidates/${d.list.next}${d.list.query}`} rel="next" data-testid="list-next">
              {t("mgt.list_next")} →
            </Link>
          ) : (
            <span className="muted">{t("mgt.list_next")} →</span>
          )}
        </nav>
      ) : null}
      <ReadOnlyBanner view={d.window} />
      {a && a.ok && !reissued ? (
        <p className="notice" role="status">
          {t(a.message)}
        </p>
      ) : null}
      <ActionError result={a} />
      <table className="info-table">
        <tbody>
          <tr>
            <th>{t("mgt.channel")}</th>
            <td>{t(`mgt.channel.${p.channel}`)}</td>
          </tr>
          <tr>
            <th>{t("mgt.locked")}</th>
            <td data-testid="locked">{d.locked ? t("mgt.locked.yes") : t("mgt.locked.no")}</td>
          </tr>
          <tr>
            <th>{t("mgt.review")}</th>
            <td data-testid="review-status">{t(`mgt.review.${d.review_status}`)}</td>
          </tr>
          {d.review_failure_type ? (
            <tr>
              <th>{t("mgt.last_failure")}</th>
              <td>
                {t(`review.type.${d.review_failure_type}` as MessageKey)} {d.review_reason}
              </td>
            </tr>
          ) : null}
          {d.site ? (
            <tr>
              <th>{t("mgt.site")}</th>
              <td>
                {d.site.province} ({d.site.code}) {d.site.name}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <h2>{t("mgt.process")}</h2>
      <StatusLines lines={d.status.lines} viewer="admin" />

      {d.writable ? (
        <div className="admin-actions" data-testid="admin-actions">
          {d.reviewRequired && d.review_status === "pending" ? (
            <Form method="post">
              <input type="hidden" name="intent" value={MGT_INTENT.pass} />
              <button type="submit" className="primary">
                {t("mgt.pass_one")}
              </button>
            </Form>
          ) : null}
          {d.reviewRequired && (d.review_status === "pending" || d.review_status === "passed") ? (
            <Form method="post" className="form inline">
              <input type="hidden" name="intent" value={MGT_INTENT.fail} />
              <label>
                {t("mgt.failure_type")}
                <select name="failureType" defaultValue="" required>
                  <option value="" />
                  {(["photo", "personal", "other"] as const).map((k) => (
                    <option key={k} value={k}>
                      {t(`review.type.${k}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("mgt.reason")}
                <input name="reason" required maxLength={500} />
              </label>
              <button type="submit" className="danger">
                {t("mgt.fail_one")}
              </button>
            </Form>
          ) : null}
          {d.canSubmit ? (
            <Form method="post">
              <input type="hidden" name="intent" value={MGT_INTENT.submitReview} />
              <button type="submit" data-testid="submit-for-candidate">
                {t("mgt.submit_for")}
              </button>
            </Form>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value={d.locked ? MGT_INTENT.unlock : MGT_INTENT.lock} />
            {/* MGT-2: locking without a photo would leave the candidate no way to add one. */}
            <button
              type="submit"
              disabled={!d.locked && !d.hasPhoto}
              title={!d.locked && !d.hasPhoto ? t("mgt.lock_needs_photo") : undefined}
            >
              {t(d.locked ? "mgt.unlock" : "mgt.lock")}
            </button>
          </Form>
          {d.canCancel ? (
            <Form method="post" className="form inline" onSubmit={confirmSubmit("mgt.confirm.cancel")}>
              <input type="hidden" name="intent" value={MGT_INTENT.cancel} />
              <label>
                {t("mgt.reason")}
                <input name="reason" required maxLength={500} />
              </label>
              <button type="submit" className="danger">
                {t("mgt.cancel")}
              </button>
            </Form>
          ) : null}
          {p.channel === "group" ? (
            <Form method="post" className="form inline" onSubmit={confirmSubmit("mgt.confirm.delete")}>
              <input type="hidden" name="intent" value={MGT_INTENT.delete} />
              <label>
                {t("mgt.subject")}
                <select name="subject" defaultValue="">
                  <option value="">{t("mgt.all_unpaid_entries")}</option>
                  {d.entries
                    .filter((e) => !e.paid && !e.in_payment_batch)
                    .map((e) => (
                      <option key={e.code} value={e.code}>
                        ({e.code}) {e.name}
                      </option>
                    ))}
                </select>
              </label>
              <button type="submit" className="danger">
                {t("mgt.delete")}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}

      <h2>{t("mgt.personal")}</h2>
      <div className="candidate-person">
        <div>
          {d.hasPhoto ? (
            <img
              src={`/admin/candidates/${d.id}/photo?v=${d.photoVersion}`}
              alt={t("mgt.photo")}
              width={120}
              height={160}
              data-testid="candidate-photo"
            />
          ) : (
            <p className="warn-text">{t("mgt.photo.no")}</p>
          )}
          {params.get("photo") ? (
            <p className="notice" role="status">
              {t("mgt.photo_replaced")}
            </p>
          ) : null}
          {d.writable && !d.locked ? (
            <details className="photo-replace">
              <summary>{t("mgt.photo_replace")}</summary>
              <Form
                method="post"
                encType="multipart/form-data"
                reloadDocument
                className="form"
                data-testid="admin-photo-form"
              >
                <PhotoPicker
                  name="photo"
                  currentUrl={null}
                  t={t as (k: string, p?: Record<string, string | number>) => string}
                />
                <button type="submit" className="primary">
                  {t("mgt.photo_upload")}
                </button>
              </Form>
            </details>
          ) : d.writable ? (
            <p className="muted small">{t("mgt.photo_locked")}</p>
          ) : null}
        </div>
        <table className="info-table">
          <tbody>
            {FIELDS.map(([k, v]) => (
              <tr key={k}>
                <th>{t(k)}</th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t("mgt.entries")}</h2>
      <table className="grid" data-testid="candidate-entries">
        <thead>
          <tr>
            <th>{t("mgt.subject")}</th>
            <th>{t("mgt.payment")}</th>
            <th>{t("mgt.fee")}</th>
            <th>{t("mgt.paid_at")}</th>
          </tr>
        </thead>
        <tbody>
          {d.entries.map((e) => (
            <tr key={e.code}>
              <td>
                ({e.code}) {e.name}
              </td>
              <td>
                {e.paid
                  ? t("mgt.entry_paid")
                  : e.in_payment_batch
                    ? t("mgt.entry_in_payment_batch")
                    : t("mgt.entry_unpaid")}
              </td>
              <td>{e.fee_fen !== null ? formatYuan(e.fee_fen) : ""}</td>
              <td>{e.paid_at ? fmt(String(e.paid_at)) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t("mgt.payments")}</h2>
      {d.payments.length ? (
        <table className="grid" data-testid="candidate-payments">
          <thead>
            <tr>
              <th>{t("mgt.order")}</th>
              <th>{t("mgt.payment_status")}</th>
              <th>{t("mgt.amount")}</th>
              <th>{t("mgt.subjects")}</th>
              <th>{t("mgt.created")}</th>
              <th>{t("mgt.finished")}</th>
            </tr>
          </thead>
          <tbody>
            {d.payments.map((x) => (
              <tr key={x.id}>
                <td>
                  <code>{x.id}</code>
                </td>
                <td>{t(`mgt.payment_status.${x.status}` as MessageKey)}</td>
                <td>{formatYuan(x.amount_fen)}</td>
                <td>{x.subjects}</td>
                <td>{fmt(String(x.created_at))}</td>
                <td>{x.finished_at ? fmt(String(x.finished_at)) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : d.batches.length === 0 ? (
        <p className="muted">{t("mgt.no_payments")}</p>
      ) : null}
      {d.batches.length ? (
        <>
          <h3>{t("mgt.group_batches")}</h3>
          <ul data-testid="candidate-batches">
            {d.batches.map((b) => (
              <li key={b.id} data-payment-batch={b.id}>
                <Link to={`/admin/group/payment#batch-${b.id}`}>
                  {t("mgt.group_batch", {
                    id: b.id,
                    status: t(`grouppay.status.${b.status}` as MessageKey),
                    subjects: b.subjects,
                    amount: formatYuan(b.feeFen),
                  })}
                </Link>
                {b.paidAt ? <> · {fmt(b.paidAt)}</> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {d.refreshable && d.payments.some((x) => x.status === "pending") ? (
        <Form method="post">
          <input type="hidden" name="intent" value={MGT_INTENT.refreshPayment} />
          <button type="submit">{t("mgt.refresh_payment")}</button>
        </Form>
      ) : null}

      <h2>{t("mgt.account")}</h2>
      {d.account ? (
        <table className="info-table" data-testid="candidate-account">
          <tbody>
            <tr>
              <th>{t("mgt.account_id")}</th>
              <td>
                <code>{d.account.id}</code>
              </td>
            </tr>
            <tr>
              <th>{t("mgt.account_name")}</th>
              <td>{d.account.name}</td>
            </tr>
            <tr>
              <th>{t("field.email")}</th>
              <td>{d.account.email}</td>
            </tr>
            <tr>
              <th>{t("mgt.mobile")}</th>
              <td>{d.account.mobile}</td>
            </tr>
          </tbody>
        </table>
      ) : (
        <p className="muted">{t("mgt.no_account")}</p>
      )}
      {reissued ? (
        <div className="notice" role="status" data-testid="reissued-password">
          <p>{t("reissue.done", { login: reissued.login ?? "" })}</p>
          <p className="otp-once">{reissued.oneTimePassword}</p>
          <p className="small">{t("reissue.expires", { at: fmt(reissued.expiresAt) })}</p>
        </div>
      ) : null}
      {d.canReissue ? (
        <Form
          method="post"
          className="form"
          data-testid="reissue-form"
          onSubmit={(ev) => {
            if (!confirm(t("reissue.confirm"))) ev.preventDefault();
          }}
        >
          <p className="small muted">{t("reissue.explain")}</p>
          <input type="hidden" name="intent" value={MGT_INTENT.reissuePassword} />
          <button type="submit">{t("reissue.button")}</button>
        </Form>
      ) : null}
    </section>
  );
}
