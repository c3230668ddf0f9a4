import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~db/client";
import { ActionError, ActionNotice } from "~/components/alerts";
import { GeneratedFile } from "~/components/generated-file";
import { SitePageHead } from "~/components/site-page-head";
import { UnholdableCharacters } from "~/components/unholdable-characters";
import { CARD_ORDERS } from "~/domain/admission-cards";
import type { MessageKey } from "~/i18n";
import { cardCheck } from "~/services/admission-cards.server";
import { generatedFileState, startGeneratedFile } from "~/services/generated-files.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { canChange, isSite, requireAdminMutation, requireCapability, requireSite } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useT } from "~/utils/use-t";

const KINDS = ["small_cards", "large_cards"] as const;

/**
 * Manual §三十四/§三十五 (DOC-1, DOC-2, DOC-4): the site's small and large admission cards, generated
 * any time after admission numbers exist; characters the font lacks listed first. Superiors download.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const db = getDb();
    const [check, ...states] = await Promise.all([
      cardCheck(db, ctx.sitting.id, site.id),
      ...KINDS.map((k) => generatedFileState(db, k, ctx.sitting.id, site.id)),
    ]);
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      check: {
        cards: check.cards,
        paid: check.paid,
        numbered: check.numbered,
        withoutPhoto: check.withoutPhoto,
        missing: check.missing,
      },
      kinds: KINDS.map((k, i) => ({ kind: k, ...states[i] })),
      canGenerate: isSite(ctx) && canChange(ctx),
    };
  });
}

const ActionSchema = z.object({
  kind: z.enum(KINDS, { errorMap: () => ({ message: "form.invalid" }) }),
  order: z.enum(CARD_ORDERS, { errorMap: () => ({ message: "form.invalid" }) }).default("admission_no"),
});

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    // DOC-1: "generated any time after allocation": no window, but numbers and printable names first.
    const ctx = await requireAdminMutation(request, { capability: "personal_data" });
    requireSite(ctx);
    const { kind, order } = parseForm(await request.formData(), ActionSchema);
    await startGeneratedFile(ctx, kind, order);
    return { ok: true as const, kind };
  });
}

export default function AdmissionCards() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const c = d.check;
  return (
    <section>
      <SitePageHead title={t("cards.title")} site={d.site} sites={d.sites} />
      <p className="muted">{t("cards.hint")}</p>
      <div data-testid="cards-check">
        {c.cards === 0 ? (
          <p className="notice partial">{t("cards.no_cards")}</p>
        ) : (
          <p>
            {t("cards.count", { count: c.cards })}{" "}
            {c.withoutPhoto > 0 ? t("cards.without_photo", { count: c.withoutPhoto }) : null}
          </p>
        )}
        {c.numbered < c.paid ? (
          <p className="notice partial" data-missing="numbers">
            {t("cards.not_ready", { count: c.paid - c.numbered })}{" "}
            <Link to="/admin/admission-numbers">{t("cards.go_numbers")}</Link>
          </p>
        ) : null}
        <UnholdableCharacters
          title={t("cards.missing_title")}
          hint={t("cards.missing_hint")}
          items={c.missing}
          testId="missing-chars"
        />
      </div>
      <ActionError result={r} />
      {d.kinds.map((k) => (
        <section key={k.kind} data-testid={`cards-${k.kind}`}>
          <h2>{t(k.kind === "small_cards" ? "cards.small_title" : "cards.large_title")}</h2>
          <p className="muted small">{t(k.kind === "small_cards" ? "cards.small_hint" : "cards.large_hint")}</p>
          <ActionNotice result={r && r.ok && r.kind === k.kind ? r : undefined}>
            {() => t("roomstats.progress")}
          </ActionNotice>
          <GeneratedFile
            file={k.file}
            job={k.job}
            kind={k.kind}
            canGenerate={d.canGenerate && c.cards > 0 && c.numbered >= c.paid && c.missing.length === 0}
          >
            <label>
              {t("cards.order")}{" "}
              <select name="order" defaultValue="admission_no">
                {CARD_ORDERS.map((o) => (
                  <option key={o} value={o}>
                    {t(`cards.order.${o}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
          </GeneratedFile>
        </section>
      ))}
    </section>
  );
}
