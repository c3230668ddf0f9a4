import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { getSiteSetting } from "~db/queries/setup";
import { SitePicker } from "~/components/site-picker";
import { setSiteEligibility } from "~/services/set-site-eligibility.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { ELIGIBILITY_FLAGS, EligibilitySchema } from "~/schemas/setup";
import { getWindowView, requireAdminMutation, canChange, requireCapability } from "~/utils/permissions.server";
import { listSetupSites, requireSetupSite, resolveSetupSite, targetSites } from "~/utils/setup-site.server";
import { ApplyToSites, CopyFrom } from "~/components/apply-to-sites";
import { useT } from "~/utils/use-t";
import { ActionError, ActionNotice } from "~/components/alerts";

const FLAGS = ELIGIBILITY_FLAGS;

/** Manual §十九 (SET-9): the province sets each site's student-record eligibility; the site reads it. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const fromParam = Number(new URL(request.url).searchParams.get("from") ?? 0);
    const from = fromParam && fromParam !== site.id ? await requireSetupSite(ctx, fromParam) : null;
    const s = await getSiteSetting(getDb(), ctx.sitting.id, (from ?? site).id);
    const window = await getWindowView(ctx, "pre_registration");
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      from: from ? { code: from.code, name: from.name } : null,
      editable: ctx.org.level === "province" && canChange(ctx, window),
      flags: Object.fromEntries(FLAGS.map((f) => [f, s[f]])) as Record<(typeof FLAGS)[number], boolean>,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { window: "pre_registration" });
    const { siteId, ...flags } = parseForm(form, EligibilitySchema);
    const siteIds = targetSites(form, siteId, await listSetupSites(ctx));
    await setSiteEligibility(ctx, siteIds, flags);
    return { ok: true as const, sites: siteIds.length };
  });
}

export default function Eligibility() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const combo = !d.flags.registry_enabled
    ? "off"
    : `${d.flags.only_province_registry ? 1 : 0}${d.flags.only_site_registry ? 1 : 0}`;
  return (
    <>
      <h1>
        {t("setup.tab.eligibility")}{" "}
        <small>
          ({d.site.code}) {d.site.name}
        </small>
      </h1>
      <SitePicker sites={d.sites} selected={d.site.id} />
      {d.editable ? <CopyFrom sites={d.sites} current={d.site.id} /> : null}
      {d.from && !r?.ok ? (
        <p className="notice partial" data-testid="copied-from">
          {t("setup.copied_from", d.from)}
        </p>
      ) : null}
      <Form method="post" className="form" key={`${d.site.id}-${d.from?.code ?? ""}`}>
        <input type="hidden" name="siteId" value={d.site.id} />
        <fieldset disabled={!d.editable} className="checks">
          {FLAGS.map((f) => (
            <label key={f} className="check">
              <input type="checkbox" name={f} defaultChecked={d.flags[f]} /> {t(`eligibility.${f}`)}
            </label>
          ))}
        </fieldset>
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
      <p className="notice" data-testid="eligibility-effect">
        {t(`eligibility.effect.${combo}` as "eligibility.effect.off")}
      </p>
      <p className="muted small">{t("eligibility.other_province")}</p>
    </>
  );
}
