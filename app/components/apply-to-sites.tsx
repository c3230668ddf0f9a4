import { Form, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { useT } from "~/utils/use-t";

export interface SiteOption {
  id: number;
  code: string;
  name: string;
  city: { id: number; code: string; name: string } | null;
}

/** The sites other than the current one, grouped by their city (sites directly under the province last). */
function byCity(sites: readonly SiteOption[], current: number) {
  const groups = new Map<number, { city: SiteOption["city"]; sites: SiteOption[] }>();
  for (const s of sites) {
    if (s.id === current) continue;
    const key = s.city?.id ?? 0;
    if (!groups.has(key)) groups.set(key, { city: s.city, sites: [] });
    groups.get(key)!.sites.push(s);
  }
  return [...groups.values()].sort((a, b) => (a.city ? 0 : 1) - (b.city ? 0 : 1));
}

/**
 * Issue 15 item 9: inside a province's settings form, the other sites the same settings are saved
 * to, grouped by city with a box for a whole city (it works without script: the server expands a
 * ticked city to its sites). Collapsed until needed; the summary counts what is ticked.
 */
export function ApplyToSites({ sites, current }: { sites: readonly SiteOption[]; current: number }) {
  const t = useT();
  const groups = byCity(sites, current);
  const [ticked, setTicked] = useState<ReadonlySet<number>>(new Set());
  const [cities, setCities] = useState<ReadonlySet<number>>(new Set());
  if (groups.length === 0) return null;
  const toggle = <T,>(set: ReadonlySet<T>, v: T, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(v);
    else next.delete(v);
    return next;
  };
  const count = new Set([
    ...ticked,
    ...groups.flatMap((g) => (g.city && cities.has(g.city.id) ? g.sites.map((s) => s.id) : [])),
  ]).size;
  return (
    <details className="apply-to-sites" data-testid="apply-to-sites">
      <summary>
        {t("setup.apply_to_sites")}
        {count ? <span className="badge">{t("setup.apply_count", { count })}</span> : null}
      </summary>
      <p className="muted small">{t("setup.apply_hint")}</p>
      {groups.map((g) => {
        const whole = g.city !== null && cities.has(g.city.id);
        return (
          <fieldset key={g.city?.id ?? 0} className="checks">
            <legend>
              {g.city ? (
                <label className="check">
                  <input
                    type="checkbox"
                    name="also_city"
                    value={g.city.id}
                    checked={whole}
                    onChange={(e) => setCities(toggle(cities, g.city!.id, e.currentTarget.checked))}
                  />{" "}
                  {t("setup.apply_city", { name: `(${g.city.code}) ${g.city.name}` })}
                </label>
              ) : (
                t("setup.apply_no_city")
              )}
            </legend>
            {g.sites.map((s) => (
              <label key={s.id} className="check">
                <input
                  type="checkbox"
                  name="also_site"
                  value={s.id}
                  checked={whole || ticked.has(s.id)}
                  disabled={whole}
                  onChange={(e) => setTicked(toggle(ticked, s.id, e.currentTarget.checked))}
                />{" "}
                ({s.code}) {s.name}
              </label>
            ))}
          </fieldset>
        );
      })}
    </details>
  );
}

/**
 * Issue 15 item 9: fill the form with another site's saved settings (`?from=`); nothing is saved
 * until the province presses Save, so it can look first and change a figure.
 */
export function CopyFrom({ sites, current }: { sites: readonly SiteOption[]; current: number }) {
  const t = useT();
  const [params] = useSearchParams();
  const others = sites.filter((s) => s.id !== current);
  if (others.length === 0) return null;
  return (
    <Form method="get" className="form inline copy-from" data-testid="copy-from">
      {[...params.entries()]
        .filter(([k]) => k !== "from")
        .map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
      <input type="hidden" name="site" value={current} />
      <label>
        {t("setup.copy_from")}
        <select name="from" defaultValue={params.get("from") ?? ""}>
          <option value="">—</option>
          {others.map((s) => (
            <option key={s.id} value={s.id}>
              ({s.code}) {s.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{t("setup.copy_fill")}</button>
    </Form>
  );
}
