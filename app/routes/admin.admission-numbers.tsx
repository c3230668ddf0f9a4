import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "~db/client";
import { ActionError, ActionNotice } from "~/components/alerts";
import { SitePageHead } from "~/components/site-page-head";
import { admissionNumberStatus, generateAdmissionNumbers } from "~/services/generate-admission-numbers.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import {
  canChange,
  getWindowView,
  isSite,
  requireAdminMutation,
  requireCapability,
  requireSite,
} from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useFormatDateTime, useT } from "~/utils/use-t";

/** Manual §三十二 (ADM-1): the site's admission numbers, generated inside its allocation window. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const window = await getWindowView(ctx, "allocation");
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      window,
      editable: isSite(ctx) && canChange(ctx, window),
      status: await admissionNumberStatus(getDb(), ctx.sitting.id, site.id),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { window: "allocation" });
    requireSite(ctx);
    const r = await generateAdmissionNumbers({ ...ctx.actor, sittingId: ctx.sitting.id }, ctx.org.id);
    return { ok: true as const, ...r };
  });
}

export default function AdmissionNumbers() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const busy = useNavigation().state !== "idle";
  const s = d.status;
  const done = s.entries > 0 && s.unallocated === 0 && s.missing === 0;
  return (
    <section>
      <SitePageHead title={t("admission.title")} site={d.site} sites={d.sites} window={d.window} />
      <p className="muted">{t("admission.hint")}</p>
      <p className="muted small">{t("admission.format", { format: s.format })}</p>
      <p
        className={done ? "notice success" : "notice partial"}
        data-testid="admission-status"
        data-done={done}
        role="status"
      >
        {s.entries === 0
          ? t("admission.status_none")
          : s.unallocated > 0
            ? t("admission.status_unallocated", { count: s.unallocated })
            : s.missing > 0
              ? t("admission.status_missing", { count: s.missing })
              : t("admission.status_done", { numbered: s.numbered })}{" "}
        {s.unallocated > 0 ? <Link to="/admin/allocation">{t("admission.go_allocation")}</Link> : null}
      </p>
      {s.generatedAt ? <p className="muted small">{t("admission.generated_at", { at: fmt(s.generatedAt) })}</p> : null}
      {d.editable ? (
        <Form method="post">
          <button
            type="submit"
            className={done ? undefined : "primary"}
            disabled={busy || s.entries === 0}
            data-testid="generate"
          >
            {t("admission.generate")}
          </button>
        </Form>
      ) : null}
      <ActionError result={r} />
      <ActionNotice result={r}>{(x) => t("admission.generated", { fresh: x.fresh, kept: x.kept })}</ActionNotice>
    </section>
  );
}
