import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatYuan, paymentReceipts } from "~/domain/fees";
import { formatClock } from "~/domain/rooms";
import { getDb } from "~db/client";
import { listPayments } from "~db/queries/registrations";
import { listOwnCancellations } from "~db/queries/cancellations";
import { paymentBatchesOfRegistration } from "~db/queries/entries";
import { submitRefusal } from "~/domain/registration";
import type { MessageKey } from "~/i18n";
import { loadCandidateView } from "~/services/load-registration.server";
import { mailingsOfRegistration, scoresOfRegistration } from "~/services/scores.server";
import { gradeLabel } from "~/domain/scores";
import { refundReasonLabel, refundStateLabel } from "~/domain/refunds";
import { refundsOfAccount } from "~/services/refunds.server";
import { submitForReview } from "~/services/submit-for-review.server";
import { requireCandidate } from "~/utils/auth.server";
import { guardAction, guardLoader, readForm } from "~/utils/http.server";
import { STATUS_INTENT, StatusActionSchema } from "~/schemas/candidate";
import { StatusLines } from "~/components/status-lines";
import { NEXT_LINK } from "~/components/next-step";
import { useFormatDateTime, useT } from "~/utils/use-t";

/** CAN-10: one place that says where the candidate stands and what to do next. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const c = await requireCandidate(request);
    const now = new Date();
    const v = await loadCandidateView(c.sitting.id, c.accountId, now);
    const reg = v.registration;
    return {
      account: c.email ?? c.mobile ?? "",
      status: v.status,
      site: v.site ? { code: v.site.code, name: v.site.name, province: v.site.province } : null,
      registration: reg
        ? {
            name: reg.name,
            channel: reg.channel,
            locked: reg.locked,
            review_status: reg.review_status,
            review_reason: reg.review_reason,
            review_failure_type: reg.review_failure_type,
            preferred_date: reg.preferred_date,
          }
        : null,
      entries: v.entries.map((e) => ({
        code: e.subject_code,
        name: e.subject_name,
        paid: e.paid,
        // CAN-10: where and when, once the admission number exists (ADM-1), and nothing before.
        exam:
          e.admission_no && e.room_number && e.exam_date
            ? {
                admissionNo: e.admission_no,
                date: e.exam_date,
                time: `${formatClock(e.start_min!)}–${formatClock(e.end_min!)}`,
                room: e.room_number,
                location: e.room_location ?? "",
                seat: String(e.seat).padStart(2, "0"),
              }
            : null,
        fee_fen: e.fee_fen ?? e.site_fee_fen,
      })),
      // Issue 15 item 8: a group-paid candidate's money went through the site's payment batch.
      batches: reg ? await paymentBatchesOfRegistration(getDb(), reg.id) : [],
      // CAN-7/CAN-10 (issue 15 item 6): each payment that went through, as a receipt.
      receipts: reg ? paymentReceipts(await listPayments(getDb(), reg.id), v.entries) : [],
      // Issue 15 item 6 (MGT-2): a cancelled exam is shown with its reason and what was paid, not as "not registered".
      cancellations: (await listOwnCancellations(getDb(), c.sitting.id, c.accountId)).map((x) => ({
        id: x.id,
        at: x.cancelled_at,
        reason: x.reason,
        paidFen: x.paid_fen,
        subjects: x.subject_codes,
        site: `(${x.site_code}) ${x.site_name}`,
      })),
      canSubmit: v.rules && v.state ? submitRefusal(v.rules, v.state, v.entries.length, now) === null : false,
      // CAN-9: the card can be downloaded now.
      cardDownload: v.cardDownload,
      // SCO-1 (issue 19 item 7): each subject's score and grade once imported.
      scores: reg
        ? (await scoresOfRegistration(getDb(), reg.id)).map((s) => ({
            subject: `${s.subject_code} ${v.entries.find((e) => e.subject_code === s.subject_code)?.subject_name ?? ""}`,
            score: s.score,
            grade: s.grade_code,
            certificate: s.certificate_no,
          }))
        : [],
      // SCO-2: how the certificate was sent, where the certificate centre's file says.
      mailings: reg ? await mailingsOfRegistration(getDb(), reg.id) : [],
      // Issue 20 item 3: money owed back, and how far its refund has gone.
      refunds: await refundsOfAccount(c.accountId, c.sitting.id),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const c = await requireCandidate(request);
    await readForm(request, StatusActionSchema);
    await submitForReview(c);
    return { ok: true as const, error: undefined };
  });
}

export default function CandidateStatus() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const [params] = useSearchParams();
  const next = d.status.next;
  // Here the review is submitted by the form below, not by a link to this page.
  const link = next === "submit_review" ? undefined : NEXT_LINK[next];
  return (
    <section>
      <h1>{t("status.title")}</h1>
      {params.get("changed") ? (
        <p className="notice" role="status">
          {t("password.changed")}
        </p>
      ) : null}
      {params.get("welcome") ? (
        <p className="notice" role="status">
          {t("signup.welcome", { login: d.account })}
        </p>
      ) : null}
      {a?.ok ? (
        <p className="notice" role="status">
          {t("review.submitted")}
        </p>
      ) : null}
      {a?.error ? (
        <p className="error" role="alert">
          {a.error}
        </p>
      ) : null}
      {d.site ? (
        <p data-testid="status-site">
          {t("status.site", { province: d.site.province, code: d.site.code, name: d.site.name })}
        </p>
      ) : null}
      <StatusLines lines={d.status.lines} />
      {d.registration?.review_status === "failed" ? (
        <p className="error" data-testid="review-reason">
          {t("status.review_reason", {
            type: t(`review.type.${d.registration.review_failure_type ?? "other"}` as MessageKey),
            reason: d.registration.review_reason,
          })}
        </p>
      ) : null}
      {d.entries.length > 0 ? (
        <table className="compact" data-testid="status-entries">
          <tbody>
            {d.entries.map((e) => (
              <tr key={e.code}>
                <td>
                  {e.code} {e.name}
                </td>
                <td>
                  {e.paid ? (
                    <span className="badge ok">{t("status.entry_paid", { fee: formatYuan(e.fee_fen) })}</span>
                  ) : (
                    <span className="badge">
                      {e.fee_fen !== null
                        ? t("status.entry_unpaid_fee", { fee: formatYuan(e.fee_fen) })
                        : t("status.entry_unpaid")}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {d.entries.some((e) => e.exam) ? (
        <section className="exam-schedule" data-testid="exam-schedule">
          <h2>{t("status.exam_schedule")}</h2>
          {d.entries.map((e) =>
            e.exam ? (
              <dl key={e.code} data-subject={e.code}>
                <dt>{t("status.exam_subject")}</dt>
                <dd>
                  {e.code} {e.name}
                </dd>
                <dt>{t("status.exam_admission_no")}</dt>
                <dd>
                  <code>{e.exam.admissionNo}</code>
                </dd>
                <dt>{t("status.exam_time")}</dt>
                <dd>
                  {e.exam.date} {e.exam.time}
                </dd>
                <dt>{t("status.exam_room")}</dt>
                <dd>
                  {e.exam.room}
                  {e.exam.location ? ` (${e.exam.location})` : ""}
                </dd>
                <dt>{t("status.exam_seat")}</dt>
                <dd>{e.exam.seat}</dd>
              </dl>
            ) : null,
          )}
          {d.cardDownload && next !== "print_card" ? (
            <p>
              <a href="/candidate/card" className="button" data-testid="download-card">
                {t("card.download")}
              </a>
            </p>
          ) : null}
        </section>
      ) : null}
      {d.scores.length ? (
        <section data-testid="my-scores">
          <h2>{t("scores.my_title")}</h2>
          <ul>
            {d.scores.map((s) => (
              <li key={s.subject}>
                {s.score !== null
                  ? t("scores.my_score", { subject: s.subject, score: s.score, grade: t(gradeLabel(s.grade)) })
                  : t("scores.my_grade_only", { subject: s.subject, grade: t(gradeLabel(s.grade)) })}
                {s.certificate ? ` · ${t("scores.my_certificate", { no: s.certificate })}` : ""}
              </li>
            ))}
          </ul>
          {d.mailings.map((m) => (
            <p key={m.subject_code} data-testid="my-mailing">
              {m.subject_code}: {t("mailing.mine", { courier: m.courier, tracking: m.tracking_no })}
              {m.mailed_on ? t("mailing.mine_date", { date: m.mailed_on }) : ""}
              {m.status ? ` · ${m.status}` : ""}
            </p>
          ))}
        </section>
      ) : null}
      {d.cancellations.map((x) => (
        <div className="notice partial" key={x.id} data-testid="cancellation" role="status">
          <p>
            <strong>{t("status.cancelled", { site: x.site, at: fmt(x.at) })}</strong>
          </p>
          <p>{t("status.cancelled_detail", { subjects: x.subjects, reason: x.reason })}</p>
          {x.paidFen > 0 ? <p>{t("status.cancelled_refund", { amount: formatYuan(x.paidFen) })}</p> : null}
        </div>
      ))}
      {d.refunds.length ? (
        <section data-testid="my-refunds">
          <h2>{t("finance.status_refunds")}</h2>
          <ul>
            {d.refunds.map((x) => (
              <li key={x.id} data-state={x.state}>
                {t("finance.status_refund_line", {
                  reason: t(refundReasonLabel(x.reason)),
                  amount: `¥${formatYuan(x.amount_fen)}`,
                  state: t(refundStateLabel(x.state)),
                })}
                {x.finished_at && x.state === "refunded" ? ` · ${fmt(x.finished_at)}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {d.batches.map((b) => (
        <p className="notice" key={b.id} data-testid="group-batch" data-payment-batch={b.id} data-status={b.status}>
          {b.paidAt
            ? t("status.group_batch_paid", {
                id: b.id,
                subjects: b.subjects,
                amount: formatYuan(b.feeFen),
                at: fmt(b.paidAt),
              })
            : t("status.group_batch_open", { id: b.id, subjects: b.subjects, amount: formatYuan(b.feeFen) })}
        </p>
      ))}
      {d.receipts.map((r) => (
        <table className="compact receipt" key={r.id} data-testid="receipt" data-order={r.id}>
          <caption>{t("status.receipt", { id: r.id, at: fmt(r.paidAt) })}</caption>
          <tbody>
            {r.perPersonFen > 0 ? (
              <tr>
                <td>{t("pay.per_person")}</td>
                <td className="num">¥{formatYuan(r.perPersonFen)}</td>
              </tr>
            ) : null}
            {r.lines.map((l) => (
              <tr key={l.code}>
                <td>
                  {l.code} {l.name}
                </td>
                <td className="num">¥{formatYuan(l.feeFen)}</td>
              </tr>
            ))}
            <tr className="total">
              <td>{t("pay.total")}</td>
              <td className="num">¥{formatYuan(r.totalFen)}</td>
            </tr>
          </tbody>
        </table>
      ))}
      <div className="next-step" data-testid="next-step" data-next={next}>
        <strong>{t("status.next")}</strong> {t(`next.${next}` as MessageKey)}
        {link ? (
          <p>
            <Link
              className="button primary"
              to={link}
              // The card is a PDF: the browser downloads it rather than the app routing to it.
              reloadDocument={next === "print_card"}
              data-testid={next === "print_card" ? "download-card" : undefined}
            >
              {t(`next.go.${next}` as MessageKey)}
            </Link>
          </p>
        ) : null}
        {d.canSubmit ? (
          <Form method="post" reloadDocument>
            <input type="hidden" name="intent" value={STATUS_INTENT.submitReview} />
            <p className="small muted">{t("review.submit_hint")}</p>
            <button type="submit" className="primary" data-testid="submit-review">
              {t("review.submit")}
            </button>
          </Form>
        ) : null}
      </div>
    </section>
  );
}
