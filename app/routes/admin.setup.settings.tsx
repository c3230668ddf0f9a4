import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { getSiteSetting } from "~db/queries/setup";
import { AppError } from "~/domain/errors";
import { parseClassOptions } from "~/domain/class-options";
import { formatWallClock, parseWallClock } from "~/domain/windows";
import { SitePicker } from "~/components/site-picker";
import { WindowDates } from "~/components/window-badge";
import { saveClassOptions, saveSiteSettings } from "~/services/save-site-settings.server";
import { setOnlineRegistration } from "~/services/set-online-registration.server";
import { getEnv } from "~/utils/env.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { SETTINGS_INTENT, SettingsActionSchema, SITE_FLAGS } from "~/schemas/setup";
import { getWindowView, requireAdminMutation, canChange, requireCapability, isSite } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useT } from "~/utils/use-t";
import { ActionError, ActionNotice } from "~/components/alerts";

const FLAGS = SITE_FLAGS;

/** Manual §十 (SET-1), §十五 (SET-6), §十八 (SET-8). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const s = await getSiteSetting(getDb(), ctx.sitting.id, site.id);
    const tz = getEnv().timeZone;
    const bounds = isSite(ctx) ? await getWindowView(ctx, "online_registration") : null;
    const window = await getWindowView(ctx, "pre_registration");
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      editable: isSite(ctx) && canChange(ctx, window),
      settings: { ...Object.fromEntries(FLAGS.map((f) => [f, s[f]])), max_entries: s.max_entries } as Record<
        (typeof FLAGS)[number],
        boolean
      > & { max_entries: number },
      classOptions: parseClassOptions(s.class_options),
      online: {
        enabled: s.online_enabled,
        start: s.online_starts_at ? formatWallClock(s.online_starts_at, tz).replace(" ", "T") : "",
        end: s.online_ends_at ? formatWallClock(s.online_ends_at, tz).replace(" ", "T") : "",
      },
      bounds,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    // WIN-2/WIN-3: every change here is inside the site's pre-registration window.
    const ctx = await requireAdminMutation(request, { window: "pre_registration" });
    const input = parseForm(form, SettingsActionSchema);
    if (input.intent === SETTINGS_INTENT.settings) {
      const { intent: _intent, max_entries, ...flags } = input;
      await saveSiteSettings(ctx, { ...flags, max_entries: Number(max_entries) });
    } else if (input.intent === SETTINGS_INTENT.classes) {
      await saveClassOptions(ctx, input.class_options);
    } else {
      const tz = getEnv().timeZone;
      const parse = (v: string) => (v ? parseWallClock(v, tz) : null);
      const starts = parse(input.start);
      const ends = parse(input.end);
      if ((input.start && !starts) || (input.end && !ends))
        throw new AppError("window.bad_time", { value: input.start });
      await setOnlineRegistration(ctx, { enabled: input.enabled, starts_at: starts, ends_at: ends });
    }
    return { ok: true as const, intent: input.intent };
  });
}

export default function SiteSettings() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const ro = !d.editable;
  return (
    <>
      <h1>
        {t("setup.tab.settings")}{" "}
        <small>
          ({d.site.code}) {d.site.name}
        </small>
      </h1>
      <SitePicker sites={d.sites} selected={d.site.id} />
      <ActionError result={r} />
      <ActionNotice result={r}>{t("common.saved")}</ActionNotice>

      <Form method="post" className="form">
        <input type="hidden" name="intent" value={SETTINGS_INTENT.settings} />
        <fieldset disabled={ro} className="checks">
          {FLAGS.map((f) => (
            <label key={f} className="check">
              <input type="checkbox" name={f} defaultChecked={d.settings[f]} /> {t(`setup.flag.${f}`)}
            </label>
          ))}
          <label>
            {t("setup.max_entries")}
            <select name="max_entries" defaultValue={d.settings.max_entries}>
              {[1, 2, 3].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          {!ro ? (
            <button type="submit" className="primary">
              {t("common.save")}
            </button>
          ) : null}
        </fieldset>
      </Form>

      <h2 id="online">{t("setup.online.title")}</h2>
      {d.bounds ? (
        <p className="muted">
          {t("setup.online.bounds")} <WindowDates view={d.bounds} />
        </p>
      ) : null}
      <Form method="post" className="form inline">
        <input type="hidden" name="intent" value={SETTINGS_INTENT.online} />
        <fieldset disabled={ro} className="inline-fields">
          <label className="check">
            <input type="checkbox" name="enabled" defaultChecked={d.online.enabled} /> {t("setup.online.enabled")}
          </label>
          <label>
            {t("window.start")}
            <input type="datetime-local" name="start" defaultValue={d.online.start} />
          </label>
          <label>
            {t("window.end")}
            <input type="datetime-local" name="end" defaultValue={d.online.end} />
          </label>
          {!ro ? <button type="submit">{t("common.save")}</button> : null}
        </fieldset>
        <p className="muted small">{t("setup.online.hint")}</p>
      </Form>

      <h2>{t("setup.classes.title")}</h2>
      <p data-testid="class-options">
        {d.classOptions.length ? d.classOptions.join("；") : <span className="muted">{t("setup.classes.none")}</span>}
      </p>
      <Form method="post" className="form wide">
        <input type="hidden" name="intent" value={SETTINGS_INTENT.classes} />
        <fieldset disabled={ro}>
          <label>
            {t("setup.classes.label")}
            <textarea name="class_options" rows={3} defaultValue={d.classOptions.join("；")} />
          </label>
          <p className="muted small">{t("setup.classes.hint")}</p>
          {!ro ? <button type="submit">{t("common.save")}</button> : null}
        </fieldset>
      </Form>
    </>
  );
}
