import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { getSiteSetting } from "~db/queries/setup";
import { SitePicker } from "~/components/site-picker";
import { setSiteEligibility } from "~/services/set-site-eligibility.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { ELIGIBILITY_FLAGS, EligibilitySchema } from "~/schemas/setup";
import { getWindowView, requireAdminMutation, canChange, requireCapability } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useT } from "~/utils/use-t";
import { ActionError, ActionNotice } from "~/components/alerts";

const FLAGS = ELIGIBILITY_FLAGS;

/** Manual §十九 (SET-9): the province sets each site's student-record eligibility; the site reads it. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const s = await getSiteSetting(getDb(), ctx.sitting.id, site.id);
    const window = await getWindowView(ctx, "pre_registration");
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
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
    await setSiteEligibility(ctx, siteId, flags);
    return { ok: true as const };
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
      <ActionError result={r} />
      <ActionNotice result={r}>{t("common.saved")}</ActionNotice>
      <Form method="post" className="form">
        <input type="hidden" name="siteId" value={d.site.id} />
        <fieldset disabled={!d.editable} className="checks">
          {FLAGS.map((f) => (
            <label key={f} className="check">
              <input type="checkbox" name={f} defaultChecked={d.flags[f]} /> {t(`eligibility.${f}`)}
            </label>
          ))}
          {d.editable ? (
            <button type="submit" className="primary">
              {t("common.save")}
            </button>
          ) : null}
        </fieldset>
      </Form>
      <p className="notice" data-testid="eligibility-effect">
        {t(`eligibility.effect.${combo}` as "eligibility.effect.off")}
      </p>
      <p className="muted small">{t("eligibility.other_province")}</p>
    </>
  );
}
