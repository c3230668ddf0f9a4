import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { AppError } from "~/domain/errors";
import { loadCandidateView } from "~/services/load-registration.server";
import { downloadOwnCard } from "~/services/candidate-cards.server";
import { getEnv } from "~/utils/env.server";
import { formatWallClock } from "~/domain/windows";
import { guardLoader } from "~/utils/http.server";
import { requireCandidate } from "~/utils/auth.server";

/**
 * CAN-9 (DOC-3): the candidate's own card, one PDF with a large card per numbered entry: from the
 * print start, where the site lets candidates print their own; each download counted. Only ever the
 * signed-in candidate's own registration: there is no id to forge.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const c = await requireCandidate(request);
    const now = new Date();
    const v = await loadCandidateView(c.sitting.id, c.accountId, now);
    if (!v.registration || !v.rules) throw new AppError("card.refused_no_number", {}, 404);
    if (!v.cardDownload) {
      if (!v.rules.self_print) throw new AppError("card.refused_site", {}, 403);
      if (!v.cardPrintFrom || v.cardPrintFrom > now)
        throw new AppError(
          "card.refused_not_yet",
          { from: v.cardPrintFrom ? formatWallClock(v.cardPrintFrom, getEnv().timeZone) : "—" },
          403,
        );
      throw new AppError("card.refused_no_number", {}, 403);
    }
    const card = await downloadOwnCard({
      sittingId: c.sitting.id,
      siteId: v.registration.org_id,
      registrationId: v.registration.id,
      locale: c.locale,
    });
    if (!card) throw new AppError("card.refused_no_number", {}, 403);
    return new Response(createReadableStreamFromReadable(card.body), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="admission-card.pdf"; filename*=UTF-8''${encodeURIComponent(card.name)}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
