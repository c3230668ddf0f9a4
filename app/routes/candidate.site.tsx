import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { findRegistrationByAccount } from "~db/queries/registrations";
import { ID_TYPES, normaliseIdNumber, validateIdNumber, isIdType } from "~/domain/id-number";
import type { MessageKey } from "~/i18n";
import { listSitesForCandidate } from "~/services/list-open-sites.server";
import { nameOf } from "../../templates/code-tables";
import { requireCandidate } from "~/utils/auth.server";
import { guardLoader } from "~/utils/http.server";
import { useFormatDateTime, useT } from "~/utils/use-t";

const PAGE = 50;

/**
 * CAN-2 + SET-9: choose a site among those open for online registration that admit this candidate.
 * Eligibility depends on the ID number (the student record), so it is asked first.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const c = await requireCandidate(request);
    const url = new URL(request.url);
    const reg = await findRegistrationByAccount(getDb(), c.sitting.id, c.accountId);
    const idType = url.searchParams.get("idType") ?? reg?.id_type ?? "1";
    const idNumber = normaliseIdNumber(url.searchParams.get("idNumber") ?? reg?.id_number ?? "");
    const idProblem = idNumber && isIdType(idType) ? validateIdNumber(idType, idNumber) : null;
    const q = (url.searchParams.get("q") ?? "").trim();
    const province = Number(url.searchParams.get("province") ?? 0);
    const all = await listSitesForCandidate(c.sitting.id, idNumber && !idProblem ? idNumber : null);
    const provinces = [...new Map(all.map((s) => [s.province_id, s.province_name])).entries()].map(([id, name]) => ({ id, name }));
    const matching = all.filter((s) => (!province || s.province_id === province) && (!q || s.name.includes(q) || s.code.startsWith(q) || s.city_name.includes(q)));
    return {
      idType, idNumber, idProblem, q, province, provinces, total: matching.length,
      current: reg ? { siteId: reg.org_id, locked: reg.locked, channel: reg.channel } : null,
      sites: matching.slice(0, PAGE).map((s) => ({
        id: s.id, code: s.code, name: s.name, city: s.city_name, province: s.province_name, address: s.address,
        ends: s.online_ends_at.toISOString(), review: s.review_required, max: s.max_entries, refusal: s.refusal,
      })),
      idTypes: ID_TYPES.map((code) => ({ code, name: nameOf("idType", code) })),
    };
  });
}

export default function ChooseSite() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormatDateTime();
  const ready = d.idNumber !== "" && !d.idProblem;
  const fixed = d.current?.locked || d.current?.channel === "group";
  return (
    <section>
      <h1>{t("site.title")}</h1>
      {fixed ? <p className="readonly-banner">{t(d.current?.channel === "group" ? "reg.group_view_only" : "reg.locked")}</p> : null}
      <Form method="get" className="form" data-testid="id-form">
        <label>
          {t("field.id_type")}
          <select name="idType" defaultValue={d.idType}>
            {d.idTypes.map((x) => <option key={x.code} value={x.code}>{x.name}</option>)}
          </select>
        </label>
        <label>
          {t("field.id_number")}
          <input name="idNumber" defaultValue={d.idNumber} required autoComplete="off" inputMode="text" data-testid="id-number" />
        </label>
        {d.idProblem ? <p className="error" role="alert">{t(d.idProblem as MessageKey)}</p> : null}
        <p className="small muted">{t("site.id_hint")}</p>
        {ready ? (
          <div className="row-form">
            <select name="province" defaultValue={d.province || ""} aria-label={t("site.province")}>
              <option value="">{t("site.all_provinces")}</option>
              {d.provinces.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
            <input name="q" defaultValue={d.q} placeholder={t("site.search")} aria-label={t("site.search")} />
          </div>
        ) : null}
        <button type="submit" className="primary" data-testid="find-sites">{t("site.find")}</button>
      </Form>
      {ready ? (
        <>
          <p className="muted small">{t("site.count", { count: d.total })}</p>
          {d.sites.length === 0 ? <p className="notice">{t("status.no_site_open")}</p> : null}
          <ul className="site-list" data-testid="site-list">
            {d.sites.map((s) => (
              <li key={s.id} className={s.refusal ? "refused" : ""}>
                <div><strong>({s.code}) {s.name}</strong> <span className="muted small">{s.province} · {s.city}</span></div>
                {s.address ? <div className="small">{s.address}</div> : null}
                <div className="small muted">
                  {t("site.until", { to: fmt(s.ends) })} · {t("site.max", { max: s.max })}{s.review ? ` · ${t("site.review")}` : ""}
                </div>
                {s.refusal ? (
                  <p className="small warn-text">{t(s.refusal as MessageKey)}</p>
                ) : d.current?.siteId === s.id ? (
                  <span className="badge ok">{t("site.current")}</span>
                ) : fixed ? null : (
                  <Link className="button" data-testid={`choose-${s.code}`}
                    to={`/candidate/details?site=${s.id}&idType=${encodeURIComponent(d.idType)}&idNumber=${encodeURIComponent(d.idNumber)}`}>
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
