import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { getOrgPath } from "~db/queries/orgs";
import { getSiteSetting, listProvinceSubjects, listSiteFees } from "~db/queries/setup";
import { AppError } from "~/domain/errors";
import { formatYuan, parseYuan } from "~/domain/fees";
import { SitePicker } from "~/components/site-picker";
import { setSiteFees } from "~/services/set-site-fees.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { FeesSchema, fieldsWithPrefix } from "~/schemas/setup";
import { getWindowView, requireAdminMutation, canChange, requireCapability } from "~/utils/permissions.server";
import { listSetupSites, requireSetupSite, resolveSetupSite, targetSites } from "~/utils/setup-site.server";
import { ApplyToSites, CopyFrom } from "~/components/apply-to-sites";
import { useT } from "~/utils/use-t";
import { ActionError, ActionNotice } from "~/components/alerts";

/** Manual §十二 (SET-3): the province sets each site's fees; the site and its city only read them. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const path = await getOrgPath(getDb(), site.id);
    const prov = path.find((o) => o.level === "province");
    const subjects = prov ? await listProvinceSubjects(getDb(), ctx.sitting.id, prov.id) : [];
    // "Copy from another site" fills the form with that site's fees; saving is still the province's step.
    const fromParam = Number(new URL(request.url).searchParams.get("from") ?? 0);
    const from = fromParam && fromParam !== site.id ? await requireSetupSite(ctx, fromParam) : null;
    const source = from ?? site;
    const fees = await listSiteFees(getDb(), ctx.sitting.id, source.id);
    const setting = await getSiteSetting(getDb(), ctx.sitting.id, source.id);
    const offered = new Set(
      (
        await getDb()
          .selectFrom("site_subject")
          .select("subject_code")
          .where("sitting_id", "=", ctx.sitting.id)
          .where("org_id", "=", site.id)
          .execute()
      ).map((r) => r.subject_code),
    );
    const window = await getWindowView(ctx, "pre_registration");
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      from: from ? { code: from.code, name: from.name } : null,
      editable: ctx.org.level === "province" && canChange(ctx, window),
      perPerson: setting.per_person_fee_fen === null ? null : formatYuan(setting.per_person_fee_fen),
      subjects: subjects.map((s) => ({
        code: s.code,
        name: s.name,
        fee: fees.has(s.code) ? formatYuan(fees.get(s.code)!) : null,
        offeredBySite: offered.has(s.code),
      })),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { window: "pre_registration" });
    const input = parseForm(form, FeesSchema);
    const money = (value: string) => {
      const v = value.trim();
      if (v === "") return null;
      const fen = parseYuan(v);
      if (fen === null) throw new AppError("fees.bad_amount", { value: v });
      return fen;
    };
    const subjects = Object.fromEntries(Object.entries(fieldsWithPrefix(input, "fee_")).map(([k, v]) => [k, money(v)]));
    const siteIds = targetSites(form, input.siteId, await listSetupSites(ctx));
    await setSiteFees(ctx, siteIds, { perPersonFen: money(input.per_person), subjects });
    return { ok: true as const, sites: siteIds.length };
  });
}

export default function Fees() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const notSet = <span className="warn-text">{t("common.not_set")}</span>;
  return (
    <>
      <h1>
        {t("setup.tab.fees")}{" "}
        <small>
          ({d.site.code}) {d.site.name}
        </small>
      </h1>
      <SitePicker sites={d.sites} selected={d.site.id} />
      <p className="muted">{t("fees.hint")}</p>
      {d.editable ? <CopyFrom sites={d.sites} current={d.site.id} /> : null}
      {d.from && !r?.ok ? (
        <p className="notice partial" data-testid="copied-from">
          {t("setup.copied_from", d.from)}
        </p>
      ) : null}
      <Form method="post" key={`${d.site.id}-${d.from?.code ?? ""}`}>
        <input type="hidden" name="siteId" value={d.site.id} />
        <table className="grid" data-testid="fees">
          <thead>
            <tr>
              <th>{t("fees.item")}</th>
              <th>{t("fees.amount")}</th>
              <th>{t("fees.offered_by_site")}</th>
            </tr>
          </thead>
          <tbody>
            <tr data-code="per_person">
              <th scope="row">{t("fees.per_person")}</th>
              <td>
                {d.editable ? (
                  <input
                    name="per_person"
                    defaultValue={d.perPerson ?? ""}
                    inputMode="decimal"
                    aria-label={t("fees.per_person")}
                  />
                ) : (
                  (d.perPerson ?? notSet)
                )}
              </td>
              <td />
            </tr>
            {d.subjects.map((s) => (
              <tr key={s.code} data-code={s.code}>
                <th scope="row">
                  {s.code} {s.name}
                </th>
                <td>
                  {d.editable ? (
                    <input
                      name={`fee_${s.code}`}
                      defaultValue={s.fee ?? ""}
                      inputMode="decimal"
                      aria-label={`${s.code} ${t("fees.amount")}`}
                    />
                  ) : (
                    (s.fee ?? notSet)
                  )}
                </td>
                <td>{s.offeredBySite ? t("common.yes") : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {d.editable ? (
          <>
            <ApplyToSites sites={d.sites} current={d.site.id} />
            <button type="submit" className="primary">
              {t("common.save")}
            </button>
            <ActionError result={r} />
            <ActionNotice result={r}>{(done) => t("setup.saved_sites", { count: done.sites })}</ActionNotice>
          </>
        ) : null}
      </Form>
    </>
  );
}
