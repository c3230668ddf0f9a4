import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { ReadOnlyBanner, WindowDates } from "~/components/window-badge";
import { NOTICE_MAX, saveNotice } from "~/services/save-notice.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { NoticeSchema } from "~/schemas/setup";
import { getWindowView, requireAdminMutation, canChange, requireCapability } from "~/utils/permissions.server";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { ActionError, ActionNotice } from "~/components/alerts";

/** Manual §十六, §十七 (SET-7): the province notice (read-only to sites) and the site notice (current + new). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const province = ctx.orgPath.find((o) => o.level === "province");
    const ids = [ctx.org.id, ...(province ? [province.id] : [])];
    const rows = await getDb()
      .selectFrom("notice")
      .selectAll()
      .where("sitting_id", "=", ctx.sitting.id)
      .where("org_id", "in", ids)
      .execute();
    const own = rows.find((r) => r.org_id === ctx.org.id);
    const prov = province ? rows.find((r) => r.org_id === province.id) : undefined;
    return {
      level: ctx.org.level,
      editable: (ctx.org.level === "site" || ctx.org.level === "province") && canChange(ctx),
      window: await getWindowView(ctx, "pre_registration"),
      province: province
        ? { name: province.name, body: prov?.body ?? null, updated_at: prov?.updated_at ?? null }
        : null,
      own: own ? { body: own.body, updated_at: own.updated_at } : null,
      max: NOTICE_MAX,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    // WIN-2/WIN-3: notices belong to pre-registration setup.
    const ctx = await requireAdminMutation(request, { window: "pre_registration" });
    await saveNotice(ctx, parseForm(form, NoticeSchema).body);
    return { ok: true as const };
  });
}

export default function Notice() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const open = !d.window.gated || d.window.status === "open";
  return (
    <section>
      <h1>{t("notice.title")}</h1>
      <ReadOnlyBanner view={d.window} />
      <ActionError result={r} />
      <ActionNotice result={r}>{t("common.saved")}</ActionNotice>
      {d.level !== "province" && d.province ? (
        <>
          <h2>{t("notice.province", { name: d.province.name })}</h2>
          <div className="notice-body" data-testid="province-notice">
            {d.province.body ?? <span className="muted">{t("common.not_set")}</span>}
          </div>
        </>
      ) : null}
      {d.level === "site" || d.level === "province" ? (
        <>
          <h2>{t(d.level === "site" ? "notice.site_current" : "notice.province_current")}</h2>
          <div className="notice-body" data-testid="current-notice">
            {d.own?.body ?? <span className="muted">{t("common.not_set")}</span>}
          </div>
          {d.own ? <p className="muted small">{t("notice.updated_at", { at: fmt(d.own.updated_at) })}</p> : null}
          {d.editable ? (
            <Form method="post" className="form wide">
              <label>
                {t("notice.new")}
                {/* Keyed by the saved version: after a save the "new notice" box is empty again (manual §十七 3). */}
                <textarea
                  key={String(d.own?.updated_at ?? "none")}
                  name="body"
                  rows={8}
                  maxLength={d.max}
                  disabled={!open}
                  defaultValue=""
                />
              </label>
              <p className="muted small">
                {t("notice.hint")}{" "}
                {d.window.gated ? (
                  <>
                    {t("window.kind.pre_registration")}: <WindowDates view={d.window} />
                  </>
                ) : null}
              </p>
              <button type="submit" className="primary" disabled={!open}>
                {t("common.save")}
              </button>
            </Form>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
