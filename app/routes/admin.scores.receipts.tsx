import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~db/client";
import { ActionError, ActionNotice } from "~/components/alerts";
import { GeneratedFile } from "~/components/generated-file";
import { SitePageHead } from "~/components/site-page-head";
import { generatedFileState, startGeneratedFile } from "~/services/generated-files.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
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

const KINDS = ["receipts_by_class", "receipts_by_room"] as const;

/**
 * DOC-7 (manual §五十二): certificate receipt forms by class or by room through the generated-file
 * pattern, once scores are in and inside the post-exam downloads window (WIN-2); stale once a score,
 * certificate number, name or class changes. Superiors download what a site made.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const db = getDb();
    const [window, scores, ...states] = await Promise.all([
      getWindowView(ctx, "post_exam_downloads"),
      db
        .selectFrom("score")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("sitting_id", "=", ctx.sitting.id)
        .where("org_id", "=", site.id)
        .where("grade_code", ">=", 1)
        .executeTakeFirstOrThrow(),
      ...KINDS.map((k) => generatedFileState(db, k, ctx.sitting.id, site.id)),
    ]);
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      window,
      scores: Number(scores.n),
      kinds: KINDS.map((k, i) => ({ kind: k, ...states[i] })),
      canGenerate: isSite(ctx) && canChange(ctx, window) && Number(scores.n) > 0,
    };
  });
}

const ActionSchema = z.object({ kind: z.enum(KINDS, { errorMap: () => ({ message: "form.invalid" }) }) });

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { window: "post_exam_downloads", capability: "personal_data" });
    requireSite(ctx);
    const { kind } = parseForm(await request.formData(), ActionSchema);
    await startGeneratedFile(ctx, kind);
    return { ok: true as const, kind };
  });
}

export default function CertificateReceipts() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  return (
    <section>
      <SitePageHead title={t("receipts.title")} site={d.site} sites={d.sites} window={d.window} />
      <p className="muted">{t("receipts.hint")}</p>
      {d.scores === 0 ? <p className="notice partial">{t("receipts.none_passed")}</p> : null}
      <ActionError result={r} />
      {d.kinds.map((k) => (
        <section key={k.kind} data-testid={`receipts-${k.kind}`}>
          <h2>{t(k.kind === "receipts_by_class" ? "receipts.by_class" : "receipts.by_room")}</h2>
          <ActionNotice result={r && r.ok && r.kind === k.kind ? r : undefined}>
            {() => t("roomstats.progress")}
          </ActionNotice>
          <GeneratedFile file={k.file} job={k.job} kind={k.kind} canGenerate={d.canGenerate} />
        </section>
      ))}
    </section>
  );
}
