import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { ActionError } from "~/components/alerts";
import { GeneratedFile } from "~/components/generated-file";
import { SitePageHead } from "~/components/site-page-head";
import { UnholdableCharacters } from "~/components/unholdable-characters";
import { cbtCheck } from "~/services/cbt-data.server";
import { generatedFileState, startGeneratedFile } from "~/services/generated-files.server";
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
 * Manual §四十七 (DOC-6): the site's CBT data `<site code>.DBF`, generated inside the pre-exam
 * downloads window once admission numbers exist; characters GBK cannot hold listed first.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const db = getDb();
    const [{ file, job }, check, window] = await Promise.all([
      generatedFileState(db, "cbt_data", ctx.sitting.id, site.id),
      cbtCheck(db, ctx.sitting.id, site.id),
      getWindowView(ctx, "pre_exam_downloads"),
    ]);
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      window,
      file,
      job,
      check,
      canGenerate: isSite(ctx) && canChange(ctx, window) && check.records > 0 && check.nonGbk.length === 0,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    // WIN-2: the pre-exam downloads window gates generating the site's exam data.
    const ctx = await requireAdminMutation(request, { window: "pre_exam_downloads", capability: "personal_data" });
    requireSite(ctx);
    await request.formData();
    await startGeneratedFile(ctx, "cbt_data");
    return { ok: true as const };
  });
}

export default function CbtData() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  return (
    <section>
      <SitePageHead title={t("cbt.title")} site={d.site} sites={d.sites} window={d.window} />
      <p className="muted">{t("cbt.hint")}</p>
      {d.check.records > 0 ? <p>{t("cbt.records", { count: d.check.records })}</p> : null}
      {d.check.numbered < d.check.paid ? (
        <p className="notice partial">{t("cards.not_ready", { count: d.check.paid - d.check.numbered })}</p>
      ) : null}
      <UnholdableCharacters
        title={t("cbt.non_gbk_title")}
        hint={t("cbt.non_gbk_hint")}
        items={d.check.nonGbk}
        testId="non-gbk"
      />
      <ActionError result={r} />
      <GeneratedFile file={d.file} job={d.job} canGenerate={d.canGenerate} />
    </section>
  );
}
