import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useRef } from "react";
import { getDb } from "~db/client";
import { getProvinceSetting, getSiteSetting, listQuotas, listSiteSubjects } from "~db/queries/setup";
import { AppError } from "~/domain/errors";
import { capacityLevel, remaining, UNLIMITED } from "~/domain/capacity";
import { examDays } from "~/domain/preferred-dates";
import { SitePicker } from "~/components/site-picker";
import { setCapacity } from "~/services/set-capacity.server";
import { setPreferredQuotas } from "~/services/set-preferred-quotas.server";
import { setPreferredDatesEnabled } from "~/services/set-preferred-dates-enabled.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { CAPACITY_INTENT, CapacityActionSchema, fieldsWithPrefix } from "~/schemas/setup";
import { getWindowView, requireAdminMutation, canChange, requireCapability } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useT } from "~/utils/use-t";
import { ActionError, ActionNotice } from "~/components/alerts";

const int = (v: string) => (/^\d{1,6}$/.test(v.trim()) ? Number(v.trim()) : NaN);

/** Manual §十三 (SET-4) and §十四 (SET-5). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const window = await getWindowView(ctx, "pre_registration");
    const writable = canChange(ctx, window);
    const province = ctx.orgPath.find((o) => o.level === "province");
    const preferredEnabled = province
      ? (await getProvinceSetting(getDb(), ctx.sitting.id, province.id)).preferred_dates_enabled
      : false;
    const { site, sites } = await resolveSetupSite(ctx, request).catch((e) => {
      if (ctx.org.level === "province" && e instanceof AppError && e.key === "setup.no_sites")
        return { site: null, sites: [] };
      throw e;
    });
    if (!site)
      return {
        level: ctx.org.level,
        writable,
        preferredEnabled,
        site: null,
        sites,
        total: null,
        subjects: [],
        quotas: [],
      };
    const setting = await getSiteSetting(getDb(), ctx.sitting.id, site.id);
    const subjects = await listSiteSubjects(getDb(), ctx.sitting.id, site.id);
    const quotas = await listQuotas(getDb(), ctx.sitting.id, site.id);
    return {
      level: ctx.org.level,
      writable,
      preferredEnabled,
      sites,
      site: { id: site.id, code: site.code, name: site.name, open: setting.open },
      total: {
        capacity: setting.total_capacity,
        taken: setting.total_taken,
        remaining: remaining(setting.total_capacity, setting.total_taken),
      },
      subjects: subjects.map((s) => ({
        code: s.code,
        name: s.name,
        capacity: s.capacity,
        taken: s.taken,
        remaining: remaining(s.capacity, s.taken),
        level: capacityLevel(s.capacity, s.taken),
      })),
      quotas: examDays(ctx.sitting.starts_on, ctx.sitting.ends_on).map((date) => {
        const q = quotas.find((x) => x.exam_date === date);
        return { date, quota: q?.quota ?? null, taken: q?.taken ?? 0 };
      }),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { window: "pre_registration" });
    const input = parseForm(form, CapacityActionSchema);
    const ints = (prefix: string) =>
      Object.fromEntries(Object.entries(fieldsWithPrefix(input, prefix)).map(([k, v]) => [k, int(v)]));
    if (input.intent === CAPACITY_INTENT.capacity)
      await setCapacity(ctx, { total: int(input.total), subjects: ints("cap_") });
    else if (input.intent === CAPACITY_INTENT.quotas) await setPreferredQuotas(ctx, ints("quota_"));
    else await setPreferredDatesEnabled(ctx, input.enabled);
    return { ok: true as const };
  });
}

const shown = (n: number | null, t: ReturnType<typeof useT>) =>
  n === null ? t("common.not_set") : n >= UNLIMITED ? t("capacity.unlimited") : String(n);

export default function Capacity() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  const siteCanEdit = d.level === "site" && d.writable;
  return (
    <>
      <h1>
        {t("setup.tab.capacity")}{" "}
        {d.site ? (
          <small>
            ({d.site.code}) {d.site.name}
          </small>
        ) : null}
      </h1>
      {d.site ? <SitePicker sites={d.sites} selected={d.site.id} /> : null}
      <ActionError result={r} />
      <ActionNotice result={r}>{t("common.saved")}</ActionNotice>
      {d.site && !d.site.open ? <p className="notice">{t("capacity.site_closed")}</p> : null}
      {d.site && d.total ? (
        <>
          <table className="grid" data-testid="capacity">
            <thead>
              <tr>
                <th>{t("setup.subject")}</th>
                <th>{t("setup.capacity")}</th>
                <th>{t("setup.taken")}</th>
                <th>{t("capacity.remaining")}</th>
              </tr>
            </thead>
            <tbody>
              <tr data-code="total" className="total-row">
                <th scope="row">{t("capacity.total")}</th>
                <td>{shown(d.total.capacity, t)}</td>
                <td>{d.total.taken}</td>
                <td>
                  {d.total.capacity === null
                    ? ""
                    : d.total.remaining === Infinity
                      ? t("capacity.unlimited")
                      : d.total.remaining}
                </td>
              </tr>
              {d.subjects.map((s) => (
                <tr key={s.code} data-code={s.code} className={`fill-${s.level}`}>
                  <th scope="row">
                    {s.code} {s.name}
                  </th>
                  <td>{s.capacity === 0 ? t("capacity.not_offered") : shown(s.capacity, t)}</td>
                  <td>{s.taken}</td>
                  <td>
                    {s.capacity === null || s.capacity === 0
                      ? ""
                      : s.remaining === Infinity
                        ? t("capacity.unlimited")
                        : s.remaining}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {siteCanEdit ? (
            <>
              <button type="button" className="primary" onClick={() => dialog.current?.showModal()}>
                {t("capacity.change")}
              </button>
              <dialog ref={dialog} className="dialog" aria-label={t("capacity.change")}>
                <Form method="post" className="form" onSubmit={() => dialog.current?.close()}>
                  <h2>{t("capacity.change")}</h2>
                  <input type="hidden" name="intent" value={CAPACITY_INTENT.capacity} />
                  <label>
                    {t("capacity.total")}
                    <input name="total" inputMode="numeric" required defaultValue={d.total.capacity ?? ""} />
                  </label>
                  {d.subjects.map((s) => (
                    <label key={s.code}>
                      {s.code} {s.name}
                      <input name={`cap_${s.code}`} inputMode="numeric" required defaultValue={s.capacity ?? ""} />
                    </label>
                  ))}
                  <p className="muted small">{t("capacity.hint")}</p>
                  <div className="actions">
                    <button type="submit" className="primary">
                      {t("common.save")}
                    </button>
                    <button type="button" onClick={() => dialog.current?.close()}>
                      {t("common.cancel")}
                    </button>
                  </div>
                </Form>
              </dialog>
            </>
          ) : null}
        </>
      ) : null}

      <h2>{t("preferred.title")}</h2>
      {d.level === "province" ? (
        <Form method="post" className="form inline">
          <input type="hidden" name="intent" value={CAPACITY_INTENT.preferredEnabled} />
          <fieldset disabled={!d.writable} className="inline-fields">
            <label className="check">
              <input type="checkbox" name="enabled" defaultChecked={d.preferredEnabled} /> {t("preferred.enable")}
            </label>
            {d.writable ? <button type="submit">{t("common.save")}</button> : null}
          </fieldset>
          <p className="muted small">{t("preferred.enable_hint")}</p>
        </Form>
      ) : null}
      {!d.preferredEnabled ? (
        <p className="muted">{t("preferred.not_enabled")}</p>
      ) : d.site ? (
        <Form method="post">
          <input type="hidden" name="intent" value={CAPACITY_INTENT.quotas} />
          <table className="grid" data-testid="quotas">
            <thead>
              <tr>
                <th>{t("preferred.date")}</th>
                <th>{t("preferred.quota")}</th>
                <th>{t("setup.taken")}</th>
              </tr>
            </thead>
            <tbody>
              {d.quotas.map((q) => (
                <tr key={q.date}>
                  <th scope="row">{q.date}</th>
                  <td>
                    {siteCanEdit ? (
                      <input
                        name={`quota_${q.date}`}
                        inputMode="numeric"
                        required
                        defaultValue={q.quota ?? ""}
                        aria-label={q.date}
                      />
                    ) : (
                      (q.quota ?? t("common.not_set"))
                    )}
                  </td>
                  <td>{q.taken}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">{t("preferred.hint")}</p>
          {siteCanEdit ? <button type="submit">{t("common.save")}</button> : null}
        </Form>
      ) : null}
    </>
  );
}
