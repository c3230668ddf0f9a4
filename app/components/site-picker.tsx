import { Form, useSearchParams } from "@remix-run/react";
import { useT } from "~/utils/use-t";

/** Superiors read (and provinces set) one site's settings at a time. */
export function SitePicker({
  sites,
  selected,
}: {
  sites: Array<{ id: number; code: string; name: string }>;
  selected: number;
}) {
  const t = useT();
  const [params] = useSearchParams();
  if (sites.length <= 1 && sites[0]?.id === selected) return null;
  return (
    <Form method="get" className="form inline site-picker">
      {[...params.entries()]
        .filter(([k]) => k !== "site")
        .map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
      <label>
        {t("setup.site")}
        <select name="site" defaultValue={selected} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              ({s.code}) {s.name}
            </option>
          ))}
        </select>
      </label>
      <noscript>
        <button type="submit">{t("common.go")}</button>
      </noscript>
    </Form>
  );
}
