import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { findRegistrationByAccount } from "~db/queries/registrations";
import { ID_TYPES } from "~/domain/id-number";
import type { MessageKey } from "~/i18n";
import { readDraft, saveDraft } from "~/services/id-lookup.server";
import { listSitesForCandidate } from "~/services/list-open-sites.server";
import { nameOf } from "~templates/code-tables";
import { requireCandidate } from "~/utils/auth.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { SiteDraftSchema } from "~/schemas/candidate";
import { useFormatDateTime, useT } from "~/utils/use-t";

const PAGE = 50;

/**
 * CAN-2 + SET-9: choose a site among those open for online registration that admit this candidate.
 * Eligibility depends on the ID number (the student record), so it is asked first. SR-6/X-4: the ID
 * number and name are posted and kept in the server-side draft, never in the URL, and a record
 * counts only when both match it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const c = await requireCandidate(request);
    const url = new URL(request.url);
    const reg = await findRegistrationByAccount(getDb(), c.sitting.id, c.accountId);
    const draft = await readDraft(c);
    const idType = draft?.idType ?? reg?.id_type ?? "1";
    const idNumber = draft?.idNumber ?? reg?.id_number ?? "";
    const name = draft?.name ?? reg?.name ?? c.name;
    const q = (url.searchParams.get("q") ?? "").trim();
    const province = Number(url.searchParams.get("province") ?? 0);
    const all = await listSitesForCandidate(c.sitting.id, idNumber ? { idNumber, name } : null);
    const provinces = [...new Map(all.map((s) => [s.province_id, s.province_name])).entries()].map(([id, name]) => ({
      id,
      name,
    }));
    const matching = all.filter(
      (s) =>
        (!province || s.province_id === province) &&
        (!q || s.name.includes(q) || s.code.startsWith(q) || s.city_name.includes(q)),
    );
    return {
      idType,
      idNumber,
      name,
      q,
      province,
      provinces,
      total: matching.length,
      current: reg ? { siteId: reg.org_id, locked: reg.locked, channel: reg.channel } : null,
      sites: matching.slice(0, PAGE).map((s) => ({
        id: s.id,
        code: s.code,
        name: s.name,
        city: s.city_name,
        province: s.province_name,
        address: s.address,
        ends: s.online_ends_at.toISOString(),
        review: s.review_required,
        max: s.max_entries,
        refusal: s.refusal,
      })),
      idTypes: ID_TYPES.map((code) => ({ code, name: nameOf("idType", code, c.locale) })),
    };
  });
}

/** SR-6: the ID number and name arrive by POST, are counted (throttle) and kept as the draft. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    const c = await requireCandidate(request);
    const draft = parseForm(form, SiteDraftSchema);
    const r = await saveDraft(c, draft);
    if (r.ok) throw redirect("/candidate/site");
    return { ok: false as const, problem: r.problem, ...draft };
  });
}

export default function ChooseSite() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const ready = d.idNumber !== "" && !a;
  const fixed = d.current?.locked || d.current?.channel === "group";
  return (
    <section>
      <h1>{t("site.title")}</h1>
      {fixed ? (
        <p className="readonly-banner">{t(d.current?.channel === "group" ? "reg.group_view_only" : "reg.locked")}</p>
      ) : null}
      <Form method="post" className="form" data-testid="id-form">
        <label>
          {t("field.id_type")}
          <select name="idType" defaultValue={(a && "idType" in a ? a.idType : undefined) ?? d.idType}>
            {d.idTypes.map((x) => (
              <option key={x.code} value={x.code}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("field.id_number")}
          <input
            name="idNumber"
            defaultValue={(a && "idNumber" in a ? a.idNumber : undefined) ?? d.idNumber}
            required
            autoComplete="off"
            inputMode="text"
            data-testid="id-number"
          />
        </label>
        <label>
          {t("field.name")}
          <input
            name="name"
            defaultValue={(a && "name" in a ? a.name : undefined) ?? d.name}
            required
            autoComplete="name"
            data-testid="id-name"
          />
        </label>
        {a && "problem" in a && a.problem ? (
          <p className="error" role="alert">
            {t(a.problem as MessageKey)}
          </p>
        ) : null}
        {a && "error" in a && a.error ? (
          <p className="error" role="alert" data-testid="lookup-error">
            {a.error}
          </p>
        ) : null}
        <p className="small muted">
          {t("site.id_hint")} {t("privacy.name_hint")}
        </p>
        <button type="submit" className="primary" data-testid="find-sites">
          {t("site.find")}
        </button>
      </Form>
      {ready ? (
        <Form method="get" className="form" data-testid="site-filter">
          <div className="row-form">
            <select name="province" defaultValue={d.province || ""} aria-label={t("site.province")}>
              <option value="">{t("site.all_provinces")}</option>
              {d.provinces.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            <input name="q" defaultValue={d.q} placeholder={t("site.search")} aria-label={t("site.search")} />
            <button type="submit">{t("common.search")}</button>
          </div>
        </Form>
      ) : null}
      {ready ? (
        <>
          <p className="muted small">{t("site.count", { count: d.total })}</p>
          {d.sites.length === 0 ? <p className="notice">{t("status.no_site_open")}</p> : null}
          <ul className="site-list" data-testid="site-list">
            {d.sites.map((s) => (
              <li key={s.id} className={s.refusal ? "refused" : ""}>
                <div>
                  <strong>
                    ({s.code}) {s.name}
                  </strong>{" "}
                  <span className="muted small">
                    {s.province} · {s.city}
                  </span>
                </div>
                {s.address ? <div className="small">{s.address}</div> : null}
                <div className="small muted">
                  {t("site.until", { to: fmt(s.ends) })} · {t("site.max", { max: s.max })}
                  {s.review ? ` · ${t("site.review")}` : ""}
                </div>
                {s.refusal ? (
                  <p className="small warn-text">{t(s.refusal as MessageKey)}</p>
                ) : d.current?.siteId === s.id ? (
                  <span className="badge ok">{t("site.current")}</span>
                ) : fixed ? null : (
                  <Link className="button" data-testid={`choose-${s.code}`} to={`/candidate/details?site=${s.id}`}>
                    {t("site.choose")}
                  </Link>
                )}
              </li>
            ))}
          </ul>
          {d.total > d.sites.length ? <p className="muted small">{t("site.more", { shown: d.sites.length })}</p> : null}
        </>
      ) : null}
    </section>
  );
}
