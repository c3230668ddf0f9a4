import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { ActionError } from "~/components/alerts";
import { GeneratedFile } from "~/components/generated-file";
import { SitePageHead } from "~/components/site-page-head";
import { generatedFileState, startGeneratedFile } from "~/services/generated-files.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import { canChange, isSite, requireAdminMutation, requireCapability, requireSite } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useT } from "~/utils/use-t";

/** Manual §三十三 (ADM-2): the site's room statistics file, generated on demand; superiors download it. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const db = getDb();
    const { file, job } = await generatedFileState(db, "room_statistics", ctx.sitting.id, site.id);
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      file,
      job,
      canGenerate: isSite(ctx) && canChange(ctx),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    // Generating reads the data and writes a file; it is not gated by a window (ADM-2: on demand).
    const ctx = await requireAdminMutation(request, {});
    requireSite(ctx);
    await startGeneratedFile(ctx, "room_statistics");
    return { ok: true as const };
  });
}

export default function RoomStatistics() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  return (
    <section>
      <SitePageHead title={t("roomstats.title")} site={d.site} sites={d.sites} />
      <p className="muted">{t("roomstats.hint")}</p>
      <GeneratedFile file={d.file} job={d.job} canGenerate={d.canGenerate} />
      <ActionError result={r} />
    </section>
  );
}
