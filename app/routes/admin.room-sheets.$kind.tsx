import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { ActionError } from "~/components/alerts";
import { GeneratedFile } from "~/components/generated-file";
import { SitePageHead } from "~/components/site-page-head";
import { UnholdableCharacters } from "~/components/unholdable-characters";
import { AppError } from "~/domain/errors";
import { cardCheck } from "~/services/admission-cards.server";
import { generatedFileState, startGeneratedFile } from "~/services/generated-files.server";
import { roomSheetCounts } from "~db/queries/admission-cards";
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

// Manual §五十 / §五十一 (DOC-7): `/admin/room-sheets/sign-in` and `/admin/room-sheets/seating`.
const KINDS = {
  "sign-in": { kind: "sign_in_sheets", title: "sheets.sign_in_page", hint: "sheets.sign_in_hint" },
  seating: { kind: "seating_charts", title: "sheets.chart_page", hint: "sheets.chart_hint" },
} as const;

function kindOf(param: string | undefined) {
  if (param === "sign-in" || param === "seating") return KINDS[param];
  throw new AppError("access.not_found", {}, 404);
}

/**
 * DOC-7: the site's sign-in sheets or seating charts, one PDF per room and batch, generated inside
 * the pre-exam downloads window once every paid entry has its admission number.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const k = kindOf(params.kind);
    const ctx = await requireCapability(request, "personal_data");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const db = getDb();
    const [{ file, job }, check, counts, window] = await Promise.all([
      generatedFileState(db, k.kind, ctx.sitting.id, site.id),
      cardCheck(db, ctx.sitting.id, site.id),
      roomSheetCounts(db, ctx.sitting.id, site.id),
      getWindowView(ctx, "pre_exam_downloads"),
    ]);
    return {
      title: k.title,
      hint: k.hint,
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      window,
      file,
      job,
      sheets: counts.sheets,
      candidates: counts.candidates,
      check: { paid: check.paid, numbered: check.numbered, missing: check.missing },
      isSite: isSite(ctx),
      canGenerate: isSite(ctx) && canChange(ctx, window) && check.cards > 0 && check.missing.length === 0,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const k = kindOf(params.kind);
    // WIN-2: the pre-exam downloads window gates the sign-in sheets and seating charts (§七 table).
    const ctx = await requireAdminMutation(request, { window: "pre_exam_downloads", capability: "personal_data" });
    requireSite(ctx);
    await request.formData();
    await startGeneratedFile(ctx, k.kind);
    return { ok: true as const };
  });
}

export default function RoomSheets() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  return (
    <section>
      <SitePageHead title={t(d.title)} site={d.site} sites={d.sites} window={d.window} />
      <p className="muted">{t(d.hint)}</p>
      {d.sheets > 0 ? (
        <p data-testid="sheet-count">
          {t("sheets.count", { sheets: d.sheets, candidates: d.candidates })}{" "}
          {d.isSite ? <Link to="/admin/rooms">{t("sheets.rooms_link")}</Link> : null}
        </p>
      ) : null}
      {d.check.numbered < d.check.paid ? (
        <p className="notice partial">{t("cards.not_ready", { count: d.check.paid - d.check.numbered })}</p>
      ) : null}
      <UnholdableCharacters
        title={t("cards.missing_title")}
        hint={t("cards.missing_hint")}
        items={d.check.missing}
        testId="missing-chars"
      />
      <ActionError result={r} />
      <GeneratedFile file={d.file} job={d.job} canGenerate={d.canGenerate} />
    </section>
  );
}
