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
import { formString, guardAction, guardLoader } from "~/utils/http.server";
import { getWindowView, requireAdminMutation, canChange, requireCapability, isSite } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useT } from "~/utils/use-t";
import { ActionError } from "~/components/alerts";

const FLAGS = [
  "open",
  "group_registration",
  "group_payment",
  "review_required",
  "class_required",
  "self_print",
] as const;

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
    const intent = formString(form, "intent");
    if (intent === "settings") {
      await saveSiteSettings(ctx, {
        ...(Object.fromEntries(FLAGS.map((f) => [f, form.get(f) === "on"])) as Record<(typeof FLAGS)[number], boolean>),
        max_entries: Number(formString(form, "max_entries")),
      });
    } else if (intent === "classes") {
      await saveClassOptions(ctx, formString(form, "class_options"));
    } else if (intent === "online") {
      const tz = getEnv().timeZone;
      const parse = (v: string) => (v ? parseWallClock(v, tz) : null);
      const starts = parse(formString(form, "start"));
      const ends = parse(formString(form, "end"));
      if ((formString(form, "start") && !starts) || (formString(form, "end") && !ends))
        throw new AppError("window.bad_time", { value: formString(form, "start") });
      await setOnlineRegistration(ctx, { enabled: form.get("enabled") === "on", starts_at: starts, ends_at: ends });
    } else {
      throw new AppError("form.invalid");
    }
    return { ok: true as const, intent };
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
      {r && r.ok ? (
        <p className="notice" role="status">
          {t("common.saved")}
        </p>
      ) : null}

      <Form method="post" className="form">
        <input type="hidden" name="intent" value="settings" />
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
        <input type="hidden" name="intent" value="online" />
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
        <input type="hidden" name="intent" value="classes" />
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
