import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~db/client";
import { findLastJobOf } from "~db/queries/jobs";
import { getSiteSetting } from "~db/queries/setup";
import { allocationBySubject, batchEntries, entriesNamed, listBatches, waitingEntries } from "~db/queries/rooms";
import { CLASS_SEATINGS } from "~/domain/allocation";
import { batchLabel, formatBatchTime } from "~/domain/rooms";
import type { MessageKey } from "~/i18n";
import { allocationJob } from "~jobs/definitions/allocation";
import { enqueueJob } from "~jobs/runner";
import { ActionError, ActionNotice } from "~/components/alerts";
import { JobProgress } from "~/components/job-progress";
import { SitePageHead } from "~/components/site-page-head";
import {
  allocateSelected,
  allocationPreconditions,
  clearAllocation,
  refuseUnlessReady,
} from "~/services/allocate-site.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import {
  canChange,
  getWindowView,
  isSite,
  requireAdminMutation,
  requireCapability,
  requireSite,
} from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { updateSiteAddress } from "~/services/update-org-info.server";
import { useFormatDateTime, useT } from "~/utils/use-t";

/** Manual §三十一 (SCH-1 … SCH-4): the site's allocation; superiors read its figures. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const db = getDb();
    const window = await getWindowView(ctx, "allocation");
    const [pre, subjects, last, setting] = await Promise.all([
      allocationPreconditions(db, ctx.sitting.id, site.id),
      allocationBySubject(db, ctx.sitting.id, site.id),
      findLastJobOf(db, allocationJob, { orgId: site.id, sittingId: ctx.sitting.id }),
      getSiteSetting(db, ctx.sitting.id, site.id),
    ]);
    const result = last?.status === "done" ? last.result : null;
    // SCH-3: the manual allocation's lists (the waiting entries, the batches, one batch's candidates).
    const params = new URL(request.url).searchParams;
    const onlyPreferred = params.get("preferred") === "1";
    const batchId = Number(params.get("batch") ?? 0);
    // Only the site that can allocate now is shown them: a superior's view skips the queries.
    const editable = isSite(ctx) && canChange(ctx, window);
    const [waiting, batches, inBatch] = editable
      ? await Promise.all([
          waitingEntries(db, ctx.sitting.id, site.id, onlyPreferred),
          listBatches(db, ctx.sitting.id, site.id),
          batchId ? batchEntries(db, site.id, batchId) : Promise.resolve([]),
        ])
      : [{ rows: [], total: 0 }, [], []];
    const named = result
      ? await entriesNamed(
          db,
          site.id,
          result.unplaced.slice(0, 500).map((u) => u.entryId),
        )
      : [];
    const reasonOf = new Map(result?.unplaced.map((u) => [u.entryId, u.reason]) ?? []);
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      window,
      editable,
      pre,
      subjects,
      classSeating: setting.class_seating,
      onlyPreferred,
      waiting: { total: waiting.total, rows: waiting.rows },
      batches: batches.map((b) => ({
        id: b.id,
        label: batchLabel(b.room_number, b.seq),
        time: formatBatchTime(b),
        free: b.capacity - b.allocated,
        allocated: b.allocated,
      })),
      batch: batchId ? { id: batchId, rows: inBatch } : null,
      last: last
        ? {
            id: last.id,
            status: last.status,
            created_at: last.created_at,
            result: result
              ? {
                  total: result.total,
                  placed: result.placed,
                  onDate: result.onDate,
                  preferred: result.preferred,
                  bound: result.bound,
                  ms: result.ms,
                  unplacedCount: result.unplaced.length,
                  unplaced: named.map((n) => ({
                    id: n.id,
                    registrationId: n.registration_id,
                    name: n.name,
                    subject: `(${n.subject_code}) ${n.subject_name}`,
                    reason: reasonOf.get(n.id)!,
                  })),
                }
              : null,
          }
        : null,
    };
  });
}

const ActionSchema = z.object({
  intent: z.enum(["run", "clear", "place", "clear-selected", "address"], {
    errorMap: () => ({ message: "form.invalid" }),
  }),
  batch: z.string().optional(),
  address: z.string().optional(),
  classes: z.enum(CLASS_SEATINGS, { errorMap: () => ({ message: "form.invalid" }) }).optional(),
});
const ids = (form: FormData) =>
  form
    .getAll("entry")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { window: "allocation" });
    requireSite(ctx);
    const form = await request.formData();
    const { intent, batch, address, classes } = parseForm(form, ActionSchema);
    const actor = { ...ctx.actor, sittingId: ctx.sitting.id };
    if (intent === "address") {
      await updateSiteAddress(ctx, ctx.org.id, address ?? "");
      return { ok: true as const, cleared: null, manual: null };
    }
    if (intent === "clear") {
      const count = await clearAllocation(actor, ctx.org.id);
      return { ok: true as const, cleared: count, manual: null };
    }
    if (intent === "clear-selected") {
      const count = await clearAllocation(actor, ctx.org.id, ids(form));
      return { ok: true as const, cleared: count, manual: null };
    }
    if (intent === "place") {
      const r = await allocateSelected(actor, ctx.org.id, ids(form), Number(batch ?? 0));
      return { ok: true as const, cleared: null, manual: { placed: r.placements.length, refused: r.refused } };
    }
    // SCH-1 is judged again inside the job, under the rooms lock; this answers at once when it fails.
    refuseUnlessReady(await allocationPreconditions(getDb(), ctx.sitting.id, ctx.org.id));
    await enqueueJob(
      allocationJob,
      { siteId: ctx.org.id, locale: ctx.locale, actorName: ctx.name, ip: ctx.ip, classSeating: classes },
      { accountId: ctx.accountId, orgId: ctx.org.id, sittingId: ctx.sitting.id },
    );
    return { ok: true as const, cleared: null, manual: null };
  });
}

export default function Allocation() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const busy = useNavigation().state !== "idle";
  const running = d.last && (d.last.status === "queued" || d.last.status === "running");
  const blocked = d.pre.unpaid > 0 || d.pre.addressMissing || d.pre.noBatches;
  const res = d.last?.result;
  return (
    <section>
      <SitePageHead title={t("allocation.title")} site={d.site} sites={d.sites} window={d.window} />
      <p className="muted">{t("allocation.hint")}</p>

      <h2>{t("allocation.preconditions")}</h2>
      {blocked ? (
        <ul className="readiness" data-testid="allocation-preconditions">
          {d.pre.unpaid > 0 ? (
            <li data-missing="unpaid">
              {t("allocation.unpaid", { count: d.pre.unpaid })}{" "}
              <Link to="/admin/candidates">{t("allocation.fix_unpaid")}</Link>
            </li>
          ) : null}
          {d.pre.addressMissing ? (
            <li data-missing="address">
              {t("allocation.address_missing")}{" "}
              {d.editable ? (
                // The manual edits the address right here (§三十一 3); it prints on every admission card.
                <Form method="post" className="form inline" data-testid="address-form">
                  <input type="hidden" name="intent" value="address" />
                  <label>
                    {t("allocation.address_label")}
                    <input name="address" required maxLength={200} size={40} />
                  </label>
                  <button type="submit">{t("common.save")}</button>
                </Form>
              ) : (
                <Link to={`/admin/orgs?org=${d.site.id}`}>{t("allocation.fix_address")}</Link>
              )}
            </li>
          ) : null}
          {d.pre.noBatches ? (
            <li data-missing="batches">
              {t("allocation.no_batches")} <Link to="/admin/rooms">{t("allocation.fix_batches")}</Link>
            </li>
          ) : null}
        </ul>
      ) : (
        <p className="notice success" data-testid="allocation-ready">
          {t("allocation.ready")}
        </p>
      )}

      {d.editable ? (
        <div className="admin-actions">
          <Form
            method="post"
            className="with-options"
            onSubmit={(ev) => {
              if (!confirm(t("allocation.run_confirm"))) ev.preventDefault();
            }}
          >
            <input type="hidden" name="intent" value="run" />
            <fieldset className="choice" data-testid="class-seating">
              <legend>{t("allocation.classes")}</legend>
              {CLASS_SEATINGS.map((c) => (
                <label key={c} className="check">
                  <input type="radio" name="classes" value={c} defaultChecked={d.classSeating === c} />{" "}
                  {t(`allocation.classes.${c}` as MessageKey)}
                </label>
              ))}
            </fieldset>
            <button
              type="submit"
              className="primary"
              disabled={blocked || busy || Boolean(running)}
              data-testid="allocate"
            >
              {t("allocation.run")}
            </button>
          </Form>
          <Form
            method="post"
            onSubmit={(ev) => {
              if (!confirm(t("allocation.clear_confirm"))) ev.preventDefault();
            }}
          >
            <input type="hidden" name="intent" value="clear" />
            <button type="submit" className="danger" disabled={busy || Boolean(running)}>
              {t("allocation.clear")}
            </button>
          </Form>
        </div>
      ) : null}
      <ActionError result={r} />
      <ActionNotice result={r && r.ok && r.cleared !== null ? r : undefined}>
        {(done) => t("allocation.cleared", { count: done.cleared ?? 0 })}
      </ActionNotice>
      {running ? <JobProgress jobId={d.last!.id} label={t("allocation.progress")} revalidateOnFinish /> : null}
      {d.last?.status === "failed" ? (
        <p className="error" role="alert">
          {t("job.failed")}
        </p>
      ) : null}
      {res ? (
        <section data-testid="allocation-result">
          <h2>{t("allocation.last_run", { at: fmt(d.last!.created_at), ms: res.ms })}</h2>
          <p className={`notice ${res.placed === res.total ? "success" : "partial"}`} role="status">
            {t("allocation.result", {
              total: res.total,
              placed: res.placed,
              onDate: res.onDate,
              preferred: res.preferred,
            })}
          </p>
          <p
            data-testid="allocation-bound"
            data-optimal={res.placed === res.bound.placed && res.onDate === res.bound.onDate}
          >
            {res.placed === res.bound.placed && res.onDate === res.bound.onDate
              ? t("allocation.optimal")
              : t("allocation.below_bound", { placed: res.placed, bound: res.bound.placed })}
          </p>
          {res.unplacedCount > 0 ? (
            <>
              <h3>{t("allocation.unplaced_title", { count: res.unplacedCount })}</h3>
              <table className="grid compact" data-testid="unplaced">
                <thead>
                  <tr>
                    <th>{t("allocation.candidate")}</th>
                    <th>{t("allocation.subject")}</th>
                    <th>{t("allocation.reason")}</th>
                  </tr>
                </thead>
                <tbody>
                  {res.unplaced.map((u) => (
                    <tr key={u.id}>
                      <td>
                        <Link to={`/admin/candidates/${u.registrationId}`}>{u.name}</Link>
                      </td>
                      <td>{u.subject}</td>
                      <td>{t(`allocation.reason.${u.reason}` as MessageKey)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </section>
      ) : null}

      {d.editable ? (
        <section data-testid="manual-allocation">
          <h2>{t("allocation.manual_title")}</h2>
          <p className="muted small">{t("allocation.manual_hint")}</p>
          <Form method="get" className="form inline">
            <input type="hidden" name="site" value={d.site.id} />
            <label className="check">
              <input
                type="checkbox"
                name="preferred"
                value="1"
                defaultChecked={d.onlyPreferred}
                onChange={(ev) => ev.currentTarget.form?.requestSubmit()}
              />{" "}
              {t("allocation.only_preferred")}
            </label>
            <noscript>
              <button type="submit">{t("common.go")}</button>
            </noscript>
          </Form>
          {d.waiting.rows.length === 0 ? (
            <p className="muted empty" data-testid="waiting-empty">
              {t("allocation.none_waiting")}
            </p>
          ) : (
            <Form method="post" data-testid="place-form">
              <input type="hidden" name="intent" value="place" />
              <h3>{t("allocation.waiting", { count: d.waiting.total })}</h3>
              <div className="stats-scroll">
                <table className="grid compact" data-testid="waiting">
                  <thead>
                    <tr>
                      <th />
                      <th>{t("allocation.candidate")}</th>
                      <th>{t("allocation.subject")}</th>
                      <th>{t("allocation.preferred_date")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.waiting.rows.map((w) => (
                      <tr key={w.id} data-entry={w.id}>
                        <td>
                          <input type="checkbox" name="entry" value={w.id} aria-label={`${w.name} ${w.subject_code}`} />
                        </td>
                        <td>
                          <Link to={`/admin/candidates/${w.registration_id}`}>{w.name}</Link>
                        </td>
                        <td>
                          ({w.subject_code}) {w.subject_name}
                        </td>
                        <td>{w.preferred_date ?? ""}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="form inline">
                <label>
                  {t("allocation.target_batch")}
                  <select name="batch" required data-testid="target-batch">
                    {d.batches.map((b) => (
                      <option key={b.id} value={b.id} disabled={b.free <= 0}>
                        {b.label} · {b.time} · {t("allocation.free", { count: b.free })}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" className="primary" disabled={busy} data-testid="place-selected">
                  {t("allocation.place_selected")}
                </button>
              </div>
            </Form>
          )}
          {r && r.ok && r.manual ? (
            <div
              className={`notice ${r.manual.refused.length ? "partial" : "success"}`}
              role="status"
              data-testid="manual-result"
            >
              <p>{t("allocation.placed_selected", { placed: r.manual.placed, refused: r.manual.refused.length })}</p>
              {r.manual.refused.length ? (
                <ul>
                  {[...new Set(r.manual.refused.map((x) => x.reason))].map((reason) => (
                    <li key={reason} data-reason={reason}>
                      {t(`allocation.refused.${reason}` as MessageKey)}:{" "}
                      {r.manual!.refused.filter((x) => x.reason === reason).length}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}

          <Form method="get" className="form inline">
            <input type="hidden" name="site" value={d.site.id} />
            <label>
              {t("allocation.view_batch")}
              <select
                name="batch"
                defaultValue={d.batch?.id ?? ""}
                onChange={(ev) => ev.currentTarget.form?.requestSubmit()}
              >
                <option value="" />
                {d.batches.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.label} · {b.time} ({b.allocated})
                  </option>
                ))}
              </select>
            </label>
            <noscript>
              <button type="submit">{t("common.go")}</button>
            </noscript>
          </Form>
          {d.batch ? (
            <Form method="post" data-testid="batch-entries">
              <input type="hidden" name="intent" value="clear-selected" />
              <h3>
                {t("allocation.in_batch", {
                  label: d.batches.find((b) => b.id === d.batch!.id)?.label ?? "",
                  count: d.batch.rows.length,
                })}
              </h3>
              <table className="grid compact">
                <thead>
                  <tr>
                    <th />
                    <th className="num">{t("allocation.seat")}</th>
                    <th>{t("allocation.candidate")}</th>
                    <th>{t("allocation.subject")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.batch.rows.map((x) => (
                    <tr key={x.id}>
                      <td>
                        <input type="checkbox" name="entry" value={x.id} aria-label={`${x.name} ${x.subject_code}`} />
                      </td>
                      <td className="num">{String(x.seat).padStart(2, "0")}</td>
                      <td>{x.name}</td>
                      <td>
                        ({x.subject_code}) {x.subject_name}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {d.batch.rows.length ? (
                <button type="submit" className="danger" disabled={busy}>
                  {t("allocation.clear_selected")}
                </button>
              ) : null}
            </Form>
          ) : null}
        </section>
      ) : null}

      <h2>{t("allocation.by_subject")}</h2>
      {d.subjects.length === 0 ? (
        <p className="muted empty">{t("allocation.no_entries")}</p>
      ) : (
        <table className="grid compact" data-testid="allocation-subjects">
          <thead>
            <tr>
              <th>{t("allocation.subject")}</th>
              <th className="num">{t("allocation.total")}</th>
              <th className="num">{t("allocation.paid")}</th>
              <th className="num">{t("allocation.unpaid_col")}</th>
              <th className="num">{t("allocation.allocated")}</th>
              <th className="num">{t("allocation.unallocated")}</th>
              <th className="num">{t("allocation.preferred")}</th>
              <th className="num">{t("allocation.on_date")}</th>
              <th className="num">{t("allocation.off_date")}</th>
            </tr>
          </thead>
          <tbody>
            {d.subjects.map((s) => (
              <tr key={s.code} data-subject={s.code}>
                <th scope="row">
                  ({s.code}) {s.name}
                </th>
                <td className="num">{s.total}</td>
                <td className="num">{s.paid}</td>
                <td className="num">{s.unpaid}</td>
                <td className="num">{s.allocated}</td>
                <td className={`num${s.unallocated ? " warn-text" : ""}`}>{s.unallocated}</td>
                <td className="num">{s.preferred}</td>
                <td className="num">{s.on_date}</td>
                <td className="num">{s.off_date}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
