import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { getDb } from "~db/client";
import { findRegistrationByAccount, listEntries } from "~db/queries/registrations";
import { formatYuan } from "~/domain/fees";
import { onlineWindowStatus, personFeeCovered } from "~/domain/registration";
import {
  loadCandidateView,
  loadOffer,
  loadPreferredDays,
  loadSiteLabel,
  loadSiteRules,
} from "~/services/load-registration.server";
import { entriesFromForm, setEntriesOfRequest } from "~/services/set-entries.server";
import { requireCandidate } from "~/utils/auth.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import { readSaveAnswer, SAVE_URL, SAVED_PAGE } from "~/utils/entries-form";
import { NextStepButton } from "~/components/next-step";
import { useFormatDateTime, useT } from "~/utils/use-t";

/** CAN-2/CAN-4: choose entries (up to the site's maximum) with the seats left shown live; SET-5 preferred date. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const c = await requireCandidate(request);
    const db = getDb();
    const now = new Date();
    const reg = await findRegistrationByAccount(db, c.sitting.id, c.accountId);
    if (!reg) throw redirect("/candidate/site");
    const rules = await loadSiteRules(db, c.sitting.id, reg.org_id);
    const site = await loadSiteLabel(db, reg.org_id);
    const entries = await listEntries(db, reg.id, now);
    // Issue 15 item 7: once saved, the next step is the page's primary button.
    const saved = new URL(request.url).searchParams.has("saved");
    return {
      next: saved ? (await loadCandidateView(c.sitting.id, c.accountId, now)).status.next : null,
      offer: await loadOffer(db, c.sitting.id, reg.org_id),
      entries: entries.map((e) => ({
        code: e.subject_code,
        name: e.subject_name,
        paid: e.paid,
        pending: e.in_pending_payment,
        inPaymentBatch: e.in_payment_batch,
      })),
      max: rules.max_entries,
      open: onlineWindowStatus(rules, now) === "open" && reg.channel === "online",
      group: reg.channel === "group",
      perPersonFen: personFeeCovered(reg.person_fee_paid, entries) ? 0 : (rules.per_person_fee_fen ?? 0),
      days: reg.channel === "online" ? await loadPreferredDays(db, c.sitting.id, reg.org_id, site.provinceId) : [],
      preferred: reg.preferred_date ?? "",
      // Issue 15 item 6 (CAN-8): how long the seats are held, or that the site reviews before anyone pays.
      reviewFirst: rules.review_required && reg.review_status !== "passed",
      heldUntil: earliestHold(entries),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    await setEntriesOfRequest(request, entriesFromForm(form));
    throw redirect(SAVED_PAGE);
  });
}

export default function Entries() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const [params] = useSearchParams();
  const [left, setLeft] = useState<Record<string, number | null>>(() =>
    Object.fromEntries(d.offer.map((o) => [o.code, o.left])),
  );
  const chosen = new Set(d.entries.map((e) => e.code));
  const [picked, setPicked] = useState<Set<string>>(chosen);

  // After a save the page's data is new (the script navigates to the confirmation without a reload).
  useEffect(() => setLeft(Object.fromEntries(d.offer.map((o) => [o.code, o.left]))), [d.offer]);

  // Seats left, refreshed while the page is open (CAN-2: live capacity), and at once after a refusal.
  const refreshSeats = useCallback(async () => {
    if (document.hidden) return;
    const r = await fetch("/candidate/capacity", { headers: { Accept: "application/json" } }).catch(() => null);
    if (!r?.ok) return;
    const body = (await r.json()) as { subjects: Array<{ code: string; left: number | null }> };
    setLeft(Object.fromEntries(body.subjects.map((s) => [s.code, s.left])));
  }, []);
  useEffect(() => {
    if (!d.open) return;
    const id = setInterval(refreshSeats, 5000);
    return () => clearInterval(id);
  }, [d.open, refreshSeats]);

  // Issue 21 item 2: with JavaScript the form goes to its resource route; a refusal comes back as one
  // line and is shown here, a busy answer is retried by itself after its jittered wait.
  const navigate = useNavigate();
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busyUntil, setBusyUntil] = useState<number | null>(null);
  const [, setClock] = useState(0);
  const retry = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    if (busyUntil === null) return;
    const id = setInterval(() => setClock(Date.now()), 250);
    return () => clearInterval(id);
  }, [busyUntil]);
  useEffect(() => () => clearTimeout(retry.current), []);
  const send = useCallback(
    async (form: HTMLFormElement) => {
      setSending(true);
      setBusyUntil(null);
      const fields = [...new FormData(form)].filter((f): f is [string, string] => typeof f[1] === "string");
      const r = await fetch(SAVE_URL, {
        method: "POST",
        body: new URLSearchParams(fields),
        headers: { Accept: "application/json" },
        redirect: "manual",
        credentials: "same-origin",
      }).catch(() => null);
      const answer = r ? await readSaveAnswer(r) : ({ kind: "document" } as const);
      if (answer.kind === "saved") {
        setRefusal(null);
        navigate(SAVED_PAGE);
      } else if (answer.kind === "refused") {
        setRefusal(answer.message);
        void refreshSeats();
      } else if (answer.kind === "busy") {
        setBusyUntil(Date.now() + answer.retryInMs);
        retry.current = setTimeout(() => void send(form), answer.retryInMs);
        return; // still sending
      } else {
        // Offline, a server error or anything unexpected: the document post, as without JavaScript.
        HTMLFormElement.prototype.submit.call(form);
        return;
      }
      setSending(false);
    },
    [navigate, refreshSeats],
  );
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!sending) void send(e.currentTarget);
  };
  const error = refusal ?? a?.error ?? null;
  // The answer appears above the list while the candidate is at the button below it: bring it into view.
  const answerRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (refusal !== null || busyUntil !== null) answerRef.current?.scrollIntoView({ block: "center" });
  }, [refusal, busyUntil]);

  const offerByCode = new Map(d.offer.map((o) => [o.code, o]));
  const fixed = (code: string) => d.entries.find((e) => e.code === code && (e.paid || e.pending || e.inPaymentBatch));
  // What is still to pay: paid entries, those already in a payment and those the site pays (GRP-6) are not counted again.
  const toPay = [...picked].filter((code) => !fixed(code));
  const total =
    toPay.length > 0 ? d.perPersonFen + toPay.reduce((sum, code) => sum + (offerByCode.get(code)?.fee_fen ?? 0), 0) : 0;
  return (
    <section>
      <h1>{t("entries.title")}</h1>
      {/* A refusal of a later change replaces the confirmation of the earlier one. */}
      {params.get("saved") && !error ? (
        <div className="notice success" role="status" data-testid="entries-saved">
          <p>
            {d.reviewFirst
              ? t("entries.saved_review")
              : d.heldUntil
                ? t("entries.saved_until", { until: fmt(d.heldUntil) })
                : t("entries.saved")}
          </p>
          {d.next ? <NextStepButton next={d.next} /> : null}
        </div>
      ) : null}
      {!d.open ? <p className="readonly-banner">{t(d.group ? "reg.group_view_only" : "reg.window_closed")}</p> : null}
      {error ? (
        <p className="error" role="alert" data-testid="entries-error" ref={refusal !== null ? answerRef : undefined}>
          {error}
        </p>
      ) : null}
      {busyUntil !== null ? (
        <p className="notice" role="status" data-testid="entries-busy" ref={answerRef}>
          {t("entries.busy_retrying", { n: Math.max(1, Math.ceil((busyUntil - Date.now()) / 1000)) })}
        </p>
      ) : null}
      <p className="muted small">{t("entries.max", { max: d.max })}</p>
      <form method="post" action="/candidate/entries" onSubmit={onSubmit} className="form" data-testid="entries-form">
        <ul className="subject-list">
          {d.offer.map((o) => {
            const seats = left[o.code];
            const full = seats !== null && seats !== undefined && seats <= 0 && !chosen.has(o.code);
            const lock = fixed(o.code);
            return (
              <li key={o.code} className={full ? "full" : ""}>
                <label className="check">
                  <input
                    type="checkbox"
                    name="subject"
                    value={o.code}
                    data-testid={`subject-${o.code}`}
                    checked={picked.has(o.code)}
                    disabled={!d.open || full || Boolean(lock)}
                    onChange={(e) => {
                      const next = new Set(picked);
                      if (e.currentTarget.checked) next.add(o.code);
                      else next.delete(o.code);
                      setPicked(next);
                    }}
                  />
                  <span>
                    <strong>
                      {o.code} {o.name}
                    </strong>
                    <br />
                    <span className="small muted">
                      {t("entries.fee", { fee: formatYuan(o.fee_fen) })} ·{" "}
                      {o.exam_start === o.exam_end ? o.exam_start : `${o.exam_start} ~ ${o.exam_end}`}
                    </span>
                  </span>
                </label>
                {/* A paid, paying or payment-batch-held entry stays: the checkbox is disabled, so its value rides along here. */}
                {lock ? <input type="hidden" name="subject" value={o.code} /> : null}
                <span className={`seats small ${full ? "warn-text" : ""}`} data-testid={`left-${o.code}`}>
                  {lock
                    ? t(
                        lock.paid
                          ? "status.entry_paid_short"
                          : lock.inPaymentBatch
                            ? "entries.in_payment_batch_short"
                            : "entries.paying",
                      )
                    : seats === null
                      ? t("entries.seats_unlimited")
                      : full
                        ? t("entries.seats_full")
                        : t("entries.seats_left", { left: seats ?? 0 })}
                </span>
              </li>
            );
          })}
        </ul>
        {d.entries
          .filter((e) => !offerByCode.has(e.code))
          .map((e) => (
            <input key={e.code} type="hidden" name="subject" value={e.code} />
          ))}
        {d.days.length > 0 ? (
          <label>
            {t("entries.preferred")}
            <select name="preferredDate" defaultValue={d.preferred} disabled={!d.open} data-testid="preferred-date">
              <option value="">{t("entries.preferred_none")}</option>
              {d.days.map((x) => (
                <option key={x.date} value={x.date} disabled={x.left <= 0 && x.date !== d.preferred}>
                  {x.date} ({t("entries.seats_left", { left: x.left })})
                </option>
              ))}
            </select>
            <span className="small muted">{t("entries.preferred_hint")}</span>
          </label>
        ) : null}
        <p data-testid="entries-total">
          {/* The per-person fee named, so that the total adds up to what the candidate sees above. */}
          {total > 0 && d.perPersonFen > 0
            ? t("entries.total_with_person", {
                count: picked.size,
                max: d.max,
                fee: formatYuan(total),
                person: formatYuan(d.perPersonFen),
              })
            : t("entries.total", { count: picked.size, max: d.max, fee: formatYuan(total) })}
        </p>
        {picked.size > d.max ? (
          <p className="error" role="alert">
            {t("entries.too_many", { max: d.max })}
          </p>
        ) : null}
        {d.open ? (
          <button
            type="submit"
            className={d.next ? undefined : "primary"}
            disabled={picked.size > d.max || sending}
            data-testid="save-entries"
          >
            {t("entries.save")}
          </button>
        ) : null}
      </form>
    </section>
  );
}

/** CAN-8: the seats of the unpaid entries are held until the earliest of their holds (paid ones never expire). */
function earliestHold(entries: ReadonlyArray<{ paid: boolean; hold_until: Date | null }>): Date | null {
  const holds = entries.filter((e) => !e.paid && e.hold_until).map((e) => e.hold_until!.getTime());
  return holds.length ? new Date(Math.min(...holds)) : null;
}
