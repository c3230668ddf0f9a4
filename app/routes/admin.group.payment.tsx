import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useEffect, useState } from "react";
import { useRevalidateWhile } from "~/utils/use-revalidate-while";
import { ActionNotice, Notice } from "~/components/alerts";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ReadOnlyBanner } from "~/components/window-badge";
import { formatYuan } from "~/domain/fees";
import { parsePaymentBatchFilter } from "~/domain/group-payment";
import type { MessageKey } from "~/i18n";
import { deletePaymentBatch } from "~/services/delete-payment-batch.server";
import { loadGroupPaymentPage } from "~/services/load-group-payment-page.server";
import { lockPaymentBatch } from "~/services/lock-payment-batch.server";
import { payPaymentBatch } from "~/services/pay-payment-batch.server";
import { reconcileReturn, refreshPaymentBatch } from "~/services/refresh-payment-batch.server";
import { guardAction, guardLoader, readForm } from "~/utils/http.server";
import { PAYMENT_BATCH_INTENT, PaymentBatchActionSchema } from "~/schemas/group-payment";
import {
  canChange,
  getWindowView,
  requireAdminMutation,
  requireCapability,
  requireSite,
} from "~/utils/permissions.server";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { DemoPaymentNotice } from "~/payments/demo-notice";

/**
 * Manual §二十五 6 (GRP-6): lock a group payment batch, then pay, refresh or delete it. Site
 * administrators only, inside the registration-management window (finance staff may look).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "payments");
    requireSite(ctx, "grouppay.site_only");
    const params = new URL(request.url).searchParams;
    // Back from the gateway: ask the provider at once rather than wait for its notification.
    const order = params.get("order");
    const returned = order ? await reconcileReturn(ctx, order) : null;
    const filter = parsePaymentBatchFilter((k) => params.get(k));
    const window = await getWindowView(ctx, "registration");
    // Just paid: the payment batch is shown even without "include paid".
    const page = await loadGroupPaymentPage(
      ctx,
      { includePaid: params.get("paid") === "1" || returned === "paid", includeDeleted: params.get("deleted") === "1" },
      filter,
    );
    return {
      window,
      writable: canChange(ctx, window),
      filter,
      returned,
      enabled: page.enabled,
      openExists: page.openExists,
      recentlyPaidIds: page.recentlyPaidIds,
      payable: page.payable,
      subjects: page.subjects,
      classNames: page.classNames,
      paymentBatches: page.paymentBatches.map((b) => ({
        id: b.id,
        status: b.status,
        candidates: b.candidate_count,
        entries: b.entry_count,
        perPersonCount: b.per_person_count,
        perPersonFen: b.per_person_fen,
        subjectFen: b.subject_fen,
        amountFen: b.amount_fen,
        subjects: b.subject_codes.join(","),
        reason: b.delete_reason,
        createdAt: b.created_at.toISOString(),
        pending: b.pending ? { id: b.pending.id, url: b.pending.url } : null,
      })),
    };
  });
}

type Result =
  | { ok: true; message: MessageKey; params: Record<string, string | number>; payUrl?: string }
  | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async (): Promise<Result> => {
    const ctx = await requireAdminMutation(request, { window: "registration" });
    requireSite(ctx, "grouppay.site_only");
    const input = await readForm(request, PaymentBatchActionSchema);
    switch (input.intent) {
      case PAYMENT_BATCH_INTENT.lock: {
        const b = await lockPaymentBatch(
          ctx,
          parsePaymentBatchFilter((k) => input[k as "channel" | "subject" | "className"]),
        );
        return {
          ok: true,
          message: "grouppay.locked",
          params: { id: b.id, candidates: b.candidate_count, entries: b.entry_count, amount: formatYuan(b.amount_fen) },
        };
      }
      case PAYMENT_BATCH_INTENT.pay: {
        const { redirectUrl } = await payPaymentBatch(ctx, input.paymentBatchId);
        return { ok: true, message: "grouppay.pay_opened", params: {}, payUrl: redirectUrl };
      }
      case PAYMENT_BATCH_INTENT.refresh: {
        const status = await refreshPaymentBatch(ctx, input.paymentBatchId);
        return {
          ok: true,
          message: status === "paid" ? "grouppay.refreshed_paid" : "grouppay.refreshed_open",
          params: { id: input.paymentBatchId },
        };
      }
      case PAYMENT_BATCH_INTENT.delete: {
        const r = await deletePaymentBatch(ctx, input.paymentBatchId, input.reason);
        return {
          ok: true,
          message: r.deleted ? "grouppay.deleted" : "grouppay.delete_paid",
          params: { id: input.paymentBatchId },
        };
      }
    }
  });
}

export default function GroupPayment() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  // Paying happens in another tab: this one follows each payment until it is settled, then says so
  // (a paid payment batch leaves the list unless "include paid" is ticked).
  const pendingIds = d.paymentBatches.filter((b) => b.pending).map((b) => b.id);
  const [followed, setFollowed] = useState<number[]>([]);
  const pendingKey = pendingIds.join(",");
  useEffect(() => {
    if (pendingKey) setFollowed((f) => [...new Set([...f, ...pendingKey.split(",").map(Number)])]);
  }, [pendingKey]);
  useRevalidateWhile(pendingIds.length > 0);
  const settled = followed.filter((id) => d.recentlyPaidIds.includes(id));
  const fmt = useFormatDateTime();
  const [params] = useSearchParams();
  const payUrl = r && r.ok ? r.payUrl : undefined;

  // Manual tip 3: the payment page opens in a new window (the link below if the browser blocks it).
  useEffect(() => {
    if (payUrl) window.open(payUrl, "_blank", "noopener");
  }, [payUrl]);

  const s = d.payable?.summary;
  const gaps = Object.entries(d.payable?.gaps ?? {}).filter(([, n]) => (n ?? 0) > 0);
  return (
    <section>
      <h1>{t("grouppay.title")}</h1>
      <DemoPaymentNotice />
      <ReadOnlyBanner view={d.window} />
      {!d.enabled ? (
        <p className="readonly-banner" data-testid="grouppay-disabled">
          {t("grouppay.disabled_hint")}
        </p>
      ) : null}
      {d.returned === "paid" ? (
        <p className="notice" role="status" data-testid="grouppay-returned">
          {t("grouppay.returned_paid")}
        </p>
      ) : null}
      {d.returned === "failed" ? (
        <p className="error" role="status" data-testid="grouppay-returned">
          {t("grouppay.returned_failed")}
        </p>
      ) : null}
      {r && !r.ok ? (
        <p className="error" role="alert" data-testid="grouppay-error">
          {r.error}
        </p>
      ) : null}
      {settled.map((id) => (
        <Notice key={id} testId="grouppay-settled">
          {t("grouppay.refreshed_paid", { id })}
        </Notice>
      ))}
      <ActionNotice result={r} testId="grouppay-result">
        {(done) => (
          <>
            {t(done.message, done.params)}{" "}
            {done.payUrl ? (
              <a href={done.payUrl} target="_blank" rel="noreferrer">
                {t("grouppay.open_pay_page")}
              </a>
            ) : null}
          </>
        )}
      </ActionNotice>
      <ol className="small muted">
        {(["grouppay.tip1", "grouppay.tip2", "grouppay.tip3", "grouppay.tip4", "grouppay.tip5"] as const).map((k) => (
          <li key={k}>{t(k)}</li>
        ))}
      </ol>

      {d.enabled ? (
        <>
          <h2>{t("grouppay.lock_title")}</h2>
          <p className="small muted">{t("grouppay.lock_hint")}</p>
          <Form method="get" className="row-form">
            <label>
              {t("grouppay.channel")}
              <select name="channel" defaultValue={d.filter.channel ?? ""}>
                <option value="">{t("grouppay.channel_all")}</option>
                <option value="online">{t("grouppay.channel_online")}</option>
                <option value="group">{t("grouppay.channel_group")}</option>
              </select>
            </label>
            <label>
              {t("grouppay.subject")}
              <select name="subject" defaultValue={d.filter.subject ?? ""}>
                <option value="">{t("grouppay.subject_all")}</option>
                {d.subjects.map((x) => (
                  <option key={x.code} value={x.code}>
                    {x.code} {x.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("grouppay.class")}
              <select name="className" defaultValue={d.filter.className ?? ""}>
                <option value="">{t("grouppay.class_all")}</option>
                {d.classNames.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            {params.get("paid") ? <input type="hidden" name="paid" value="1" /> : null}
            {params.get("deleted") ? <input type="hidden" name="deleted" value="1" /> : null}
            <button type="submit">{t("grouppay.filter")}</button>
          </Form>
          {s ? (
            <p data-testid="grouppay-payable" data-entries={s.entry_count}>
              {t("grouppay.payable", {
                candidates: s.candidate_count,
                entries: s.entry_count,
                perPerson: s.per_person_count,
                perPersonFee: formatYuan(s.per_person_fen),
                subjectFee: formatYuan(s.subject_fen),
                amount: formatYuan(s.amount_fen),
              })}
            </p>
          ) : null}
          {gaps.length > 0 ? (
            <p className="small muted">
              {t("grouppay.gaps")}{" "}
              {gaps
                .map(([k, n]) =>
                  t("grouppay.gap_line", { reason: t(`grouppay.why.${k}` as MessageKey), count: n ?? 0 }),
                )
                .join("；")}
            </p>
          ) : null}
          {d.writable && s ? (
            <Form
              method="post"
              onSubmit={(ev) => {
                if (
                  !confirm(
                    t("grouppay.lock_confirm", {
                      candidates: s.candidate_count,
                      entries: s.entry_count,
                      amount: formatYuan(s.amount_fen),
                    }),
                  )
                )
                  ev.preventDefault();
              }}
            >
              <input type="hidden" name="intent" value={PAYMENT_BATCH_INTENT.lock} />
              <input type="hidden" name="channel" value={d.filter.channel ?? ""} />
              <input type="hidden" name="subject" value={d.filter.subject ?? ""} />
              <input type="hidden" name="className" value={d.filter.className ?? ""} />
              <button
                type="submit"
                className="primary"
                disabled={d.openExists || s.entry_count === 0}
                data-testid="grouppay-lock"
              >
                {t("grouppay.lock")}
              </button>
              {d.openExists ? <span className="small muted"> {t("grouppay.open_exists")}</span> : null}
            </Form>
          ) : null}
        </>
      ) : null}

      <h2>{t("grouppay.manage_title")}</h2>
      <Form method="get" className="row-form">
        {d.filter.channel ? <input type="hidden" name="channel" value={d.filter.channel} /> : null}
        {d.filter.subject ? <input type="hidden" name="subject" value={d.filter.subject} /> : null}
        {d.filter.className ? <input type="hidden" name="className" value={d.filter.className} /> : null}
        <label className="check">
          <input type="checkbox" name="paid" value="1" defaultChecked={params.get("paid") === "1"} />{" "}
          {t("grouppay.include_paid")}
        </label>
        <label className="check">
          <input type="checkbox" name="deleted" value="1" defaultChecked={params.get("deleted") === "1"} />{" "}
          {t("grouppay.include_deleted")}
        </label>
        <button type="submit">{t("grouppay.filter")}</button>
      </Form>
      {d.paymentBatches.length === 0 ? (
        <p className="muted">{t("grouppay.none")}</p>
      ) : (
        <table className="grid" data-testid="grouppay-payment-batches">
          <thead>
            <tr>
              <th>{t("grouppay.col.id")}</th>
              <th>{t("grouppay.col.status")}</th>
              <th>{t("grouppay.col.candidates")}</th>
              <th>{t("grouppay.col.entries")}</th>
              <th>{t("grouppay.col.per_person_count")}</th>
              <th>{t("grouppay.col.subjects")}</th>
              <th>{t("grouppay.col.per_person_fee")}</th>
              <th>{t("grouppay.col.subject_fee")}</th>
              <th>{t("grouppay.col.total")}</th>
              <th>{t("grouppay.col.created")}</th>
              <th>{t("grouppay.col.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {d.paymentBatches.map((b) => (
              <tr key={b.id} id={`batch-${b.id}`} data-payment-batch={b.id} data-status={b.status}>
                <td>#{b.id}</td>
                <td>
                  <span className="nowrap">{t(`grouppay.status.${b.status}` as MessageKey)}</span>
                  {b.status === "deleted" && b.reason ? (
                    <div className="small muted">{t("grouppay.deleted_reason", { reason: b.reason })}</div>
                  ) : null}
                </td>
                <td className="num">{b.candidates}</td>
                <td className="num">{b.entries}</td>
                <td className="num">{b.perPersonCount}</td>
                <td>{b.subjects}</td>
                <td className="num">{formatYuan(b.perPersonFen)}</td>
                <td className="num">{formatYuan(b.subjectFen)}</td>
                <td className="num">{formatYuan(b.amountFen)}</td>
                <td className="nowrap">{fmt(b.createdAt)}</td>
                <td>
                  {b.status === "open" && d.writable ? (
                    <div className="actions">
                      {d.enabled ? (
                        <Form
                          method="post"
                          onSubmit={(ev) => {
                            if (
                              !confirm(
                                t("grouppay.pay_confirm", {
                                  id: b.id,
                                  candidates: b.candidates,
                                  entries: b.entries,
                                  amount: formatYuan(b.amountFen),
                                }),
                              )
                            )
                              ev.preventDefault();
                          }}
                        >
                          <input type="hidden" name="intent" value={PAYMENT_BATCH_INTENT.pay} />
                          <input type="hidden" name="paymentBatchId" value={b.id} />
                          <button type="submit" className="primary">
                            {t("grouppay.pay")}
                          </button>
                        </Form>
                      ) : null}
                      {b.pending?.url ? (
                        <a
                          href={b.pending.url}
                          target="_blank"
                          rel="noreferrer"
                          title={t("grouppay.pending", { id: b.pending.id })}
                        >
                          {t("grouppay.continue")}
                        </a>
                      ) : null}
                      <Form method="post">
                        <input type="hidden" name="intent" value={PAYMENT_BATCH_INTENT.refresh} />
                        <input type="hidden" name="paymentBatchId" value={b.id} />
                        <button type="submit">{t("grouppay.refresh")}</button>
                      </Form>
                      <Form
                        method="post"
                        className="row-form"
                        onSubmit={(ev) => {
                          if (!confirm(t("grouppay.delete_confirm"))) ev.preventDefault();
                        }}
                      >
                        <input type="hidden" name="intent" value={PAYMENT_BATCH_INTENT.delete} />
                        <input type="hidden" name="paymentBatchId" value={b.id} />
                        <input
                          name="reason"
                          required
                          maxLength={200}
                          placeholder={t("grouppay.delete_reason")}
                          aria-label={t("grouppay.delete_reason")}
                        />
                        <button type="submit" className="danger">
                          {t("grouppay.delete")}
                        </button>
                      </Form>
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
