import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { ActionError } from "~/components/alerts";
import { GeneratedFile } from "~/components/generated-file";
import { SitePageHead } from "~/components/site-page-head";
import { generatedFileState, startGeneratedFile } from "~/services/generated-files.server";
import { photoPackageMissing } from "~/services/photo-package.server";
import { getEnv } from "~/utils/env.server";
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
import { useT } from "~/utils/use-t";

/**
 * Manual §四十六 (DOC-5): the site's photo package, generated inside the pre-exam downloads window
 * once admission numbers exist; candidates without a photo listed. Superiors in scope download it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const db = getDb();
    const [{ file, job }, missing, window] = await Promise.all([
      generatedFileState(db, "photo_package", ctx.sitting.id, site.id),
      photoPackageMissing(db, ctx.sitting.id, site.id),
      getWindowView(ctx, "pre_exam_downloads"),
    ]);
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      window,
      byIdNumber: getEnv().PHOTO_PACKAGE_NAMING === "id_number",
      file,
      job,
      missing: missing.slice(0, 200),
      missingCount: missing.length,
      canGenerate: isSite(ctx) && canChange(ctx, window),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    // WIN-2: the pre-exam downloads window gates generating the site's exam data.
    const ctx = await requireAdminMutation(request, { window: "pre_exam_downloads", capability: "personal_data" });
    requireSite(ctx);
    await request.formData();
    await startGeneratedFile(ctx, "photo_package");
    return { ok: true as const };
  });
}

export default function PhotoPackage() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  return (
    <section>
      <SitePageHead title={t("photopkg.title")} site={d.site} sites={d.sites} window={d.window} />
      <p className="muted">
        {t("photopkg.hint")} {d.byIdNumber ? t("photopkg.hint_id") : null}
      </p>
      <ActionError result={r} />
      <GeneratedFile file={d.file} job={d.job} canGenerate={d.canGenerate} />
      {d.missingCount > 0 ? (
        <section className="notice partial" data-testid="photo-missing" data-count={d.missingCount}>
          <h2>{t("photopkg.missing_title", { count: d.missingCount })}</h2>
          <p className="small">{t("photopkg.missing_hint")}</p>
          <table className="grid compact">
            <thead>
              <tr>
                <th>{t("photopkg.col_numbers")}</th>
                <th>{t("photopkg.col_name")}</th>
              </tr>
            </thead>
            <tbody>
              {d.missing.map((m) => (
                <tr key={m.admissionNos[0]}>
                  <td>
                    <code>{m.admissionNos.join(" ")}</code>
                  </td>
                  <td>{m.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </section>
  );
}
